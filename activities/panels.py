"""The station page's activities panel: this year's 场次 / 人次 / 人数 by working system."""

from django.template.loader import render_to_string
from django.utils import timezone

from stations import selectors as station_selectors
from stations.figure_cache import cached
from stations.figures import Period
from stations.models import WorkSystem
from stations.roles import has_capability, supervises_org_unit, supervises_units

from . import selectors, snapshots
from .models import OTHER_SYSTEM, SYSTEM_CHOICES


def station_counts_panel(request, station) -> str | None:
    if not has_capability(request.user, "activities.view"):
        return None
    period = Period(timezone.localdate().year)
    by_system = {
        row["system"]: row for row in selectors.counts_by(station_ids=[station.pk], period=period, key="system")
    }
    labels = dict(SYSTEM_CHOICES)
    rows = [
        {"system": value, "label": labels[value], **by_system.get(value, {})}
        for value in [*WorkSystem.values, OTHER_SYSTEM]
    ]
    total = selectors.totals(station_ids=[station.pk], period=period)
    return render_to_string(
        "activities/station_panel.html",
        {"station": station, "period": period, "rows": rows, "total": total},
        request=request,
    )


def home_panel(request) -> str | None:
    """Home page: this year's 场次 / 人次 / 人数 in the user's scope, six-system coverage, quick entry."""
    user = request.user
    if not has_capability(user, "activities.view") or supervises_units(user):
        # above the county the home page ranks units by reporting progress; the year's activity figures,
        # with their change and ranking, are the dashboard's (one click away in the menu)
        return None
    period = Period(timezone.localdate().year)
    ids = selectors.station_ids_in_scope(user=user)
    if not ids:
        return None
    as_of = None
    if supervises_org_unit(user) and len(ids) > 1:
        # a county's year: the figures its activity list shows for the year, kept between requests
        as_of = cached(snapshots.unit_list_snapshot, user.pk, str(period), str(period))
        total, coverage = as_of.value["totals"], as_of.value["coverage"]
    else:
        total, coverage = (
            selectors.totals(station_ids=ids, period=period),
            selectors.coverage(station_ids=ids, period=period, eligible=station_selectors.active_stations(user=user)),
        )
    return render_to_string(
        "activities/home_panel.html",
        {
            "period": period,
            "total": total,
            "coverage": coverage,
            "as_of": as_of,
            "can_edit": has_capability(user, "activities.edit"),
        },
        request=request,
    )
