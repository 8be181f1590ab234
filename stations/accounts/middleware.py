"""Sign-in steps owed after the password: the forced password change (AUTH-3), after the second factor."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone

from stations.middleware import _url_name
from stations.roles import requires_second_factor

# The second factor comes before a forced password change (docs/decisions.md): its pages stay open
# here, and the change form stays behind `stations.accounts.mfa.SecondFactorRequired`. Its views send a user
# who no longer needs them on, so they open nothing else.
SECOND_FACTOR_URL_NAMES = {"mfa:verify", "mfa:setup"}
PASSWORD_EXEMPT_URL_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "set_language",
}


def password_expired(user) -> bool:
    if user.must_change_password:
        return True
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days and user.password_changed_at:
        return timezone.now() - user.password_changed_at > timedelta(days=days)
    return False


class PasswordChangeRequired:
    """First login, an administrator reset, or an expired password → only the change form (AUTH-3),
    once the second factor, where one is needed, has been given (AUTH-7)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and password_expired(user)
            and _url_name(request) not in self.exempt_url_names(user)
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def exempt_url_names(user) -> set[str]:
        """The second-factor pages stay open only while that step is still owed."""
        if requires_second_factor(user) and not user.is_verified():
            return PASSWORD_EXEMPT_URL_NAMES | SECOND_FACTOR_URL_NAMES
        return PASSWORD_EXEMPT_URL_NAMES
