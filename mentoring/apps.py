from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("帮教")
    nav_items: list = []  # (label, URL name, capability), see stations.apps
    nav_order = 20
