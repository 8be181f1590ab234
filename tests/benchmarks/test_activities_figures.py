"""Benchmark: the activities figures for a county-sized scope stay in a fixed number of queries and fast."""

import time
from datetime import date, timedelta

import pytest

from activities.models import Activity, ActivityType
from stations.figures import Period, all_figures
from stations.models import OrgKind
from stations.tests.factories import OrgUnitFactory, WorkstationFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def test_all_activity_figures_for_100_stations_and_10000_activities(django_assert_max_num_queries):
    county = OrgUnitFactory(kind=OrgKind.COUNTY)
    stations = [WorkstationFactory(county=county) for _ in range(100)]
    types = list(ActivityType.objects.all())
    records = [
        Activity(
            workstation=stations[i % 100],
            type=types[i % len(types)],
            title=f"活动{i}",
            held_on=date(2025, 1, 1) + timedelta(days=i % 365),
            audience_count=i % 300,
        )
        for i in range(10_000)
    ]
    Activity.objects.bulk_create(records, batch_size=1000)
    links = [Activity.stations.through(activity_id=a.pk, workstation_id=a.workstation_id) for a in records]
    Activity.stations.through.objects.bulk_create(links, batch_size=2000)
    ids = [s.pk for s in stations]
    figures = [f for f in all_figures() if f.key.startswith("activities.")]
    started = time.perf_counter()
    with django_assert_max_num_queries(4 * len(figures)):
        for figure in figures:
            figure.for_stations(station_ids=ids, period=Period(2025))
            figure.total_for(station_ids=ids, period=Period(2025))
    elapsed = time.perf_counter() - started
    print(f"{len(figures)} activity figures, 100 stations, 10 000 activities: {elapsed:.2f} s")
    assert elapsed < 10
