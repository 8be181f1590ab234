from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications (issue 16 §3): the writer other apps call, the page and the navbar badge.

    A model-less app inside `stations` (Notification is in `stations.models`), so that its templates,
    tests and access-matrix entries live in this folder.
    """

    name = "stations.notifications"
    label = "stations_notifications"
    verbose_name = _("通知")
