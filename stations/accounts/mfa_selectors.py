"""Reads of the second factor (AUTH-7): a user's confirmed TOTP device, the accounts that need one."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from stations.models import User
from stations.roles import second_factor_roles


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor_accounts(*, query: str = "") -> QuerySet[User]:
    """Active accounts that need a second factor, each with `bound` (has a confirmed device)."""
    users = User.objects.filter(Q(role__in=second_factor_roles()) | Q(is_superuser=True), is_active=True).annotate(
        bound=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(last_name__icontains=query) | Q(first_name__icontains=query)
        )
    return users.order_by("username")


def device_reset_accounts() -> QuerySet[User]:
    """Every account whose devices the security administrator may reset (a lost phone can be anyone's)."""
    return User.objects.all()
