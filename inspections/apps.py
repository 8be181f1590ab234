from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("督查考评")
    nav_items = [(_("督查考评"), "inspections:round-list", "inspections.view")]
    nav_order = 40
    search_groups = [("inspections.view", "inspections.search.rectifications")]
    home_panels = ["inspections.panels.home_due"]
    station_panels = ["inspections.panels.station_panel"]

    def ready(self):
        from . import exports, figures, offline  # noqa: F401  (registrations)
