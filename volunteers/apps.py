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


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿者")
    nav_items = [(_("志愿者"), "volunteers:volunteer-list", "volunteers.view")]
    nav_order = 10
    station_panels = [staffing_panel]

    def ready(self):
        from . import exports, figures  # noqa: F401  (registrations)
