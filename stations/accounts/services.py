"""Writes of sign-in security: unlocking an account locked by repeated failures (AUTH-4)."""

from axes.models import AccessAttempt
from django.db import transaction

from stations.audit.log import audit
from stations.models import User
from stations.roles import require

from .lockout import canonical_username


@transaction.atomic
def lockout_reset(*, actor: User, username: str) -> int:
    """The security administrator unlocks an account locked by repeated failures (AUTH-4)."""
    require(actor, "security.unlock")
    username = canonical_username(username)
    attempts = AccessAttempt.objects.filter(username__iexact=username)
    count = attempts.count()
    attempts.delete()
    audit(actor=actor, action="auth.unlock", object_repr=username, changes={"attempts_cleared": count})
    return count
