"""The mentoring app's blocks on the home page and the workstation page (registered in `apps.py`)."""

from django.template.loader import render_to_string

from stations.roles import has_capability

from .selectors import overdue_counts, station_summary


def overdue_panel(request):
    """Home page: the user's overdue mentoring items, with a link to the overdue list."""
    if not has_capability(request.user, "mentoring.view"):
        return None
    counts = overdue_counts(user=request.user)
    return render_to_string("mentoring/home_panel.html", {"counts": counts}, request=request)


def station_panel(request, station):
    """Workstation page: the station's case counts (aggregates; sealed files count in the totals)."""
    user = request.user
    if not (has_capability(user, "mentoring.view") or has_capability(user, "mentoring.view_aggregate")):
        return None
    context = {
        "summary": station_summary(station=station),
        "station": station,
        "can_list": has_capability(user, "mentoring.view"),
    }
    return render_to_string("mentoring/station_panel.html", context, request=request)
