"""The audit administrator's home panel: the last week's events to review."""

from django.template.loader import render_to_string

from stations.roles import has_capability

from . import selectors


def audit_alerts_panel(request):
    if not has_capability(request.user, "audit.view"):
        return None
    alerts = selectors.audit_alerts(user=request.user)
    return render_to_string(
        "stations/panels/audit_alerts.html",
        {"alerts": alerts, "days": selectors.ALERT_DAYS, "any": any(a["count"] for a in alerts)},
        request=request,
    )
