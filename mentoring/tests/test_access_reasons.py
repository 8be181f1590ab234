"""Reasons that unlock a minor's full file, sealed content or a named export (DOMAIN §7.3, §7.5, §7.7;
SECURITY DATA-2): a reason from the list chosen for that use plus details of a minimum length; "abcd"
opens nothing; the audit entry records the reason code and the details."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.tests.factories import YouthFactory
from stations import idnumbers
from stations.models import AuditEntry, ExportJob

OPEN_NAME, OPEN_ID = "欧阳明辉", idnumbers.make("230102", date(2010, 6, 7), 555)
SEALED_NAME = "封存标记鑫"


@pytest.fixture
def cases(world):
    visible = YouthFactory(
        workstation=world.a.station,
        name=OPEN_NAME,
        id_number=OPEN_ID,
        id_hash=idnumbers.lookup_hash(OPEN_ID),
        birth_date=date(2010, 6, 7),
    )
    sealed = YouthFactory(
        workstation=world.a.station,
        name=SEALED_NAME,
        stage="closed",
        outcome="completed",
        closed_on=timezone.localdate(),
        is_sealed=True,
        sealed_on=timezone.localdate(),
        seal_ground="刑事诉讼法第二百八十六条",
    )
    return {"visible": visible, "sealed": sealed}


DETAILS = "半年督查抽查甲站帮教档案"


def errors(html: str, field: str) -> list[str]:
    return re.findall(rf'data-field="{field}">([^<]*)<', html)


def test_abcd_does_not_open_a_full_file(world, client_as, cases):
    url = reverse("mentoring:youth-full", args=[cases["visible"].pk])
    response = client_as(world.user("county")).post(url, {"reason_code": "inspection", "reason": "abcd"})
    page = response.content.decode()
    assert any("至少 10 个字" in e for e in errors(page, "reason")), errors(page, "reason")
    assert OPEN_NAME not in page and OPEN_ID not in page
    assert not AuditEntry.objects.filter(action="youth.view_full").exists()


def test_details_without_a_reason_from_the_list_do_not_open_a_full_file(world, client_as, cases):
    url = reverse("mentoring:youth-full", args=[cases["visible"].pk])
    response = client_as(world.user("county")).post(url, {"reason": DETAILS})
    page = response.content.decode()
    assert errors(page, "reason_code") and OPEN_NAME not in page
    assert not AuditEntry.objects.filter(action="youth.view_full").exists()


def test_full_file_opens_with_a_listed_reason_and_details_and_the_log_keeps_both(world, client_as, cases):
    client = client_as(world.user("county"))
    url = reverse("mentoring:youth-full", args=[cases["visible"].pk])
    form = client.get(url).content.decode()
    assert "督查核查" in form and "家庭走访准备" in form
    response = client.post(url, {"reason_code": "inspection", "reason": DETAILS})
    page = response.content.decode()
    assert OPEN_NAME in page and OPEN_ID in page
    entry = AuditEntry.objects.get(action="youth.view_full")
    assert entry.changes["reason_code"] == "inspection"
    assert entry.reason == f"督查核查：{DETAILS}"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"reason_code": "legal_query", "reason": "法院查询"}, "reason"),
        ({"reason_code": "home_visit", "reason": "准备下周家访需要了解旧案"}, "reason_code"),  # not for sealed files
    ],
)
def test_sealed_content_needs_a_reason_for_a_legal_query(world, client_as, cases, data, field):
    response = client_as(world.user("head")).post(
        reverse("mentoring:sealed-view"), {"case": cases["sealed"].pk, **data}
    )
    page = response.content.decode()
    assert errors(page, field) and SEALED_NAME not in page
    assert not AuditEntry.objects.filter(action="youth.view_sealed").exists()


def test_sealed_content_opens_with_a_legal_query_and_the_log_keeps_code_and_details(world, client_as, cases):
    client = client_as(world.user("head"))
    assert "法定查询程序" in client.get(reverse("mentoring:sealed-view")).content.decode()
    details = "区法院（2025）刑查字第12号依法查询"
    response = client.post(
        reverse("mentoring:sealed-view"), {"case": cases["sealed"].pk, "reason_code": "legal_query", "reason": details}
    )
    assert SEALED_NAME in response.content.decode()
    entry = AuditEntry.objects.get(action="youth.view_sealed")
    assert entry.changes["reason_code"] == "legal_query" and entry.reason == f"法定查询程序：{details}"


NAMED = reverse("mentoring:youth-export")


def test_abcd_does_not_export_a_named_list(world, client_as, cases):
    data = {"workstation": world.a.station.pk, "reason_code": "inspection", "reason": "abcd"}
    response = client_as(world.user("county")).post(NAMED, data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert any("至少 10 个字" in e for e in errors(response.content.decode(), "reason"))
    assert not ExportJob.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="export.").exists()


def test_named_export_with_a_listed_reason_is_logged_with_code_and_details(world, client_as, cases):
    client = client_as(world.user("county"))
    page = client.get(NAMED).content.decode()
    assert "统计数据核对" in page
    data = {"workstation": world.a.station.pk, "reason_code": "statistics_check", "reason": "核对县级半年报送名单"}
    response = client.post(NAMED, data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="export.named")
    assert entry.changes["reason_code"] == "statistics_check"
    assert entry.reason == "统计数据核对：核对县级半年报送名单"


def test_no_named_export_job_is_started_whatever_the_reason(world, client_as, cases):
    """The named list is made on its page only (encrypted); the background job path refuses it."""
    client = client_as(world.user("county"))
    url = reverse("reports:job-start", kwargs={"slug": "mentoring-youth-named"})
    for reason in ("abcd", "核对县级半年报送名单"):
        response = client.post(url, {"reason_code": "inspection", "reason": reason}, follow=True)
        assert "只能在其导出页面生成" in response.content.decode()
    assert not ExportJob.objects.exists()
