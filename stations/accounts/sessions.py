"""Database sessions whose idle-timeout touch does not wait for the disk (issue 15 §4, docs/decisions.md).

AUTH-5 saves the session on every request, so that the idle timeout counts from the last request. On
PostgreSQL each of those saves is a commit that waits for its WAL to reach the disk: under load, one fsync
per page view. A save that only moves the expiry (the session's data unchanged) commits asynchronously
(`SET LOCAL synchronous_commit TO OFF`, this transaction only): a database crash can lose the last fraction
of a second of such touches, and those sessions then expire a moment earlier than they would have — never
later. Every other session write (a new session at sign-in, a cycled key, changed data, a deletion at
sign-out) stays a synchronous commit.

A touch is written at most once a minute (`TOUCH_EVERY`): a request within a minute of the last written
touch leaves the row alone, so the idle timeout runs from a moment at most a minute before the last request.
A session may end up to a minute early, never late; the 29-minutes-idle and 31-minutes-idle checks of AUTH-5
hold. It spares four statements on most page views (docs/decisions.md).
"""

from datetime import timedelta

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connections, router, transaction

TOUCH_EVERY = timedelta(minutes=1)


class SessionStore(db.SessionStore):
    _stored_expiry = None  # the expiry of the row as read, when it was read

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self._stored_expiry = row.expire_date if row is not None else None
        return row

    def save(self, must_create=False):
        touch_only = self.session_key is not None and not must_create and not self.modified
        if (
            touch_only
            and self._stored_expiry is not None
            and self.get_expiry_date() - self._stored_expiry < TOUCH_EVERY
        ):
            return  # touched less than a minute ago: the idle timeout moves on the next minute's request
        obj = self.create_model_instance(self._get_session()) if touch_only else None
        connection = connections[router.db_for_write(self.model, instance=obj)]
        # inside someone else's transaction the setting would cover their writes too
        if not touch_only or connection.vendor != "postgresql" or connection.in_atomic_block:
            return super().save(must_create=must_create)
        try:
            with transaction.atomic(using=connection.alias):
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                obj.save(force_update=True, using=connection.alias)
        except DatabaseError as exc:  # the row is gone (signed out elsewhere): as Django's own store
            raise UpdateError from exc
