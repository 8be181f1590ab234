from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("活动")
    nav_items: list = []  # (label, URL name, capability), see stations.apps
    nav_order = 30
