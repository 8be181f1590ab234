"""Minors' privacy (DOMAIN §7, SECURITY DATA-1/DATA-2): each rule looks for the real bytes in every response.

A sealed youth carries a unique marker in its name and ID number; the crawl requests every page and
export of the app as every role and fails if the marker comes back anywhere.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ROLE_KEYS
from mentoring import notices
from mentoring.models import Youth
from mentoring.tests.factories import GuardianFactory, PoliceCallFactory, VisitFactory, YouthFactory
from stations import idnumbers
from stations.models import AuditEntry

SEALED_NAME = "封存标记鑫"
SEALED_ID = idnumbers.make("230102", date(2011, 4, 5), 777)
OPEN_NAME = "欧阳明辉"
OPEN_ID = idnumbers.make("230102", date(2010, 6, 7), 555)
GUARDIAN_PHONE = "13912345678"


@pytest.fixture
def cases(world):
    today = timezone.localdate()
    old = today - timedelta(days=400)
    sealed = YouthFactory(
        workstation=world.a.station,
        name=SEALED_NAME,
        id_number=SEALED_ID,
        id_hash=idnumbers.lookup_hash(SEALED_ID),
        birth_date=date(2011, 4, 5),
        intake_on=old,
        risk_level="high",
        risk_assessed_on=old,
        last_contact_on=old,
        stage="closed",
        closed_on=old + timedelta(days=30),
        outcome="completed",
        is_sealed=True,
        sealed_on=today,
        seal_ground="刑事诉讼法第二百八十六条",
        unseal_requested_on=today,
        unseal_ground="依法解封",
    )
    GuardianFactory(youth=sealed, name="封存监护鑫", phone="13700007777")
    VisitFactory(youth=sealed, visited_on=old, summary="封存走访内容鑫")
    PoliceCallFactory(workstation=world.a.station, youth=sealed, reference="JQSEALED鑫", followup_on=None)
    sealed_overdue = YouthFactory(
        workstation=world.a.station, name=SEALED_NAME + "二", is_sealed=True, intake_on=old, last_contact_on=old
    )
    visible = YouthFactory(
        workstation=world.a.station,
        name=OPEN_NAME,
        id_number=OPEN_ID,
        id_hash=idnumbers.lookup_hash(OPEN_ID),
        birth_date=date(2010, 6, 7),
        intake_on=old,
        last_contact_on=old,
        risk_assessed_on=old,
    )
    GuardianFactory(youth=visible, name="欧阳母亲", phone=GUARDIAN_PHONE)
    VisitFactory(youth=visible, visited_on=today - timedelta(days=200))
    closed = YouthFactory(
        workstation=world.a.station,
        name="王结案",
        stage="closed",
        intake_on=today - timedelta(days=400),
        closed_on=today - timedelta(days=190),
        outcome="employed",
    )
    call = PoliceCallFactory(workstation=world.a.station)
    # notifications about both (read back through the notifications page of the crawl)
    notices.unseal_requested(actor=world.user("head"), youth=sealed)
    notices.closure_proposed(actor=world.user("staff"), youth=visible)
    notices.notify_due()
    return {"sealed": sealed, "sealed2": sealed_overdue, "visible": visible, "closed": closed, "call": call}


def crawl_urls(cases):
    """Every GET page and download of the app, about every kind of object (sealed ones included)."""
    urls = [
        reverse("stations:home"),
        reverse("mentoring:youth-list"),
        reverse("mentoring:youth-list") + "?q=封存标",
        reverse("mentoring:youth-list") + f"?q={cases['sealed'].pk}",
        reverse("mentoring:youth-list") + "?overdue=on",
        reverse("mentoring:overdue-list"),
        reverse("mentoring:followup-list"),
        reverse("mentoring:call-list"),
        reverse("mentoring:call-list") + "?q=JQSEAL",
        reverse("mentoring:unseal-list"),
        reverse("mentoring:encounter-list"),
        reverse("mentoring:encounter-create"),
        reverse("mentoring:sealed-view"),
        reverse("mentoring:youth-create"),
        reverse("mentoring:call-create"),
        reverse("stations:export-download", args=["mentoring-youth-masked"]),
        reverse("stations:export-download", args=["mentoring-youth-named"]),  # sends to the export page
        reverse("mentoring:youth-export"),
        reverse("mentoring:youth-export-done"),
    ]
    per_youth = [
        "youth-detail",
        "youth-full",
        "youth-consent",
        "youth-consent-withdraw",
        "youth-edit",
        "youth-assess",
        "guardian-create",
        "milestone-create",
        "reinvolvement-create",
        "followup-create",
        "team-create",
        "visit-create",
        "youth-close",
    ]
    for key in ("sealed", "sealed2", "visible", "closed"):
        urls += [reverse(f"mentoring:{name}", args=[cases[key].pk]) for name in per_youth]
    urls.append(reverse("mentoring:call-followup", args=[cases["call"].pk]))
    return urls


def search_urls(cases):
    """The header search (by name, case number, ID prefix, a visible name) and the notifications page
    (issue 16 §3): pages outside the app that show youth."""
    search = reverse("search:results")
    return [
        f"{search}?q=封存标",
        f"{search}?q=%23{cases['sealed'].pk}",
        f"{search}?q={cases['sealed'].pk}",
        f"{search}?q=230102",
        f"{search}?q=欧阳",
        f"{search}?q=%23{cases['visible'].pk}",
        reverse("notifications:list"),
    ]


def body(response) -> str:
    content = response.content if not hasattr(response, "streaming_content") else b"".join(response.streaming_content)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        return xlsx_text(content)
    return content.decode("utf-8", errors="replace")


def xlsx_text(content: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


@pytest.mark.parametrize("role", list(ROLE_KEYS))
def test_sealed_marker_appears_in_no_response_for_any_role(world, client, cases, role):
    client.force_login(world.user(role))
    checked = 0
    for url in [*crawl_urls(cases), *search_urls(cases)]:
        response = client.get(url)
        text = body(response)
        for secret in (SEALED_NAME[1:], SEALED_ID, "封存监护", "13700007777", "封存走访内容", "JQSEALED"):
            assert secret not in text, f"{secret} leaked at {url} as {role}"
        checked += response.status_code == 200
    assert checked >= (3 if role in ("staff", "head", "county") else 1)


@pytest.mark.parametrize("role", ["county"])
def test_masked_role_never_sees_real_name_id_or_phone(world, client, cases, role):
    client.force_login(world.user(role))
    for url in [*crawl_urls(cases), *search_urls(cases)]:
        response = client.get(url)
        text = body(response)
        for secret in (OPEN_NAME, OPEN_ID, GUARDIAN_PHONE, "欧阳母亲"):
            assert secret not in text, f"{secret} shown to {role} at {url}"
    response = client.get(reverse("mentoring:youth-list"))
    assert "欧阳某" in response.content.decode()


def test_station_user_sees_full_identity(world, client, cases):
    client.force_login(world.user("staff"))
    text = client.get(reverse("mentoring:youth-detail", args=[cases["visible"].pk])).content.decode()
    assert OPEN_NAME in text and OPEN_ID in text and GUARDIAN_PHONE in text
    text = client.get(reverse("mentoring:youth-list") + "?q=欧阳").content.decode()
    assert OPEN_NAME in text
    text = client.get(reverse("search:results") + "?q=欧阳").content.decode()
    assert OPEN_NAME in text  # the search finds what the list finds


def test_county_search_finds_by_case_number_masked_and_never_the_sealed(world, client, cases):
    client.force_login(world.user("county"))
    text = client.get(reverse("search:results") + f"?q=%23{cases['visible'].pk}").content.decode()
    assert f"#{cases['visible'].pk} 欧阳某" in text
    text = client.get(reverse("search:results") + f"?q=%23{cases['sealed'].pk}").content.decode()
    assert 'data-testid="search-row"' not in text
    notes = client.get(reverse("notifications:list")).content.decode()
    assert f"#{cases['sealed'].pk}" in notes  # the unseal request: case number and station, no name


def test_county_opens_full_file_with_a_reason_and_it_is_logged(world, client, cases):
    county = world.user("county")
    client.force_login(county)
    url = reverse("mentoring:youth-full", args=[cases["visible"].pk])
    response = client.post(url, {"reason": ""})
    assert OPEN_NAME not in response.content.decode()
    assert not AuditEntry.objects.filter(action="youth.view_full").exists()
    response = client.post(url, {"reason_code": "inspection", "reason": "半年督查抽查帮教档案"})
    text = response.content.decode()
    assert OPEN_NAME in text and OPEN_ID in text
    entry = AuditEntry.objects.get(action="youth.view_full")
    assert (
        entry.reason == "督查核查：半年督查抽查帮教档案"
        and entry.actor == county
        and entry.object_id == str(cases["visible"].pk)
    )
    assert OPEN_NAME not in entry.object_repr


def test_county_search_by_name_finds_nothing(world, client, cases):
    client.force_login(world.user("county"))
    response = client.get(reverse("mentoring:youth-list") + "?q=欧阳")
    assert response.context["page"].paginator.count == 0


def test_sealed_view_needs_a_reason_and_logs_it(world, client, cases):
    head = world.user("head")
    client.force_login(head)
    url = reverse("mentoring:sealed-view")
    response = client.post(url, {"case": cases["sealed"].pk, "reason": ""})
    assert SEALED_NAME not in response.content.decode()
    data = {"case": cases["sealed"].pk, "reason_code": "legal_query", "reason": "区法院依法查询（2025）第12号"}
    response = client.post(url, data)
    assert SEALED_NAME in response.content.decode()
    entry = AuditEntry.objects.get(action="youth.view_sealed")
    assert entry.reason == "法定查询程序：区法院依法查询（2025）第12号" and entry.actor == head
    assert SEALED_NAME not in entry.object_repr


def test_sealed_view_of_another_province_is_404(world, client):
    other = YouthFactory(workstation=world.z.station, is_sealed=True)
    client.force_login(world.user("county"))
    data = {"case": other.pk, "reason_code": "legal_query", "reason": "区法院依法查询（2025）第12号"}
    response = client.post(reverse("mentoring:sealed-view"), data)
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["city", "prov"])
def test_city_and_province_get_403_on_every_youth_url_and_export(world, client, cases, role):
    client.force_login(world.user(role))
    for url in crawl_urls(cases)[1:]:
        assert client.get(url).status_code == 403, url


def test_duplicate_warning_never_mentions_a_sealed_file(world, cases):
    from mentoring.services import duplicate_warning

    station = world.a.station
    assert duplicate_warning(actor=world.user("staff"), workstation=station, id_number=SEALED_ID) == ""
    assert "1" in duplicate_warning(actor=world.user("staff"), workstation=station, id_number=OPEN_ID)


def test_sealed_youth_count_in_aggregate_figures(world, cases):
    from mentoring.figures import youth_under_mentoring
    from stations.figures import Period

    today = timezone.localdate()
    result = youth_under_mentoring(station_ids=[world.a.station.pk], period=Period(today.year))
    visible = Youth.objects.filter(workstation=world.a.station).count()
    assert result[world.a.station.pk] >= visible + 1


def test_audit_admin_reads_the_access_log_of_a_file(world, client, cases):
    client.force_login(world.user("county"))
    client.post(
        reverse("mentoring:youth-full", args=[cases["visible"].pk]),
        {"reason_code": "inspection", "reason": "督查核对档案内容是否齐全"},
    )
    client.force_login(world.user("audit"))
    response = client.get(reverse("stations:audit-list") + f"?object={cases['visible'].pk}&action=youth.view_full")
    text = response.content.decode()
    assert response.status_code == 200 and "督查核对档案内容是否齐全" in text
    assert OPEN_NAME not in text


@pytest.mark.parametrize("role", ["staff", "head", "county"])
def test_other_stations_youth_is_404_everywhere(world, client, role):
    """IDOR (AC-5): side b is the same province, another city — out of scope for every user of side a.

    One right answer per URL (AC-2): 404 where the role holds the URL's capability (the object is
    not found in its scope); 403 where it does not, answered before any lookup, alike for every id."""
    from tests.test_access_matrix import ENTRIES

    other = YouthFactory(workstation=world.b.station, name="乙站对象")
    call = PoliceCallFactory(workstation=world.b.station)
    client.force_login(world.user(role))
    names = ["youth-detail", "youth-full", "youth-edit", "youth-consent", "youth-assess", "guardian-create"]
    names += [
        "milestone-create",
        "reinvolvement-create",
        "followup-create",
        "team-create",
        "visit-create",
        "youth-close",
    ]
    for name, pk in [*((name, other.pk) for name in names), ("call-followup", call.pk)]:
        response = client.get(reverse(f"mentoring:{name}", args=[pk]))
        expected = 404 if role in ENTRIES[f"mentoring:{name}"].allowed else 403
        assert response.status_code == expected, name
        assert "乙站对象" not in response.content.decode()
    assert "乙站对象" not in client.get(reverse("mentoring:youth-list")).content.decode()
