"""Home-page and station-page panels: what is due (DESIGN: each role's home shows its to-dos).

Panels only ask selectors (every read scoped to the user) and render; they run no query themselves.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from stations.roles import has_capability, supervises_units

from . import selectors


def home_due(request) -> str | None:
    user = request.user
    if supervises_units(user) and has_capability(user, "inspections.view"):
        return render_to_string(
            "inspections/panels/supervisor_home.html",
            selectors.supervisor_progress(user=user, today=timezone.localdate()),
            request=request,
        )
    if has_capability(user, "inspections.score"):
        return render_to_string("inspections/panels/county_home.html", selectors.county_due(user=user), request=request)
    if has_capability(user, "inspections.answer") and user.workstation_id:
        year = timezone.localdate().year - 1
        return render_to_string(
            "inspections/panels/station_home.html",
            {**selectors.station_due(user=user, year=year), "year": year, "station_id": user.workstation_id},
            request=request,
        )
    return None


def station_panel(request, station) -> str | None:
    if not has_capability(request.user, "inspections.view"):
        return None
    return render_to_string(
        "inspections/panels/station.html",
        {**selectors.station_inspections(user=request.user, station=station), "station": station},
        request=request,
    )
