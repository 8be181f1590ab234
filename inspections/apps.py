from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("督查考评")
    nav_items: list = []  # (label, URL name, capability), see stations.apps
    nav_order = 40
