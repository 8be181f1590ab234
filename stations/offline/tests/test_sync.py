"""The offline sync endpoint: the same forms, services and scope as the online pages; a resend never makes
a second record; a refusal comes back with its Chinese reason; a stale score is a conflict."""

import json
import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.tests.factories import activity_type
from inspections import services as inspection_services
from inspections.models import InspectionItem
from inspections.tests.conftest import simple_template
from mentoring.models import Visit
from mentoring.tests.factories import VisitFactory, VolunteerFactory, YouthFactory, id_for
from stations import periods
from stations.offline.models import OfflineSubmission
from volunteers.models import ServiceLog

pytestmark = pytest.mark.django_db

SYNC = "/offline/sync/"


def sync(client, kind, obj, fields, *, client_id=None, base_version=None):
    body = {"client_id": client_id or str(uuid.uuid4()), "kind": kind, "object": obj, "fields": fields}
    if base_version is not None:
        body["base_version"] = base_version
    return client.post(SYNC, json.dumps(body), content_type="application/json")


def visit_fields(**changes):
    today = timezone.localdate().isoformat()
    return {"visited_on": today, "form": "home", "place": "家中", "hours": "1.0", "summary": "谈心", **changes}


@pytest.fixture
def youth(world):
    return YouthFactory(workstation=world.a.station)


@pytest.fixture
def staff_client(world, client_as):
    return client_as(world.user("staff"))


def test_a_visit_sent_twice_is_recorded_once(world, staff_client, youth):
    client_id = str(uuid.uuid4())
    first = sync(staff_client, "visit", youth.pk, visit_fields(), client_id=client_id)
    again = sync(staff_client, "visit", youth.pk, visit_fields(), client_id=client_id)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["object_id"] == again.json()["object_id"] and again.json()["repeat"] is True
    assert Visit.objects.filter(youth=youth).count() == 1
    assert OfflineSubmission.objects.get().user == world.user("staff")


def test_a_visit_of_a_case_closed_meanwhile_comes_back_with_the_reason(staff_client, world):
    closed = YouthFactory(workstation=world.a.station, stage="closed")
    response = sync(staff_client, "visit", closed.pk, visit_fields())
    assert response.status_code == 422
    assert "已结案" in json.dumps(response.json(), ensure_ascii=False)
    assert not Visit.objects.exists() and not OfflineSubmission.objects.exists()


def test_a_visit_in_a_locked_year_comes_back_and_can_be_sent_again_after_reopening(world, staff_client, youth):
    today = timezone.localdate()
    periods.period_lock(actor=world.user("head"), workstation=world.a.station, year=today.year)
    client_id = str(uuid.uuid4())
    refused = sync(staff_client, "visit", youth.pk, visit_fields(), client_id=client_id)
    assert refused.status_code == 422
    assert "锁定" in " ".join(refused.json()["errors"]["visited_on"])
    periods.period_reopen(
        actor=world.user("county"), workstation=world.a.station, year=today.year, reason="补录走访记录"
    )
    assert sync(staff_client, "visit", youth.pk, visit_fields(), client_id=client_id).status_code == 201
    assert Visit.objects.filter(youth=youth).count() == 1


