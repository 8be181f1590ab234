"""Figures of the activity list kept between requests for a county, city or province
(stations.figure_cache): the list's totals, its count and the system coverage of its stations."""

from stations.figure_cache import builder
from stations.figures import Period
from stations.models import User

from . import selectors
from .filters import ActivityFilterSet


@builder
def unit_list_snapshot(user_id: int, list_period: str, coverage_period: str) -> dict:
    """What `ActivityList` shows above its rows for this user with no filter but the period."""
    user = User.objects.select_related("org_unit").get(pk=user_id)
    data = {"period": list_period} if list_period else {}
    qs = ActivityFilterSet(data, queryset=selectors.activity_list(user=user), user=user).qs
    station_ids = selectors.station_ids_in_scope(user=user)
    coverage = None
    if len(station_ids) > 1:
        coverage = selectors.coverage(station_ids=station_ids, period=Period.parse(coverage_period))
        selectors.names_only(coverage["missing"])
    return {"totals": selectors.list_totals(qs), "coverage": coverage}
