"""Report reads on a read replica (issue 15 §5, docs/scaling.md).

Dashboards and export jobs read a lot and write little: inside `report_reads()` the router sends their
reads to the `replica` database alias when `REPORTS_READ_REPLICA` is on (it is when
`DATABASE_REPLICA_URL` is set). Everything else, every write, and every read inside a transaction of
the primary (which must see its own writes, e.g. a checklist snapshot taken on submit) stays on the
primary. Without a replica nothing changes: the alias is the primary's own settings, never routed to."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def report_reads() -> Iterator[None]:
    """Reads in this block may come from the replica (seconds behind the primary at most)."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportReplicaRouter:
    def db_for_read(self, model, **hints):
        if not (_reading_reports.get() and settings.REPORTS_READ_REPLICA):
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # read your own writes
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary by replication
