"""Reads of sign-in security: the recent failed sign-ins behind the lockout page (AUTH-4)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from stations.roles import require


def lockout_list(*, user, limit: int = 200):
    """Recent failed-login records, for the security administrator (AUTH-4)."""
    require(user, "security.unlock")
    return AccessAttempt.objects.order_by("-attempt_time")[:limit]


def locked_now(*, user) -> list:
    """Accounts whose failed sign-ins reached the limit within the cool-off time (locked at this moment)."""
    require(user, "security.unlock")
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return list(
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
        .order_by("-attempt_time")
        .values("username", "ip_address", "failures_since_start", "attempt_time")[:50]
    )


def failures_today(*, user) -> int:
    """Failed sign-ins recorded in the last 24 hours (every account, every address)."""
    require(user, "security.unlock")
    since = timezone.now() - timedelta(days=1)
    return AccessAttempt.objects.filter(attempt_time__gte=since).aggregate(n=Sum("failures_since_start"))["n"] or 0