def test_field_errors_come_back_in_chinese_with_the_field_label(staff_client, youth):
    response = sync(staff_client, "visit", youth.pk, visit_fields(summary="", visited_on="2099-01-01"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["summary"][0].startswith("帮教内容：")
    assert not Visit.objects.exists()


def test_another_stations_case_is_not_found_and_nothing_is_recorded(world, staff_client):
    foreign = YouthFactory(workstation=world.b.station)
    response = sync(staff_client, "visit", foreign.pk, visit_fields())
    assert response.status_code == 404
    assert not Visit.objects.exists() and not OfflineSubmission.objects.exists()


def test_a_role_without_the_capability_is_refused(world, client_as, youth):
    response = sync(client_as(world.user("county")), "visit", youth.pk, visit_fields())
    assert response.status_code == 403 and not Visit.objects.exists()
    assert client_as(world.user("city")).post(SYNC, "{}", content_type="application/json").status_code == 403


def test_activity_and_service_hours_are_applied_with_the_online_forms(world, staff_client):
    volunteer = VolunteerFactory(workstation=world.a.station)
    today = timezone.localdate().isoformat()
    activity = {
        "type": str(activity_type("legal_lecture").pk),
        "title": "离线讲座",
        "held_on": today,
        "hours": "2",
        "audience_count": "120",
        "audience_kind": "pupils",
        "police_count": "1",
        "teacher_count": "1",
        "parent_count": "0",
        "minors_reached": "100",
        "people_helped": "0",
        "amount_yuan": "0",
        "school": "新阳路小学",
        "vice_principal_name": "副校长钱某",
    }
    assert sync(staff_client, "activity", world.a.station.pk, activity).status_code == 201
    assert Activity.objects.get(title="离线讲座").workstation == world.a.station
    hours = {"served_on": today, "hours": "2.5", "kind": "visit", "note": "走访陪同"}
    response = sync(staff_client, "service", volunteer.pk, hours)
    assert response.status_code == 201, response.json()
    assert ServiceLog.objects.get(volunteer=volunteer).hours == 2.5


def test_csrf_is_checked_on_the_sync_endpoint(world, youth):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("staff"))
    assert sync(client, "visit", youth.pk, visit_fields()).status_code == 403
    assert not Visit.objects.exists()


def test_a_signed_out_phone_is_sent_to_sign_in(client, youth):
    response = sync(client, "visit", youth.pk, visit_fields())
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- scoring ---------------------------------------------------------------------------------------


@pytest.fixture
def inspection(world):
    simple_template(world.a.province, 2020)
    officer = world.user("county")
    return inspection_services.round_open(actor=officer, county=world.a.county, year=2025, half=1).inspections.get()


def _item(inspection, code="1"):
    return InspectionItem.objects.get(inspection=inspection, item__code=code)


def test_a_stale_offline_score_is_a_conflict_with_the_current_value_and_who(world, client_as, inspection):
    officer = world.user("county")
    item = _item(inspection)
    base = item.version
    # someone else scores the item first (online or another phone)
    inspection_services.inspection_score(actor=officer, inspection=inspection, values={item.pk: ["80"]})
    item.refresh_from_db()
    assert item.version == base + 1
    fields = {"item": str(item.pk), f"v_{item.pk}_0": "90", f"note_{item.pk}": ""}
    response = sync(client_as(officer), "score", inspection.pk, fields, base_version=base)
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == base + 1 and body["current"]["values"] == [80]
    assert body["current"]["by"] == f"{officer.last_name}{officer.first_name}"
    item.refresh_from_db()
    assert item.values == [80]  # nothing overwritten
    # the officer chose to keep theirs: sent again with the version seen
    kept = sync(client_as(officer), "score", inspection.pk, fields, base_version=body["version"])
    assert kept.status_code == 201
    item.refresh_from_db()
    assert item.values == [90] and item.version == base + 2


def test_a_score_of_an_item_no_longer_in_the_inspection_comes_back(world, client_as, inspection):
    fields = {"item": "999999", "v_999999_0": "90"}
    response = sync(client_as(world.user("county")), "score", inspection.pk, fields, base_version=0)
    assert response.status_code == 422 and "已变更" in response.json()["errors"]["__all__"][0]


def test_a_score_of_a_submitted_inspection_comes_back(world, client_as, inspection):
    officer = world.user("county")
    item, veto = _item(inspection), _item(inspection, "V")
    inspection_services.inspection_score(
        actor=officer,
        inspection=inspection,
        values={item.pk: ["80"], veto.pk: ["0"]},
        methods=["report"],
        inspected_on=date(2025, 3, 1),
        summary="总体良好",
    )
    inspection_services.inspection_submit(actor=officer, inspection=inspection)
    fields = {"item": str(item.pk), f"v_{item.pk}_0": "95"}
    response = sync(client_as(officer), "score", inspection.pk, fields, base_version=_item(inspection).version)
    assert response.status_code == 422 and "锁定" in response.json()["errors"]["__all__"][0]


def test_another_countys_inspection_is_not_found(world, client_as, inspection):
    from conftest import make_users

    make_users(world.b)
    item = _item(inspection)
    fields = {"item": str(item.pk), f"v_{item.pk}_0": "95"}
    response = sync(client_as(world.b.users["county"]), "score", inspection.pk, fields, base_version=0)
    assert response.status_code == 404


# --- what the phone keeps ----------------------------------------------------------------------------


def test_the_phone_keeps_only_the_users_own_open_cases_and_the_stations_entry_pages(world, staff_client):
    mine = YouthFactory(workstation=world.a.station)
    VisitFactory(youth=mine, created_by=world.user("staff"))
    others = YouthFactory(workstation=world.a.station)
    VisitFactory(youth=others, created_by=world.user("head"))
    closed = YouthFactory(workstation=world.a.station, stage="closed")
    VisitFactory(youth=closed, created_by=world.user("staff"))
    pages = staff_client.get(reverse("offline:pages")).json()["pages"]
    assert reverse("mentoring:visit-create", args=[mine.pk]) in pages
    assert reverse("mentoring:visit-create", args=[others.pk]) not in pages
    assert reverse("mentoring:visit-create", args=[closed.pk]) not in pages
    assert reverse("activities:activity-create") in pages and reverse("offline:outbox") in pages


def test_above_the_station_only_scoring_pages_are_kept(world, client_as, inspection):
    pages = client_as(world.user("county")).get(reverse("offline:pages")).json()["pages"]
    assert pages == [reverse("offline:outbox"), reverse("inspections:inspection-score", args=[inspection.pk])]
    assert client_as(world.user("city")).get(reverse("offline:pages")).status_code == 403


def test_the_offline_visit_page_shows_no_id_number(world, staff_client):
    number = id_for(date(2010, 1, 1))
    youth = YouthFactory(workstation=world.a.station, id_number=number)
    page = staff_client.get(reverse("mentoring:visit-create", args=[youth.pk])).content.decode()
    assert 'data-offline-kind="visit"' in page
    assert number not in page and number[:6] + "********" not in page


def test_offline_use_is_prepared_on_entry_pages_and_above_the_station_only_when_scoring(world, client_as, inspection):
    staff = client_as(world.user("staff"))
    home = staff.get(reverse("stations:home")).content.decode()
    assert 'data-prepare="1"' not in home and "js/offline/offline.js" in home  # the badge counts everywhere
    for url in (reverse("offline:outbox"), reverse("activities:activity-create")):
        assert 'data-prepare="1"' in staff.get(url).content.decode()
    officer = client_as(world.user("county"))
    assert 'data-prepare="1"' not in officer.get(reverse("stations:home")).content.decode()
    scoring = officer.get(reverse("inspections:inspection-score", args=[inspection.pk])).content.decode()
    assert 'data-prepare="1"' in scoring and f'data-version="{_item(inspection).version}"' in scoring
    assert 'data-mode="signed-in"' not in client_as(world.user("city")).get(reverse("stations:home")).content.decode()


def test_service_worker_is_served_at_the_root(world, staff_client):
    response = staff_client.get(reverse("offline:service-worker"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and b'addEventListener("fetch"' in response.content


def test_logout_clears_the_site_data_of_the_browser(world, staff_client):
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    # storage (Cache API, IndexedDB, local storage, the service worker); not the HTTP cache, which holds no
    # signed-in page: every answer to a signed-in user is no-store (test_residual_information)
    assert response["Clear-Site-Data"] == '"storage"'


def test_two_sends_of_one_entry_at_once_leave_one_record(world, staff_client, youth, monkeypatch):
    """The second send passed the "already applied?" look-up before the first one committed: the unique
    constraint refuses its row, its visit is rolled back with it, and it answers with the first result."""
    from stations.offline import services

    client_id = uuid.uuid4()
    first = sync(staff_client, "visit", youth.pk, visit_fields(), client_id=str(client_id))
    assert first.status_code == 201
    real_known, calls = services._known, []

    def late_look_up(actor, cid):
        calls.append(cid)
        return None if len(calls) == 1 else real_known(actor, cid)

    monkeypatch.setattr(services, "_known", late_look_up)
    again = sync(staff_client, "visit", youth.pk, visit_fields(), client_id=str(client_id))
    assert again.status_code == 200 and again.json()["object_id"] == first.json()["object_id"]
    assert len(calls) == 2 and Visit.objects.filter(youth=youth).count() == 1
