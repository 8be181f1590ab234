"""Named figures of the mentoring app (the contract in docs/extending.md)."""

from datetime import date
from decimal import Decimal

import pytest

from mentoring.figures import reoffending_rate
from mentoring.models import Reinvolvement, Youth
from mentoring.tests.factories import PoliceCallFactory, VisitFactory, YouthFactory
from stations.figures import Period, get_figure

ALL_KEYS = [
    "mentoring.youth_under_mentoring",
    "mentoring.youth_new",
    "mentoring.youth_closed",
    "mentoring.reoffended",
    "mentoring.reoffending_rate",
    "mentoring.visits",
    "mentoring.youth_visited",
    "mentoring.listed_without_team",
    "mentoring.overdue_contacts",
    "mentoring.runaway_calls",
    "mentoring.runaway_followed_up",
    "mentoring.back_to_school",
]


@pytest.mark.parametrize(
    ("again", "under", "expected"),
    [(33, 1038, Decimal("3.2")), (0, 24, Decimal("0.0")), (1, 8, Decimal("12.5")), (1, 16, Decimal("6.3")), (0, 0, 0)],
)
def test_reoffending_rate_rounds_half_up(again, under, expected):
    assert reoffending_rate(again, under) == expected


def test_every_contract_key_is_registered():
    for key in ALL_KEYS:
        assert get_figure(key).key == key


def test_changzhou_example_33_of_1038(world):
    station = world.a.station
    Youth.all_objects.bulk_create(
        [
            Youth(
                workstation=station,
                name=f"测{i}",
                gender="male",
                birth_date=date(2009, 1, 1),
                school_status="junior",
                intake_source="school",
                intake_on=date(2023, 6, 1),
                risk_level="low",
                risk_assessed_on=date(2023, 6, 1),
                stage="active",
                is_sealed=i < 5,  # sealed files still count in totals
            )
            for i in range(1038)
        ]
    )
    ids = list(Youth.all_objects.filter(workstation=station).values_list("pk", flat=True)[:33])
    Reinvolvement.objects.bulk_create([Reinvolvement(youth_id=pk, kind="admin", on=date(2024, 5, 1)) for pk in ids])
    Reinvolvement.objects.create(youth_id=ids[0], kind="criminal", on=date(2024, 9, 1))  # one person, counted once
    Reinvolvement.objects.create(youth_id=ids[-1] + 1, kind="admin", on=date(2023, 9, 1))  # another year
    period = Period(2024)
    figure = get_figure("mentoring.reoffending_rate")
    assert get_figure("mentoring.youth_under_mentoring").for_stations(station_ids=[station.pk], period=period) == {
        station.pk: 1038
    }
    assert get_figure("mentoring.reoffended").for_stations(station_ids=[station.pk], period=period) == {station.pk: 33}
    assert figure.for_stations(station_ids=[station.pk], period=period) == {station.pk: Decimal("3.2")}
    assert figure.total_for(station_ids=[station.pk, world.b.station.pk], period=period) == Decimal("3.2")


def test_daguan_example_0_of_24(world):
    for _i in range(24):
        YouthFactory(workstation=world.a.station, intake_on=date(2018, 2, 1), risk_assessed_on=date(2018, 2, 1))
    figure = get_figure("mentoring.reoffending_rate")
    assert figure.total_for(station_ids=[world.a.station.pk], period=Period(2018)) == Decimal("0.0")


def test_counts_of_new_closed_visits_and_calls(world):
    station = world.a.station
    a = YouthFactory(workstation=station, intake_on=date(2025, 3, 1), risk_assessed_on=date(2025, 3, 1))
    b = YouthFactory(
        workstation=station,
        intake_on=date(2024, 3, 1),
        stage="closed",
        closed_on=date(2025, 8, 1),
        outcome="employed",
        risk_assessed_on=date(2024, 3, 1),
    )
    VisitFactory(youth=a, visited_on=date(2025, 4, 1))
    VisitFactory(youth=a, visited_on=date(2025, 5, 1))
    VisitFactory(youth=b, visited_on=date(2025, 2, 1))
    VisitFactory(youth=b, visited_on=date(2024, 12, 1))
    PoliceCallFactory(workstation=station, called_at="2025-06-01T22:00:00+08:00", followup_on=date(2025, 6, 2))
    PoliceCallFactory(workstation=station, called_at="2025-07-01T22:00:00+08:00")
    period, ids = Period(2025), [station.pk]

    def value(key):
        return get_figure(key).for_stations(station_ids=ids, period=period)[station.pk]

    assert value("mentoring.youth_new") == 1
    assert value("mentoring.youth_closed") == 1
    assert value("mentoring.youth_under_mentoring") == 2
    assert value("mentoring.visits") == 3
    assert value("mentoring.youth_visited") == 2
    assert value("mentoring.runaway_calls") == 2
    assert value("mentoring.runaway_followed_up") == 1
    # Overdue is judged on today's case records (`overdue_q`, one definition with the overdue list):
    # a is open and its last contact (2025-05-01, low risk: due 2025-07-30) is past due at 2025-12-31;
    # b is closed, so it is overdue in no period, as the list shows it.
    type(a).all_objects.filter(pk=a.pk).update(last_contact_on=date(2025, 5, 1))  # as the visit service does
    assert value("mentoring.overdue_contacts") == 1
    assert get_figure("mentoring.overdue_contacts").for_stations(station_ids=ids, period=Period(2025, 1)) == {
        station.pk: 0
    }
