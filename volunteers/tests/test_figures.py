"""The `volunteers.*` figures against a hand-counted fixture, in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest

from stations.figures import FIGURES, Period, shared_work
from stations.tests.factories import WorkstationFactory
from volunteers.models import Position
from volunteers.tests.factories import ServiceLogFactory, TrainingFactory, VolunteerFactory

KEYS = [
    "volunteers.active",
    "volunteers.retired_officers",
    "volunteers.elders",
    "volunteers.new",
    "volunteers.left",
    "volunteers.trainings",
    "volunteers.training_attendances",
    "volunteers.service_hours",
    "volunteers.staffing_failures",
]


@pytest.fixture
def stations(db):
    """Station A (hand-counted for 2025):
    - head (retired officer, joined 2024), deputy (retired officer, 老干部, joined 2025-03-01),
    - retired officer R3 (老教师, joined 2024), grid worker G (joined 2025-08-01, H2),
    - L left 2025-05-10 (retired officer, joined 2023), P paused (auxiliary, joined 2024),
    - F joins 2026-01-05 (after the period).
    At 2025 end: on roll = head, deputy, R3, G, P = 5; retired officers = head, deputy, R3 = 3;
    elders = deputy, R3 = 2; new in 2025 = deputy, G = 2; left in 2025 = L = 1.
    Trainings 2025: T1 (3 attendees), T2 (2 attendees); T3 in 2024 (1 attendee) → 2 sessions, 5 person-times.
    Hours 2025: 2 + 3.5 + 4 = 9.5 (and 10 in 2024). Staffing now: all rules met → 0.
    Station B: one active community police member, nothing else → head, deputy, retired officers missing = 3.
    """
    a, b = WorkstationFactory(), WorkstationFactory()
    head = VolunteerFactory(workstation=a, position=Position.HEAD, joined_on=date(2024, 1, 1))
    deputy = VolunteerFactory(
        workstation=a, position=Position.DEPUTY, elder_category="veteran_cadre", joined_on=date(2025, 3, 1)
    )
    r3 = VolunteerFactory(workstation=a, elder_category="veteran_teacher", joined_on=date(2024, 6, 1))
    grid = VolunteerFactory(workstation=a, member_type="grid_worker", joined_on=date(2025, 8, 1))
    VolunteerFactory(workstation=a, joined_on=date(2023, 1, 1), status="left", left_on=date(2025, 5, 10))
    VolunteerFactory(workstation=a, member_type="auxiliary_police", status="paused", joined_on=date(2024, 2, 1))
    VolunteerFactory(workstation=a, joined_on=date(2026, 1, 5))
    TrainingFactory(workstation=a, held_on=date(2025, 3, 1)).attendees.set([head, deputy, r3])
    TrainingFactory(workstation=a, held_on=date(2025, 9, 1)).attendees.set([head, grid])
    TrainingFactory(workstation=a, held_on=date(2024, 9, 1)).attendees.set([head])
    ServiceLogFactory(volunteer=head, served_on=date(2025, 1, 5), hours=Decimal("2"))
    ServiceLogFactory(volunteer=deputy, served_on=date(2025, 7, 5), hours=Decimal("3.5"))
    ServiceLogFactory(volunteer=grid, served_on=date(2025, 12, 31), hours=Decimal("4"))
    ServiceLogFactory(volunteer=head, served_on=date(2024, 12, 31), hours=Decimal("10"))
    VolunteerFactory(workstation=b, member_type="community_police", joined_on=date(2024, 1, 1))
    return a, b


def test_figures_for_the_year(stations):
    a, b = stations
    values = {key: FIGURES[key].for_stations(station_ids=[a.pk, b.pk], period=Period(2025)) for key in KEYS}
    assert values["volunteers.active"] == {a.pk: 5, b.pk: 1}
    assert values["volunteers.retired_officers"] == {a.pk: 3, b.pk: 0}
    assert values["volunteers.elders"] == {a.pk: 2, b.pk: 0}
    assert values["volunteers.new"] == {a.pk: 2, b.pk: 0}
    assert values["volunteers.left"] == {a.pk: 1, b.pk: 0}
    assert values["volunteers.trainings"] == {a.pk: 2, b.pk: 0}
    assert values["volunteers.training_attendances"] == {a.pk: 5, b.pk: 0}
    assert values["volunteers.service_hours"] == {a.pk: Decimal("9.5"), b.pk: 0}
    assert values["volunteers.staffing_failures"] == {a.pk: 0, b.pk: 3}


def test_figures_for_half_years(stations):
    a, _b = stations
    h1 = {key: FIGURES[key].for_stations(station_ids=[a.pk], period=Period(2025, 1))[a.pk] for key in KEYS}
    # At 30 June 2025: head, deputy, R3, P on roll (G joins in August, L left in May).
    assert h1["volunteers.active"] == 4
    assert h1["volunteers.new"] == 1 and h1["volunteers.left"] == 1
    assert h1["volunteers.trainings"] == 1 and h1["volunteers.training_attendances"] == 3
    assert h1["volunteers.service_hours"] == Decimal("2")
    h2 = FIGURES["volunteers.service_hours"].for_stations(station_ids=[a.pk], period=Period(2025, 2))
    assert h2[a.pk] == Decimal("7.5")


def test_totals_add_up_over_stations(stations):
    a, b = stations
    assert FIGURES["volunteers.active"].total_for(station_ids=[a.pk, b.pk], period=Period(2025)) == 6


@pytest.mark.parametrize("extra", [0, 30])
def test_each_figure_runs_in_one_query(stations, django_assert_num_queries, extra):
    a, b = stations
    ids = [a.pk, b.pk] + [WorkstationFactory().pk for _ in range(extra)]
    for key in sorted(k for k in FIGURES if k.startswith("volunteers.")):
        with django_assert_num_queries(1):
            FIGURES[key].for_stations(station_ids=ids, period=Period(2025))


def test_category_type_and_star_figures(stations):
    a, b = stations
    year = Period(2025)

    def value(key, station=a):
        return FIGURES[key].for_stations(station_ids=[a.pk, b.pk], period=year)[station.pk]

    assert value("volunteers.category_veteran_cadre") == 1 and value("volunteers.category_veteran_teacher") == 1
    assert value("volunteers.retired_officers") == 3 and value("volunteers.type_grid_worker") == 1
    assert "volunteers.type_retired_officer" not in FIGURES  # one figure, one column: the contract key
    assert value("volunteers.type_auxiliary_police") == 1 and value("volunteers.type_community_police", b) == 1
    assert value("volunteers.starred") == 0
    head = a.volunteers.get(position=Position.HEAD)
    for day in range(1, 23):  # 22 × 4 h + 12 h before = 100 h by the end of 2025: one star
        ServiceLogFactory(volunteer=head, served_on=date(2025, 2, day), hours=Decimal("4"))
    for day in range(1, 10):  # 9 × 24 h after the period: 316 h in 2026, two stars
        ServiceLogFactory(volunteer=head, served_on=date(2026, 2, day), hours=Decimal("24"))
    assert value("volunteers.starred") == 1 and value("volunteers.stars_1") == 1 and value("volunteers.stars_2") == 0
    assert FIGURES["volunteers.stars_2"].for_stations(station_ids=[a.pk], period=Period(2026))[a.pk] == 1


def test_star_figures_share_one_sum_of_the_ledger(stations, django_assert_num_queries):
    """A summary asks for six star figures: inside shared_work they read the service-hour ledger once,
    and a later period (or stations outside the first set) is a new sum, never a stale one."""
    a, b = stations
    head = a.volunteers.get(position=Position.HEAD)
    for day in range(1, 6):  # 120 h in 2025: one star
        ServiceLogFactory(volunteer=head, served_on=date(2025, 3, day), hours=Decimal("24"))
    keys = ["volunteers.starred", *(f"volunteers.stars_{level}" for level in range(1, 6))]
    with shared_work():
        with django_assert_num_queries(1):
            values = [FIGURES[key].for_stations(station_ids=[a.pk, b.pk], period=Period(2025)) for key in keys]
            one_station = FIGURES["volunteers.stars_1"].for_stations(station_ids=[a.pk], period=Period(2025))
        assert [v[a.pk] for v in values] == [1, 1, 0, 0, 0, 0] and one_station == {a.pk: 1}
        for day in range(1, 10):  # 216 h more in 2026: two stars
            ServiceLogFactory(volunteer=head, served_on=date(2026, 3, day), hours=Decimal("24"))
        with django_assert_num_queries(1):
            assert FIGURES["volunteers.stars_2"].for_stations(station_ids=[a.pk], period=Period(2026))[a.pk] == 1
    with django_assert_num_queries(1):
        assert FIGURES["volunteers.stars_1"].for_stations(station_ids=[a.pk], period=Period(2025))[a.pk] == 1
