"""Request-wide rules: login everywhere, forced password change, audit context, DB outage → 503."""

from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from .context import client_ip, current_ip
from .roles import requires_second_factor

PUBLIC_URL_NAMES = {"login", "set_language"}
# The second factor comes before a forced password change (docs/decisions.md): its pages stay open
# here, and the change form stays behind `stations.mfa.SecondFactorRequired`. Its views send a user
# who no longer needs them on, so they open nothing else.
SECOND_FACTOR_URL_NAMES = {"mfa:verify", "mfa:setup"}
PASSWORD_EXEMPT_URL_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "set_language",
}


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class LoginRequiredEverywhere:
    """Every page but login needs a signed-in user (static files are served before this)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and _url_name(request) not in PUBLIC_URL_NAMES:
            if request.path_info.startswith(settings.STATIC_URL):
                return self.get_response(request)
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


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


def database_unavailable() -> HttpResponse:
    response = HttpResponse(_("数据库暂时不可用，请稍后重试。"), status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "10"
    return response


class NoStoreForSignedInUsers:
    """Every page a signed-in user gets may carry personal data: never kept in browser or proxy caches
    (DATA-6). `stations.mixins.NoStore` does the same per view; this covers views that forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class ServiceUnavailableOnDatabaseError:
    """A lost database connection is a plain 503 page, not a 500 with a trace (REL-4)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable()
        return None
