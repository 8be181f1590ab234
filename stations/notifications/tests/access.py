"""Access-matrix entries of notifications (see tests/access.py). Every page is the caller's own: the
list shows only their notifications; opening takes the id in the POST data and answers 404 for anyone
else's (stations/notifications/tests/test_notifications.py)."""

from tests.access import ALL, Entry

ENTRIES = {
    "notifications:list": Entry(allowed=ALL),
    # No id posted: nothing to open, back to the list.
    "notifications:open": Entry(allowed=ALL, method="post", ok=302),
    "notifications:read-all": Entry(allowed=ALL, method="post", ok=302),
}
