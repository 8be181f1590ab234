from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def overdue_panel(request):
    """Home page: the user's overdue mentoring items, with a link to the overdue list."""
    from django.template.loader import render_to_string

    from stations.roles import has_capability

    from .selectors import overdue_counts

    if not has_capability(request.user, "mentoring.view"):
        return None
    counts = overdue_counts(user=request.user)
    return render_to_string("mentoring/home_panel.html", {"counts": counts}, request=request)


def station_panel(request, station):
    """Workstation page: the station's case counts (aggregates; sealed files count in the totals)."""
    from django.template.loader import render_to_string

    from stations.roles import has_capability

    from .selectors import station_summary

    user = request.user
    if not (has_capability(user, "mentoring.view") or has_capability(user, "mentoring.view_aggregate")):
        return None
    context = {
        "summary": station_summary(station=station),
        "station": station,
        "can_list": has_capability(user, "mentoring.view"),
    }
    return render_to_string("mentoring/station_panel.html", context, request=request)


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("帮教")
    nav_items = [
        (_("帮教对象"), "mentoring:youth-list", "mentoring.view"),
        (_("逾期事项"), "mentoring:overdue-list", "mentoring.view"),
    ]
    home_panels = [overdue_panel]
    station_panels = [station_panel]
    nav_order = 20

    def ready(self):
        from . import exports, figures  # noqa: F401  (registrations)
