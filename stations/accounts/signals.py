"""Authentication events go to the audit log (AUD-2): login, failure, logout, lockout."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from stations.audit.log import audit
from stations.models import AuditResult


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit(actor=user, action="auth.login", obj=user)
    _show_account_notices(request, user)


def _show_account_notices(request, user) -> None:
    """Role, scope and password changes made by others are shown at the next sign-in (AC-4)."""
    from django.contrib import messages

    from stations.services import account_notices, account_notices_seen

    if request is None or not hasattr(request, "_messages"):
        return  # no page to show them on (e.g. a test's force_login): keep them for the next sign-in
    notices = account_notices(user=user)
    for notice in notices:
        messages.warning(request, notice)
    if notices:
        account_notices_seen(user=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit(actor=None, username=username, action="auth.login_failed", result=AuditResult.FAILED, object_repr=username)


@receiver(user_locked_out)
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit(
        actor=None,
        username=str(username or "")[:150],
        action="auth.lockout",
        result=AuditResult.DENIED,
        object_repr=str(username or ""),
    )
