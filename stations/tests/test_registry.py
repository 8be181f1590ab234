"""The workstation registry: who may create and edit what, history of renames and merges, list pages."""

from datetime import date

import pytest
from django.urls import reverse

from stations import selectors, services
from stations.models import AuditEntry, OrgKind, StationStatus, Workstation
from stations.scoping import visible_to
from stations.tests.factories import OrgUnitFactory, UserFactory, WorkstationFactory

pytestmark = pytest.mark.django_db


def test_county_officer_creates_a_station_in_their_county(world, client_as):
    client = client_as(world.user("county"))
    response = client.post(
        reverse("stations:workstation-create"),
        {
            "code": "NEW001",
            "county": world.a.county.pk,
            "name": "新建派出所关爱工作站",
            "police_station": "新建派出所",
            "office_location": "station",
        },
    )
    station = Workstation.objects.get(code="NEW001")
    assert response.status_code == 302
    assert station.org_path == world.a.county.path
    assert station.system_documents.count() == 6
    assert AuditEntry.objects.filter(action="workstation.create", object_id=str(station.pk)).count() == 1


def test_county_officer_cannot_create_in_another_county(world, client_as):
    client = client_as(world.user("county"))
    response = client.post(
        reverse("stations:workstation-create"),
        {
            "code": "NEW002",
            "county": world.b.county.pk,
            "name": "越界工作站",
            "police_station": "越界派出所",
            "office_location": "station",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Workstation.objects.filter(code="NEW002").exists()


def test_station_staff_edits_own_profile_and_rename_keeps_history(world, client_as):
    station = world.a.station
    old_name = station.name
    client = client_as(world.user("staff"))
    response = client.post(
        reverse("stations:workstation-edit", args=[station.pk]),
        {
            "name": "改名后的关爱工作站",
            "police_station": station.police_station,
            "office_location": "community",
            "phone": "138 1234 5678",
            "version": station.version,
        },
    )
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.name == "改名后的关爱工作站"
    assert station.phone == "13812345678"
    page = client.get(reverse("stations:workstation-detail", args=[station.pk])).content.decode()
    assert f"原名“{old_name}”" in page
    entry = AuditEntry.objects.get(action="workstation.update")
    assert entry.changes["name"] == [old_name, "改名后的关爱工作站"]
    assert entry.changes["phone"] == ["", "138****5678"]  # sensitive values masked in the log


def test_bad_phone_is_reported_next_to_the_field(world, client_as):
    station = world.a.station
    client = client_as(world.user("staff"))
    response = client.post(
        reverse("stations:workstation-edit", args=[station.pk]),
        {
            "name": station.name,
            "police_station": station.police_station,
            "office_location": "station",
            "phone": "12345",
            "version": station.version,
        },
    )
    assert response.status_code == 200
    assert 'data-field="phone"' in response.content.decode()
    assert "电话号码格式不正确" in response.content.decode()


def test_concurrent_edit_second_save_gets_a_conflict(world):
    staff = world.user("staff")
    station = world.a.station
    services.workstation_update(actor=staff, workstation=station, version=1, office_address="一号路")
    with pytest.raises(services.EditConflict):
        services.workstation_update(actor=staff, workstation=station, version=1, office_address="二号路")
    station.refresh_from_db()
    assert station.office_address == "一号路"
    assert AuditEntry.objects.filter(action="workstation.update").count() == 1


def test_city_officer_reads_but_cannot_edit(world, client_as):
    client = client_as(world.user("city"))
    assert client.get(reverse("stations:workstation-detail", args=[world.a.station.pk])).status_code == 200
    assert client.get(reverse("stations:workstation-edit", args=[world.a.station.pk])).status_code == 403


def test_exempt_needs_the_upper_bureaus_approval(world, client_as):
    client = client_as(world.user("county"))
    url = reverse("stations:workstation-status", args=[world.a.station.pk])
    response = client.post(url, {"status": "exempt", "changed_on": "2025-01-02", "reason": "警力不足"})
    assert response.status_code == 200
    assert "不建或缓建须经上级批准" in response.content.decode()
    response = client.post(
        url,
        {
            "status": "deferred",
            "changed_on": "2025-01-02",
            "reason": "警力不足",
            "approving_unit": "甲县公安局",
            "approval_doc_no": "甲公〔2025〕1号",
            "approval_date": "2025-01-01",
        },
    )
    assert response.status_code == 302
    world.a.station.refresh_from_db()
    assert world.a.station.status == StationStatus.DEFERRED
    assert world.a.station.review_on == date(2026, 1, 2)


def test_merged_station_stays_readable_by_the_successor(world):
    county = world.a.county
    old = WorkstationFactory(county=county, name="旧站派出所关爱工作站")
    services.workstation_set_status(
        actor=world.user("county"),
        workstation=old,
        status=StationStatus.MERGED,
        changed_on=date(2025, 3, 1),
        merged_into=world.a.station,
        reason="派出所合并",
    )
    staff = world.user("staff")
    visible = set(visible_to(Workstation.objects.all(), staff).values_list("name", flat=True))
    assert visible == {world.a.station.name, "旧站派出所关爱工作站"}
    assert selectors.counting_station_ids(on=date(2025, 2, 28)) == {}
    assert selectors.counting_station_ids(on=date(2025, 3, 1)) == {old.pk: world.a.station.pk}


def test_prefix_paths_do_not_leak_between_siblings(db):
    province = OrgUnitFactory(kind=OrgKind.PROVINCE)
    cities = [OrgUnitFactory(kind=OrgKind.CITY, parent=province) for _ in range(12)]
    # City paths like 0001.0002 and 0001.0012 share a text prefix but not a path segment.
    counties = [OrgUnitFactory(kind=OrgKind.COUNTY, parent=city) for city in cities]
    stations = [WorkstationFactory(county=county) for county in counties]
    officer = UserFactory(role="city_officer", org_unit=cities[1])
    assert list(visible_to(Workstation.objects.all(), officer)) == [stations[1]]


def test_list_filters_search_and_counts(world, client_as):
    WorkstationFactory(
        county=world.a.county,
        name="搜索目标派出所关爱工作站",
        status=StationStatus.EXEMPT,
        approving_unit="x",
        approval_doc_no="y",
        approval_date=date(2025, 1, 1),
    )
    client = client_as(world.user("prov"))
    page = client.get(reverse("stations:workstation-list"), {"q": "搜索目标"}).content.decode()
    assert "搜索目标派出所关爱工作站" in page and "共 1 条" in page
    page = client.get(reverse("stations:workstation-list"), {"status": "exempt"}).content.decode()
    assert "共 1 条" in page
    page = client.get(reverse("stations:workstation-list"), {"city": world.b.city.pk}).content.decode()
    assert world.b.station.name in page and world.a.station.name not in page
    assert world.z.station.name not in client.get(reverse("stations:workstation-list")).content.decode()


@pytest.mark.parametrize("rows", [50, 500])
def test_list_query_count_does_not_grow_with_rows(world, client_as, django_assert_max_num_queries, rows):
    Workstation.objects.bulk_create(
        [
            Workstation(
                code=f"B{i:05d}",
                name=f"批量{i}关爱工作站",
                police_station=f"批量{i}派出所",
                county=world.a.county,
                org_path=world.a.county.path,
            )
            for i in range(rows)
        ]
    )
    client = client_as(world.user("prov"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("stations:workstation-list"))
    assert response.status_code == 200
    assert f"共 {rows + 2} 条" in response.content.decode()


def test_home_lists_what_is_due(world, client_as):
    from stations.models import SystemDocument

    SystemDocument.objects.create(workstation=world.a.station, system="training", document="x.pdf")
    deferred = WorkstationFactory(
        county=world.a.county,
        name="缓建站",
        status=StationStatus.DEFERRED,
        approving_unit="x",
        approval_doc_no="y",
        approval_date=date(2024, 1, 1),
        review_on=date(2025, 1, 1),
    )
    page = client_as(world.user("county")).get(reverse("stations:home")).content.decode()
    assert "缓建站：缓建复核日期 2025-01-01 已到" in page
    assert f"{world.a.station.name}：缺少 5 项制度文件" in page
    assert deferred.name not in client_as(world.user("staff")).get(reverse("stations:home")).content.decode()


@pytest.mark.django_db
def test_a_control_character_in_a_station_filter_or_lookup_is_a_field_error_not_a_crash(world, client_as):
    """PostgreSQL refuses NUL bytes in text: the station box never sends one to the database."""
    from django.urls import reverse

    client = client_as(world.user("county"))
    response = client.get(reverse("volunteers:volunteer-list"), {"workstation": "\x00"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    lookup = client.get(reverse("stations:station-lookup"), {"q": "\x00甲"})
    assert lookup.status_code == 200 and world.a.station.name in lookup.content.decode()
