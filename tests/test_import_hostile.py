"""Hostile input (SECURITY IN-3) in every column of every row importer (activities, trainings, youth):
a row error in Chinese or a correct check, never an exception; nothing is written by the preview."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from activities.importing import IMPORTER as ACTIVITIES
from activities.models import Activity
from activities.tests.factories import volunteer
from mentoring.importing import IMPORTER as YOUTH
from mentoring.models import Youth
from mentoring.tests.test_import import minor_id
from volunteers.models import Training
from volunteers.tests.test_hostile import CHINESE, HOSTILE
from volunteers.tests.test_training_import import members
from volunteers.training_importing import IMPORTER as TRAININGS

BASE = {
    "activities": {
        "type": "理论学习",
        "title": "学习",
        "held_on": "2024-03-05",
        "volunteers": "李老",
        "audience_count": 10,
    },
    "trainings": {"title": "调解培训", "held_on": "2024-04-02", "organiser": "县关工委", "hours": "3", "name": "赵老"},
    "youth": {
        "name": "测试甲",
        "id_number": minor_id(1),
        "categories_list": "不良行为",
        "school_status": "初中在读",
        "intake_source": "学校转介",
        "intake_on": "2024-09-01",
        "risk_level": "中",
    },
}
IMPORTERS = {"activities": (ACTIVITIES, Activity), "trainings": (TRAININGS, Training), "youth": (YOUTH, Youth)}


def sheet_of(importer, values: dict):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.label for c in importer.columns])
    sheet.append([values.get(c.key) for c in importer.columns])
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return importer.read("h.xlsx", buffer.getvalue())


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_every_column_of_every_row_importer_survives_hostile_input(world, kind):
    importer, model = IMPORTERS[kind]
    volunteer(world.a.station, "李老", joined_on=date(2020, 1, 1))
    members(world)
    staff = world.user("staff")
    base = importer.run(actor=staff, name="h.xlsx", sheet=sheet_of(importer, BASE[kind]), mapping=None, commit=False)
    assert base.is_valid, base.errors  # the row is good: each hostile value below is the only change
    for column in importer.columns:
        for value in (v for v in HOSTILE if "\x00" not in v):  # xlsx cannot hold NUL
            sheet = sheet_of(importer, {**BASE[kind], column.key: value})
            plan = importer.run(actor=staff, name="h.xlsx", sheet=sheet, mapping=None, commit=False)
            assert plan.rows == 1
            if plan.errors:
                assert all(CHINESE.search(e.message) for e in plan.errors), (column.key, plan.errors)
                if column.sensitive:
                    assert all(e.value != value for e in plan.errors), column.key
            else:
                assert plan.is_valid and plan.written == 1, (column.key, value)
    assert not model.objects.exists()
