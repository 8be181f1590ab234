"""The volunteers app's blocks on the workstation page and the home page (registered in `apps.py`)."""

from django.template.loader import render_to_string
from django.urls import reverse

from stations.roles import has_capability, supervises_units

from .selectors import staffing_failing_stations, staffing_for


def staffing_panel(request, station):
    """The staffing check on the workstation page (DOMAIN §2: warn, never block)."""
    if not has_capability(request.user, "volunteers.view"):
        return None
    return render_to_string(
        "volunteers/staffing.html",
        {
            "problems": staffing_for(user=request.user, workstation=station),
            "link": f"{reverse('volunteers:volunteer-list')}?workstation={station.pk}",
        },
        request=request,
    )


def staffing_home_panel(request):
    """Home page: active stations in scope whose staffing check fails (what is due)."""
    if not has_capability(request.user, "volunteers.view") or supervises_units(request.user):
        return None  # above the county: a column of the units table (volunteers.staffing_failures)
    failing = staffing_failing_stations(user=request.user)
    return render_to_string("volunteers/home_panel.html", {"failing": failing[:10], "more": len(failing) > 10})
