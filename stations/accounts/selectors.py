"""Reads of sign-in security: the recent failed sign-ins behind the lockout page (AUTH-4)."""

from axes.models import AccessAttempt

from stations.roles import require


def lockout_list(*, user, limit: int = 200):
    """Recent failed-login records, for the security administrator (AUTH-4)."""
    require(user, "security.unlock")
    return AccessAttempt.objects.order_by("-attempt_time")[:limit]
