from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def staffing_panel(request, station):
    """The staffing check on the workstation page (DOMAIN §2: warn, never block)."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    from stations.roles import has_capability

    from .selectors import staffing_for

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
    from django.template.loader import render_to_string

    from stations.roles import has_capability

    from .selectors import staffing_failing_stations

    if not has_capability(request.user, "volunteers.view"):
        return None
    failing = staffing_failing_stations(user=request.user)
    return render_to_string("volunteers/home_panel.html", {"failing": failing[:10], "more": len(failing) > 10})


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿者")
    nav_items = [(_("志愿者"), "volunteers:volunteer-list", "volunteers.view")]
    nav_order = 10
    station_panels = [staffing_panel]
    home_panels = [staffing_home_panel]

    def ready(self):
        from . import exports, figures  # noqa: F401  (registrations)
