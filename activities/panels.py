"""The station page's activities panel: this year's 场次 / 人次 / 人数 by working system."""

from django.template.loader import render_to_string
from django.utils import timezone

from stations.figures import Period
from stations.models import WorkSystem
from stations.roles import has_capability

from . import selectors
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
