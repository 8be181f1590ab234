"""Per-request context (client IP, current user) for the audit log, set by middleware."""

from contextvars import ContextVar

from django.conf import settings

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request) -> str | None:
    """The client address: X-Real-IP only when nginx sets it (AUTH-4), never X-Forwarded-For."""
    if settings.TRUST_X_REAL_IP:
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real
    return request.META.get("REMOTE_ADDR") or None
