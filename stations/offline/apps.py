from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    """Offline entry: the submissions already applied (one row per device entry), the sync endpoint, the
    service worker and the outbox page. The kinds of entry are registered by the apps that own them
    (`<app>/offline.py`), so this package never imports an app above `stations`."""

    name = "stations.offline"
    label = "stations_offline"
    verbose_name = _("离线录入")
    default_auto_field = "django.db.models.BigAutoField"
