"""The sign-in form (AUTH-3: an expired one-time password is refused)."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.audit.log import audit
from stations.models import AuditResult


class LoginForm(AuthenticationForm):
    """Sign-in: an expired one-time password is refused with a request to ask for a new one (AUTH-3).

    Only said after the right password, so it reveals nothing about which usernames exist.
    """

    one_time_password_expired = False

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.one_time_password_until and user.one_time_password_until <= timezone.now():
            audit(
                actor=None,
                username=user.get_username(),
                action="auth.login_refused",
                obj=user,
                result=AuditResult.DENIED,
                reason="one-time password expired",
            )
            self.one_time_password_expired = True
            raise ValidationError(
                _("一次性密码已过期，请联系系统管理员重新设置密码。"), code="one_time_password_expired"
            )
