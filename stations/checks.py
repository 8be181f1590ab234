"""System checks for production safety (AUTH-1, AUD-4)."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register(deploy=True)
def active_superuser(app_configs, **kwargs):
    from django.db import DatabaseError

    from .models import User

    try:
        exists = User.objects.filter(is_superuser=True, is_active=True).exists()
    except DatabaseError:
        return []
    if exists:
        return [Warning("An active superuser exists: use the role accounts (三员分立).", id="stations.W001")]
    return []


@register()
def audit_retention(app_configs, **kwargs):
    if settings.AUDIT_RETENTION_DAYS < 180:
        return [Error("AUDIT_RETENTION_DAYS must be at least 180 (网络安全法 第21条).", id="stations.E001")]
    return []
