"""Every figure's bulk totals (`totals_for_groups`, used by summaries and dashboards) equal its own
`total` for each set of stations, on the demo province: counties, cities, the province, and a set
that mixes stations of two cities (joint activities, distinct people, rates and means included)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from stations.figures import Period, all_figures, shared_work
from stations.models import OrgKind, OrgUnit, Workstation, subtree_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def _groups():
    groups = {}
    for unit in OrgUnit.objects.filter(kind__in=[OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY]):
        groups[unit.name] = list(
            Workstation.objects.filter(subtree_q("org_path", unit.path)).values_list("pk", flat=True)
        )
    ids = list(Workstation.objects.order_by("pk").values_list("pk", flat=True))
    groups["mixed"] = ids[::3]
    groups["empty"] = []
    return groups


@pytest.mark.parametrize("period", [Period(timezone.localdate().year), Period(timezone.localdate().year - 1, 1)])
def test_bulk_totals_equal_each_sets_own_total(demo, period):
    groups = _groups()
    checked = 0
    for fig in all_figures():
        bulk = fig.totals_for_groups(groups=groups, period=period)
        for key, ids in groups.items():
            one = fig.total_for(station_ids=ids, period=period)
            assert (bulk.get(key) or 0) == (one or 0), f"{fig.key} for {key}"
        checked += fig.total_many is not None
    assert checked >= 17  # activities, the re-offending rate and the inspection scores have bulk totals


def test_bulk_totals_take_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    groups = _groups()
    period = Period(timezone.localdate().year)
    bulk = [fig for fig in all_figures() if fig.total_many is not None]
    with django_assert_max_num_queries(5 * len(bulk)):
        for fig in bulk:
            fig.totals_for_groups(groups=groups, period=period)
    # Summaries and dashboards share the figures' aggregates: the activity figures, 10 of them, read the
    # period's figure table once.
    activity_figures = [fig for fig in bulk if fig.key.startswith("activities.")]
    assert len(activity_figures) >= 10
    with shared_work(), django_assert_max_num_queries(6):
        for fig in activity_figures:
            fig.totals_for_groups(groups=groups, period=period)
