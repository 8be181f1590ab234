"""Issue 16 §1: trainings with their attendance, as a station keeps the sign-in list in Excel — one person
a row (or the attendees' names in one cell) — import through the entry form, all trainings or none."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from stations import idnumbers
from stations.models import AuditEntry
from tests.test_id_input import NUMERIC_ID
from volunteers.models import Training
from volunteers.tests.factories import VolunteerFactory
from volunteers.tests.test_import import person_id

HEADER = ("序号", "培训内容", "培训时间", "主办单位", "学时", "姓名", "公民身份号码")


def members(world):
    station = world.a.station
    people = {}
    for n, name in enumerate(("赵老", "钱老", "孙老"), start=1):
        people[name] = VolunteerFactory(
            workstation=station,
            name=name,
            id_number=person_id(n),
            id_hash=idnumbers.lookup_hash(person_id(n)),
            joined_on=date(2020, 1, 1),
        )
    return people


def attendance(rows=None, *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024年五老志愿者培训签到表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(list(header))
    if rows is None:
        rows = [
            [1, "调解技巧培训", "2024.4.2", "县关工委", 3, "赵老", person_id(1)],
            [2, "调解技巧培训", "2024.4.2", "县关工委", 3, "钱老", "  " + person_id(2).translate(FULL_WIDTH)],
            [3, "调解技巧培训", "2024.4.2", "县关工委", 3, "孙老", None],
            [None] * 7,
            [4, "法律知识讲座", "2024年5月6日", "县司法局", "1.5", "赵老", person_id(1)],
            ["合计", None, None, None, "4.5", "4人次", None],
        ]
    for values in rows:
        sheet.append(list(values))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def upload(client, data):
    return client.post(reverse("volunteers:training-import"), {"file": SimpleUploadedFile("签到表.xlsx", data)})


def confirm(client, response):
    return client.post(reverse("volunteers:training-import-confirm"), {"token": response.context["token"]})


@pytest.fixture
def staff(world, client_as):
    return client_as(world.user("staff"))


def test_a_sign_in_list_becomes_trainings_with_their_attendees(world, staff):
    people = members(world)
    response = upload(staff, attendance())
    page = response.content.decode()
    assert "表头在第 2 行，读到 4 行数据" in page and "合计/小计行 1 行" in page
    assert response.context["plan"].is_valid, response.context["plan"].errors
    assert "将新增 2 条" in page and not Training.objects.exists()
    confirm(staff, response)
    mediation = Training.objects.get(title="调解技巧培训")
    assert (mediation.held_on, mediation.organiser, mediation.hours) == (date(2024, 4, 2), "县关工委", Decimal(3))
    assert set(mediation.attendees.all()) == set(people.values())
    assert list(Training.objects.get(title="法律知识讲座").attendees.all()) == [people["赵老"]]
    assert AuditEntry.objects.get(action="training.import").changes["created"] == 2


def test_attendees_as_names_in_one_cell_work_too(world, staff):
    people = members(world)
    header = ("培训主题", "日期", "组织单位", "课时", "参训人员")
    rows = [["心理疏导培训", 20240610, "市关工委", 2, "赵老、钱老，孙老"]]
    response = upload(staff, attendance(rows, header=header))
    assert response.context["plan"].is_valid, response.context["plan"].errors
    confirm(staff, response)
    training = Training.objects.get()
    assert training.held_on == date(2024, 6, 10) and set(training.attendees.all()) == set(people.values())


def test_unknown_people_numeric_ids_and_disagreeing_rows_are_reported_and_nothing_is_written(world, staff):
    members(world)
    rows = [
        [1, "调解技巧培训", "2024.4.2", "县关工委", 3, "赵老", person_id(1)],
        [2, "调解技巧培训", "2024.4.2", "县关工委", 3, "钱老", float(person_id(2))],  # row 4: a number cell
        [3, "调解技巧培训", "2024.4.2", "县关工委", 4, "孙老", None],  # row 5: other hours, same training
        [4, "调解技巧培训", "2024.4.2", "县关工委", 3, "周老", None],  # row 6: not a member
        [5, "调解技巧培训", "2024.4.2", "县关工委", 3, "钱老", person_id(1)],  # row 7: ID of 赵老
    ]
    response = upload(staff, attendance(rows))
    errors = {(e.row, e.letter): e.message for e in response.context["plan"].errors}
    assert errors[(4, "G")] == NUMERIC_ID
    assert "与第 3 行同一培训" in errors[(5, "E")]
    assert errors[(6, "F")] == "本站在册志愿者中没有“周老”"
    assert "不一致" in errors[(7, "F")]
    assert str(int(float(person_id(2)))) not in response.content.decode()
    assert "token" not in response.context and not Training.objects.exists()


def test_the_same_sign_in_list_twice_records_nothing_twice(world, staff):
    members(world)
    confirm(staff, upload(staff, attendance()))
    again = upload(staff, attendance())
    assert {e.message for e in again.context["plan"].errors} == {"本站已登记同一天、同主题的培训（可能已导入过）"}
    assert Training.objects.count() == 2


def test_supervisors_may_not_import_trainings(world, client_as):
    response = upload(client_as(world.user("county")), attendance())
    assert response.status_code == 403
