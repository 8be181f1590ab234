"""Minors' identity in the audit log (DATA-1, DATA-2, AUD-1, AUD-5).

Cases are written through the real services with unique synthetic markers (name, ID number, birth
date, address, guardian); the audit administrator then requests every audit page (list with filters,
Django admin changelist and change views) and the audit export, and none of the markers may come
back, while the entries themselves must be there (by id and action).
"""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring import services
from mentoring.models import Youth
from mentoring.tests.factories import VolunteerFactory
from stations import idnumbers
from stations.masking import mask_id_number
from stations.models import AuditEntry

NAME = "审计鑫淼"
SEALED_NAME = "禤封存"  # a rare surname: even the masked 禤某 must not show once the case is sealed
GUARDIAN = "监护鑫淼"
GUARDIAN_PHONE = "13911112222"


def _born(years: int, month: int, day: int) -> date:
    return date(timezone.localdate().year - years, month, day)


def _markers(born: date) -> list[str]:
    return [born.isoformat(), f"{born:%Y%m%d}", f"{born.year}年{born.month}月{born.day}日"]


def _intake(staff, station, *, name, born, id_number, home_area, guardians=()):
    today = timezone.localdate()
    return services.youth_intake(
        actor=staff,
        workstation=station,
        guardians=list(guardians),
        categories=["misconduct"],
        name=name,
        gender="male",
        birth_date=born,
        id_number=id_number,
        school_status="junior",
        home_area=home_area,
        intake_source="school",
        intake_on=today - timedelta(days=20),
        risk_level="high",
        risk_assessed_on=today - timedelta(days=20),
    )


@pytest.fixture
def cases(world):
    today = timezone.localdate()
    staff, head, county = world.user("staff"), world.user("head"), world.user("county")
    station = world.a.station
    born, sealed_born = _born(16, 8, 17), _born(15, 3, 9)
    open_id, sealed_id = idnumbers.make("230102", born, 913), idnumbers.make("230102", sealed_born, 915)

    youth = _intake(
        staff,
        station,
        name=NAME,
        born=born,
        id_number=open_id,
        home_area="南岗区鑫淼社区七号楼",
        guardians=[{"relation": "母亲", "name": GUARDIAN, "phone": GUARDIAN_PHONE}],
    )
    services.youth_update(
        actor=staff, youth=youth, categories=["idle"], home_area="南岗区淼鑫小区", school_status="dropped_out"
    )
    services.guardian_add(actor=staff, youth=youth, relation="父亲", name=GUARDIAN + "父", phone="13911113333")
    services.youth_consent_record(
        actor=staff,
        youth=youth,
        consent_by=GUARDIAN,
        consent_relation="母亲",
        consent_on=today - timedelta(days=19),
        consent_scope="帮教",
    )
    services.youth_transition(actor=staff, youth=youth, to_stage="active", reason="开始帮教")
    services.youth_assess(actor=staff, youth=youth, risk_level="medium", assessed_on=today - timedelta(days=5))
    services.team_create(
        actor=staff,
        youth=youth,
        team_type="one_to_one",
        lead=VolunteerFactory(workstation=station),
        members=[],
        formed_on=today - timedelta(days=18),
    )
    services.visit_record(
        actor=staff, youth=youth, visited_on=today - timedelta(days=3), place="鑫淼家中", form="home", summary="谈心"
    )
    services.log_full_view(actor=county, youth=youth, reason_code="inspection", reason="半年督查抽查档案核对情况")
    services.youth_close(actor=head, youth=youth, outcome="back_to_school", closed_on=today, note="复学")

    sealed = _intake(staff, station, name=SEALED_NAME, born=sealed_born, id_number=sealed_id, home_area="道里区禤家村")
    services.youth_transition(actor=staff, youth=sealed, to_stage="active", reason="开始帮教")
    services.visit_record(
        actor=staff, youth=sealed, visited_on=today - timedelta(days=2), place="禤家", form="home", summary="谈心"
    )
    services.youth_close(actor=head, youth=sealed, outcome="completed", closed_on=today)
    services.youth_seal(actor=head, youth=sealed, ground="刑事诉讼法第二百八十六条")
    sealed = Youth.all_objects.get(pk=sealed.pk)
    services.log_sealed_view(actor=head, youth=sealed, reason_code="legal_query", reason="法院依法查询调取封存记录")
    return {
        "open": youth,
        "sealed": sealed,
        "open_secrets": [
            NAME,
            NAME[1:],
            open_id,
            *_markers(born),
            "鑫淼社区",
            "淼鑫小区",
            "七号楼",
            GUARDIAN,
            GUARDIAN_PHONE,
            "13911113333",
            "鑫淼家中",
        ],
        "sealed_secrets": [
            "禤",  # name, masked name, address and visit place all carry it
            sealed_id,
            mask_id_number(sealed_id),
            *_markers(sealed_born),
        ],
    }


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


