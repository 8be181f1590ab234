"""Access-matrix entries of offline entry (collected by tests/test_access_matrix.py)."""

import json
import uuid

from mentoring.tests.access import youth
from tests.access import ALL, STATION, Entry

OFFLINE_USERS = STATION | {"county"}  # county officers: offline scoring only


def visit_entry(obj) -> dict:
    """A visit as the phone sends it (form fields; the JSON body is tested in test_sync.py)."""
    from django.utils import timezone

    fields = {
        "visited_on": timezone.localdate().isoformat(),
        "form": "home",
        "place": "家中",
        "hours": "1.0",
        "summary": "谈心",
    }
    return {"client_id": str(uuid.uuid4()), "kind": "visit", "object": obj.pk, "fields": json.dumps(fields)}


ENTRIES = {
    "offline:service-worker": Entry(allowed=ALL),
    "offline:outbox": Entry(allowed=OFFLINE_USERS),
    "offline:pages": Entry(allowed=OFFLINE_USERS),
    # The case travels in the entry: another scope's case is a 404 and records nothing. A county officer
    # may sync (scores) but not a visit: 403 from the kind's capability.
    "offline:sync": Entry(
        allowed=STATION,
        target=youth,
        kwargs=lambda obj: {},
        method="post",
        data=visit_entry,
        ok=201,
        object_in_post=True,
    ),
}
