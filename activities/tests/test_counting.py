"""Counting rules (DOMAIN §5) on hand-counted fixtures: 场次, 人次, 人数, joint activities, coverage."""

from datetime import date
from decimal import Decimal

import pytest

from activities import selectors
from activities.tests.factories import activity, volunteer
from stations.figures import Period
from stations.models import StationStatus, WorkSystem
from stations.tests.factories import WorkstationFactory

pytestmark = pytest.mark.django_db

Y2025 = Period(2025)


@pytest.fixture
def check_case(world):
    """DOMAIN §5: lecture 1 (300 pupils, V1+V2), lecture 2 (250, V1), talk 3 (80, V2+V3)."""
    station = world.a.station
    v1, v2, v3 = (volunteer(station, name) for name in ("志愿甲", "志愿乙", "志愿丙"))
    activity(station, "legal_lecture", audience_count=300, volunteers=[v1, v2], held_on=date(2025, 3, 1))
    activity(station, "legal_lecture", audience_count=250, volunteers=[v1], held_on=date(2025, 4, 1))
    activity(station, "other", audience_count=80, volunteers=[v2, v3], held_on=date(2025, 9, 1))
    return station


def test_domain_check_case_totals(check_case):
    counts = selectors.totals(station_ids=[check_case.pk], period=Y2025)
    assert counts["sessions"] == 3
    assert counts["audience"] == 630
    assert counts["volunteer_attendances"] == 5
    assert counts["headcount"] == 3


def test_domain_check_case_per_station(check_case):
    counts = selectors.per_station_counts(station_ids=[check_case.pk], period=Y2025)[check_case.pk]
    assert (counts["sessions"], counts["audience"], counts["volunteer_attendances"], counts["headcount"]) == (
        3,
        630,
        5,
        3,
    )


def test_volunteer_in_three_lectures_is_three_person_times_one_person(world):
    station = world.a.station
    v1 = volunteer(station)
    for month in (1, 2, 3):
        activity(station, "legal_lecture", held_on=date(2025, month, 5), volunteers=[v1])
    counts = selectors.totals(station_ids=[station.pk], period=Y2025)
    assert (counts["sessions"], counts["volunteer_attendances"], counts["headcount"]) == (3, 3, 1)


def test_period_and_archived_records_are_left_out(world):
    station = world.a.station
    activity(station, held_on=date(2025, 6, 30), audience_count=10)
    activity(station, held_on=date(2025, 7, 1), audience_count=20)
    activity(station, held_on=date(2024, 12, 31), audience_count=40)
    activity(station, held_on=date(2025, 5, 1), audience_count=80, is_archived=True)
    assert selectors.totals(station_ids=[station.pk], period=Period(2025, 1))["audience"] == 10
    assert selectors.totals(station_ids=[station.pk], period=Period(2025, 2))["audience"] == 20
    assert selectors.totals(station_ids=[station.pk], period=Y2025)["sessions"] == 2


def test_other_participants_are_person_times_apart_from_audience(world):
    station = world.a.station
    activity(station, police_count=3, teacher_count=2, parent_count=5, audience_count=100)
    activity(station, police_count=1)
    counts = selectors.totals(station_ids=[station.pk], period=Y2025)
    assert counts["other_attendances"] == 11
    assert counts["audience"] == 100


def test_joint_activity_counts_once_per_station_and_once_for_the_county(world):
    county = world.a.county
    a = world.a.station
    second = WorkstationFactory(county=county)
    third = WorkstationFactory(county=county)
    va, v2 = volunteer(a), volunteer(second)
    activity(a, "joint_meeting", joint=[second, third], audience_count=40, volunteers=[va, v2])
    activity(a, "training", audience_count=10)
    activity(second, "training", audience_count=5, volunteers=[v2])
    ids = [a.pk, second.pk, third.pk]
    per_station = selectors.per_station_counts(station_ids=ids, period=Y2025)
    assert [per_station[i]["sessions"] for i in ids] == [2, 2, 1]
    assert [per_station[i]["audience"] for i in ids] == [50, 45, 40]
    county_total = selectors.totals(station_ids=ids, period=Y2025)
    assert county_total["sessions"] == 3  # ≠ 2 + 2 + 1
    assert county_total["audience"] == 55
    assert county_total["volunteer_attendances"] == 3
    assert county_total["headcount"] == 2
    assert sum(per_station[i]["sessions"] for i in ids) == 5


