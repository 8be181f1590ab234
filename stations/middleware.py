"""Request-wide rules: login everywhere, audit context, no-store, DB outage → 503.

The sign-in steps (second factor, forced password change) are in `stations.accounts`.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .context import client_ip, current_ip

PUBLIC_URL_NAMES = {"login", "set_language"}


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
