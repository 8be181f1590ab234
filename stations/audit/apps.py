from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log (AUD-1..4): writer and presentation (`log`), page, export, purge/verify commands.

    A model-less app inside `stations` (AuditEntry is in `stations.models`), so that its templates,
    commands and tests live in this folder. Every service imports the writer: `stations.audit.log.audit`.
    """

    name = "stations.audit"
    label = "stations_audit"
    verbose_name = _("审计日志")
    home_panels = ["stations.audit.panels.audit_alerts_panel"]

    def ready(self):
        from . import exports  # noqa: F401  (the audit-log report)
