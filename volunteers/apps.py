from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿者")
    nav_items = [(_("志愿者"), "volunteers:volunteer-list", "volunteers.view")]
    nav_order = 10
    search_groups = [("volunteers.view", "volunteers.search.volunteers")]
    station_panels = ["volunteers.panels.staffing_panel"]
    home_panels = ["volunteers.panels.staffing_home_panel"]

    def ready(self):
        from . import exports, figures, offline  # noqa: F401  (registrations)
