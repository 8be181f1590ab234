"""`__in` of a long list of integers as one array parameter on PostgreSQL (stations.lookups)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import Youth
from mentoring.tests.factories import YouthFactory
from stations.lookups import ARRAY_FROM
from stations.models import Workstation
from stations.tests.factories import WorkstationFactory

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"


def sql_of(queryset) -> tuple[list, str]:
    with CaptureQueriesContext(connection) as queries:
        rows = list(queryset)
    return rows, queries[-1]["sql"]


def test_a_long_list_of_ids_is_one_array_and_finds_the_same_rows():
    stations = WorkstationFactory.create_batch(3)
    wanted = [stations[0].pk, stations[2].pk] + [10_000_000 + n for n in range(ARRAY_FROM)]  # most match nothing
    rows, sql = sql_of(Workstation.objects.filter(pk__in=wanted).order_by("pk"))
    assert [s.pk for s in rows] == [stations[0].pk, stations[2].pk]
    if POSTGRESQL:
        assert "= ANY('{" in sql  # the values travel as one array, not one parameter each
    else:
        assert " IN (" in sql


def test_a_foreign_key_list_too_and_none_is_never_equal():
    youth = YouthFactory()
    YouthFactory()  # at another station
    wanted = [youth.workstation_id, None, *range(20_000_000, 20_000_000 + ARRAY_FROM)]
    rows, sql = sql_of(Youth.objects.filter(workstation_id__in=wanted))
    assert rows == [youth]
    rows, _ = sql_of(Youth.objects.filter(workstation__in=wanted))
    assert rows == [youth]
    assert ("= ANY(" in sql) is POSTGRESQL


def test_short_lists_strings_and_subqueries_keep_djangos_sql():
    station = WorkstationFactory(code="WS-ANY")
    _, short = sql_of(Workstation.objects.filter(pk__in=[station.pk, 2, 3]))
    assert "ANY(" not in short
    codes = ["WS-ANY", *(f"X{n}" for n in range(ARRAY_FROM))]
    rows, by_code = sql_of(Workstation.objects.filter(code__in=codes))
    assert rows == [station] and "ANY(" not in by_code
    rows, nested = sql_of(Workstation.objects.filter(pk__in=Workstation.objects.filter(code="WS-ANY").values("pk")))
    assert rows == [station] and "ANY(" not in nested


def test_a_list_of_only_none_matches_nothing():
    WorkstationFactory()
    assert list(Workstation.objects.filter(pk__in=[None] * (ARRAY_FROM + 1))) == []