def test_counts_by_type_system_and_month(world):
    station = world.a.station
    v1 = volunteer(station)
    activity(station, "legal_lecture", held_on=date(2025, 3, 1), audience_count=300, volunteers=[v1])
    activity(station, "legal_lecture", held_on=date(2025, 3, 20), audience_count=250, volunteers=[v1])
    activity(station, "relief", held_on=date(2025, 5, 2), amount_yuan=Decimal("1500.50"), people_helped=3)
    by_system = {
        row["system"]: row for row in selectors.counts_by(station_ids=[station.pk], period=Y2025, key="system")
    }
    assert by_system["legal_education"]["sessions"] == 2
    assert by_system["legal_education"]["audience"] == 550
    assert by_system["legal_education"]["volunteer_attendances"] == 2
    assert by_system["legal_education"]["headcount"] == 1
    assert by_system["relief"]["sessions"] == 1
    by_month = {
        row["month"]: row["sessions"]
        for row in selectors.counts_by(station_ids=[station.pk], period=Y2025, key="month")
    }
    assert by_month == {3: 2, 5: 1}
    by_type = {
        row["type"]: row["sessions"] for row in selectors.counts_by(station_ids=[station.pk], period=Y2025, key="type")
    }
    assert by_type == {"法治教育/法治宣讲": 2, "扶贫济困": 1}


def test_donation_totals_add_up(world):
    station = world.a.station
    activity(station, "relief", amount_yuan=Decimal("1540.00"), people_helped=1)
    activity(station, "relief", amount_yuan=Decimal("135500.00"), people_helped=88, held_on=date(2025, 9, 9))
    activity(station, "relief", amount_yuan=Decimal("999.00"), held_on=date(2024, 9, 9))
    totals = selectors.donation_totals(station_ids=[station.pk], period=Y2025)
    assert totals == {"sessions": 2, "amount_yuan": Decimal("137040.00"), "people_helped": 89}


def test_lecturer_activity_counts_lectures_per_lecturer(world):
    station = world.a.station
    lecturer = volunteer(station, "宣讲老赵", lecturer=True)
    activity(station, "legal_lecture", lecturer=lecturer, audience_count=100)
    activity(station, "legal_lecture", lecturer=lecturer, audience_count=50, held_on=date(2025, 4, 4))
    activity(station, "legal_lecture", vice_principal_name="副校长钱某", audience_count=200)
    rows = selectors.lecturer_activity(station_ids=[station.pk], period=Y2025)
    assert [(r["name"], r["lectures"], r["audience"]) for r in rows] == [("宣讲老赵", 2, 150), ("副校长钱某", 1, 200)]


def test_lecturer_activity_counts_a_joint_lecture_once_and_only_the_periods_live_lectures(world):
    station = world.a.station
    partner = WorkstationFactory(county=world.a.county)
    lecturer = volunteer(station, "宣讲老赵", lecturer=True)
    activity(station, "legal_lecture", lecturer=lecturer, audience_count=100, joint=[partner])
    activity(station, "legal_lecture", lecturer=lecturer, audience_count=7, held_on=date(2024, 5, 5))
    activity(station, "legal_lecture", lecturer=lecturer, audience_count=9, is_archived=True)
    activity(station, "training", lecturer=lecturer, audience_count=11)  # not a lecture
    activity(world.b.station, "legal_lecture", lecturer=lecturer, audience_count=13)  # not these stations
    rows = selectors.lecturer_activity(station_ids=[station.pk, partner.pk], period=Y2025)
    assert [(r["name"], r["lectures"], r["audience"]) for r in rows] == [("宣讲老赵", 1, 100)]


SYSTEM_TYPES = ["theory_study", "training", "joint_meeting", "legal_lecture", "mentoring_group", "relief"]


def test_coverage_nine_of_twelve_is_75_percent(world):
    county = world.a.county
    stations = [world.a.station, *(WorkstationFactory(county=county) for _ in range(11))]
    for index, station in enumerate(stations):
        codes = SYSTEM_TYPES if index < 9 else [*SYSTEM_TYPES[:-1], "other"]
        for code in codes:
            activity(station, code)
    exempt = WorkstationFactory(county=county, status=StationStatus.EXEMPT)  # not eligible
    result = selectors.coverage(station_ids=[s.pk for s in stations] + [exempt.pk], period=Y2025)
    assert (result["qualifying"], result["eligible"]) == (9, 12)
    assert result["rate"] == Decimal("75.0")
    assert [row["station"] for row in result["missing"]] == stations[9:]
    assert all(row["systems"] == [WorkSystem.RELIEF] for row in result["missing"])


def test_joint_activity_counts_toward_each_participants_coverage(world):
    county = world.a.county
    a, b = world.a.station, WorkstationFactory(county=county)
    for code in SYSTEM_TYPES[:-1]:
        activity(a, code)
        activity(b, code)
    activity(a, "relief", joint=[b])
    result = selectors.coverage(station_ids=[a.pk, b.pk], period=Y2025)
    assert (result["qualifying"], result["eligible"], result["missing"]) == (2, 2, [])


def test_coverage_with_no_eligible_station_has_no_rate(world):
    station = WorkstationFactory(county=world.a.county, status=StationStatus.DEFERRED)
    assert selectors.coverage(station_ids=[station.pk], period=Y2025)["rate"] is None
