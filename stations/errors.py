"""Error views. A database lost anywhere in the request, also in middleware (session load or save),
is the same plain 503 as in a view (REL-4). 403, 404, 500 and the CSRF failure are Chinese pages inside
the site layout (templates/403.html, 404.html, 500.html, 403_csrf.html); the 500 page is rendered
without a request, so neither it nor a context processor touches the database."""

import re
import sys

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.shortcuts import render
from django.views import defaults

from .middleware import database_unavailable

# A 404 shows the exception's message only when it was written for the user (Chinese, e.g. a download
# whose file is missing); Django's own messages ("No Youth matches the given query.") stay hidden.
_FOR_THE_USER = re.compile(r"[\u4e00-\u9fff]")


def _database_errors() -> tuple:
    # Django wraps driver errors, but not all: psycopg raises its own when a server-side cursor
    # (QuerySet.iterator) is closed on a dead connection.
    driver = connections[DEFAULT_DB_ALIAS].Database
    return (OperationalError, InterfaceError, driver.OperationalError, driver.InterfaceError)


def _caused_by_lost_database(exception) -> bool:
    errors = _database_errors()
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, errors):
            return True
        exception, seen = exception.__cause__ or exception.__context__, seen + 1
    return False


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: called inside Django's `except` block, so the exception is still in sys.exc_info()."""
    if _caused_by_lost_database(sys.exc_info()[1]):
        return database_unavailable()
    return defaults.server_error(request, template_name)


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    """handler400: a session save that failed because the database went away (SessionInterrupted
    raised from the DatabaseError) is a 503, not the user's fault."""
    if _caused_by_lost_database(exception):
        return database_unavailable()
    return defaults.bad_request(request, exception, template_name)


def _message_for_user(exception) -> str:
    message = exception.args[0] if exception is not None and exception.args else ""
    return str(message) if isinstance(message, str) and _FOR_THE_USER.search(message) else ""


def page_not_found(request, exception, template_name="404.html"):
    """handler404: the Chinese page; never the path resolver's or get_object_or_404's English text."""
    return render(request, template_name, {"message": _message_for_user(exception)}, status=404)


def permission_denied(request, exception, template_name="403.html"):
    """handler403: the Chinese page; the missing capability's code is not shown."""
    return render(request, template_name, {}, status=403)


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """CSRF_FAILURE_VIEW: a form posted without a valid token (expired page, cookies off)."""
    return render(request, template_name, {}, status=403)