def xlsx_rows(content: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    sheet = book.worksheets[1]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def audit_pages(client, cases):
    """(url, text) of every audit page and export the audit administrator can request."""
    open_pk, sealed_pk = cases["open"].pk, cases["sealed"].pk
    list_url, export_url = reverse("stations:audit-list"), reverse("stations:audit-export")
    queries = [
        "",
        "?action=youth",
        "?action=visit",
        f"?object={open_pk}",
        f"?object={sealed_pk}",
        "?object=mentoring.Youth",
    ]
    pages = []
    for query in queries:
        response = client.get(list_url + query)
        assert response.status_code == 200, list_url + query
        pages.append((list_url + query, response.content.decode()))
        response = client.get(export_url + query)
        assert response.status_code == 200, export_url + query
        pages.append((export_url + query, xlsx_text(response.content)))
    changelist = reverse("admin:stations_auditentry_changelist")
    for query in ["", f"?q={open_pk}", "?q=youth", "?action__exact=youth.intake"]:
        response = client.get(changelist + query)
        assert response.status_code == 200, changelist + query
        pages.append((changelist + query, response.content.decode()))
    for entry in AuditEntry.objects.all():
        url = reverse("admin:stations_auditentry_change", args=[entry.pk])
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append((url, response.content.decode()))
    return pages


def test_audit_pages_and_export_never_show_a_minors_identity(world, client, cases):
    client.force_login(world.user("audit"))
    pages = audit_pages(client, cases)
    for url, text in pages:
        for secret in cases["open_secrets"] + cases["sealed_secrets"]:
            assert secret not in text, f"{secret} shown at {url}"
    # The entries are there, with the record's id and which fields changed.
    text = dict(pages)[reverse("stations:audit-list") + f"?object={cases['open'].pk}"]
    for action in (
        "youth.intake",
        "youth.update",
        "youth.guardian_add",
        "youth.consent",
        "visit.record",
        "youth.close",
    ):
        assert action in text
    assert f"帮教对象#{cases['open'].pk}" in text
    from mentoring.models import Youth

    for field in ("home_area", "name", "birth_date"):  # which fields changed, by their labels
        assert str(Youth._meta.get_field(field).verbose_name) in text, field
    assert "审某" in text  # the name masked the way the audit administrator (above the station) may see it
    assert "南岗区" in text  # the address down to the district


def test_sealed_cases_entries_show_no_identifying_value(world, client, cases):
    client.force_login(world.user("audit"))
    sealed_pk = cases["sealed"].pk
    response = client.get(reverse("stations:audit-list"), {"object": sealed_pk})
    text = response.content.decode()
    for action in ("youth.intake", "visit.record", "youth.close", "youth.seal", "youth.view_sealed"):
        assert action in text
    assert f"帮教对象#{sealed_pk}" in text and "法院依法查询" in text
    for secret in cases["sealed_secrets"]:
        assert secret not in text
    export = client.get(reverse("stations:audit-export"), {"object": sealed_pk})
    rows = xlsx_rows(export.content)
    assert {"youth.intake", "youth.seal", "youth.view_sealed"} <= {row[5] for row in rows[1:]}
    assert all(row[7] == str(sealed_pk) for row in rows[1:] if row[6] == "mentoring.Youth")


def _legacy_entry(youth: Youth, changes=None) -> AuditEntry:
    """An entry as written before masking: full name and birth date. The chain forbids rewriting it."""
    legacy = AuditEntry(
        actor_username="legacy",
        action="youth.legacy_intake",
        object_type="mentoring.Youth",
        object_id=str(youth.pk),
        object_repr=f"帮教对象#{youth.pk} {youth.name}",
        changes=changes
        or {"name": [None, youth.name], "birth_date": [None, youth.birth_date.isoformat()], "note": youth.name},
        prev_hash=AuditEntry.objects.order_by("-pk").values_list("hash", flat=True).first(),
    )
    legacy.hash = legacy.compute_hash()
    legacy.save()
    return legacy


def test_entries_written_before_masking_are_masked_when_read(world, client, cases):
    youth = cases["open"]
    _legacy_entry(youth)
    _legacy_entry(youth, changes=[youth.name, youth.birth_date.isoformat()])  # not even a dict
    _legacy_entry(cases["sealed"])
    client.force_login(world.user("audit"))
    for url, text in audit_pages(client, cases):
        for secret in [NAME, NAME[1:], youth.birth_date.isoformat(), *cases["sealed_secrets"]]:
            assert secret not in text, f"{secret} shown at {url}"
    text = client.get(reverse("stations:audit-list"), {"action": "youth.legacy"}).content.decode()
    assert text.count("youth.legacy_intake") == 3 and "审某" in text
    assert f"帮教对象#{youth.pk}" in text and f"帮教对象#{cases['sealed'].pk}" in text


def test_searching_the_audit_log_by_a_minors_name_finds_nothing(world, client, cases):
    _legacy_entry(cases["open"])
    _legacy_entry(cases["sealed"])
    client.force_login(world.user("audit"))
    for term in (NAME, NAME[1:], "鑫淼", "禤", "禤某"):
        page = client.get(reverse("stations:audit-list"), {"object": term})
        assert "共 0 条" in page.content.decode(), term
        export = client.get(reverse("stations:audit-export"), {"object": term})
        assert len(xlsx_rows(export.content)) == 1, term  # the header only
        admin = client.get(reverse("admin:stations_auditentry_changelist"), {"q": term})
        assert admin.context["cl"].result_count == 0, term
    # The same searches do find entries by the record's id.
    page = client.get(reverse("stations:audit-list"), {"object": cases["sealed"].pk})
    assert "共 0 条" not in page.content.decode()
