"""The home page's query count does not grow with the rows in scope (issue 15 §3), for a station and a
county user: the count at a few rows bounds the count at many."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.tests.factories import activity, volunteer
from stations.tests.factories import WorkstationFactory

pytestmark = pytest.mark.django_db


def _add_rows(world, n):
    station = world.a.station
    people = [volunteer(station) for _ in range(2)]
    for index in range(n):
        activity(station, held_on=date(2025, 1 + index % 12, 1 + index % 28), volunteers=people)
    for _ in range(n // 10):
        WorkstationFactory(county=world.a.county)


@pytest.mark.parametrize("role", ["staff", "county"])
def test_home_query_count_is_independent_of_rows(world, client_as, django_assert_max_num_queries, role):
    client = client_as(world.user(role))
    # a second station in the county from the start: its year's activity figures are then kept (computed in
    # the request when there is no worker, as here), for the few rows as for the many
    _add_rows(world, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    _add_rows(world, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/").status_code == 200
