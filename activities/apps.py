from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("活动")
    nav_items = [(_("活动"), "activities:activity-list", "activities.view")]
    nav_order = 30
    search_groups = [("activities.view", "activities.search.activities")]
    station_panels = ["activities.panels.station_counts_panel"]
    home_panels = ["activities.panels.home_panel"]

    def ready(self):
        from . import admin, exports, figures, offline  # noqa: F401  (registrations)
