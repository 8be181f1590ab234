from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("帮教")
    nav_items = [
        (_("帮教对象"), "mentoring:youth-list", "mentoring.view"),
        (_("逾期事项"), "mentoring:overdue-list", "mentoring.view"),
    ]
    home_panels = ["mentoring.panels.overdue_panel"]
    station_panels = ["mentoring.panels.station_panel"]
    nav_order = 20
    search_groups = [("mentoring.view", "mentoring.search.youth")]

    def ready(self):
        from . import exports, figures, offline  # noqa: F401  (registrations)
