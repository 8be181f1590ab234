from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("工作站与账户")
    # (label, URL name, capability): the navigation shows an item when the user has the capability.
    nav_items = [
        (_("工作站"), "stations:workstation-list", "stations.view"),
        (_("仪表板"), "reports:dashboard", "reports.dashboard"),
        (_("审计日志"), "stations:audit-list", "audit.view"),
        (_("账户管理"), "stations:user-list", "accounts.view"),
        (_("登录锁定"), "stations:lockout-list", "security.unlock"),
        (_("动态口令"), "mfa:devices", "security.manage"),
        (_("管理后台"), "admin:index", "admin.site"),  # reference data (system admin), log view (audit admin)
    ]
    nav_order = 0
    home_panels = ["stations.panels.due_panel"]
    search_groups = [("stations.view", "stations.search.groups.workstations")]

    def ready(self):
        # registrations: system checks and the stations figures (reports register in stations.reports)
        from . import checks, displays, figure_cache, lookups, station_figures  # noqa: F401

        figure_cache.connect_signals()
        displays.install()
        lookups.install()
