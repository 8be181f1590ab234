from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _station_counts_panel(request, station):
    from .panels import station_counts_panel

    return station_counts_panel(request, station)


def _home_panel(request):
    from .panels import home_panel

    return home_panel(request)


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("活动")
    nav_items = [(_("活动"), "activities:activity-list", "activities.view")]
    nav_order = 30
    station_panels = [_station_counts_panel]
    home_panels = [_home_panel]

    def ready(self):
        from . import admin, exports, figures  # noqa: F401  (registrations)
