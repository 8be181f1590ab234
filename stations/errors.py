"""Error views. A database lost anywhere in the request, also in middleware (session load or save),
is the same plain 503 as in a view (REL-4); every other error stays Django's plain 500 page."""

import sys

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.views import defaults

from .middleware import database_unavailable


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
