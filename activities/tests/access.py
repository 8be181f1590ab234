"""Access-matrix entries of the activities app (see tests/access.py)."""

from tests.access import STATION, SUPERVISORS, Entry

VIEWERS = STATION | SUPERVISORS


def activity(side):
    from activities.tests.factories import activity as make

    return make(side.station, "legal_lecture", title="法治进校园", audience_count=120)


def attachment(side):
    from django.core.files.base import ContentFile

    from activities.models import Attachment
    from stations.tests.test_uploads import png_bytes

    record = activity(side)
    item = Attachment(activity=record, kind="photo", original_name="photo.png", size=10)
    item.file.save("photo.png", ContentFile(png_bytes()), save=True)
    return item


ENTRIES = {
    "activities:activity-list": Entry(allowed=VIEWERS),
    "activities:activity-calendar": Entry(allowed=VIEWERS),
    "activities:activity-stats": Entry(allowed=VIEWERS),
    "activities:activity-create": Entry(allowed=STATION),
    "activities:activity-detail": Entry(allowed=VIEWERS, target=activity),
    "activities:activity-edit": Entry(allowed=STATION, target=activity),
    "activities:activity-copy": Entry(allowed=STATION, target=activity),
    "activities:activity-archive": Entry(
        allowed=STATION, target=activity, method="post", data=lambda obj: {"reason": "重复录入"}, ok=302
    ),
    "activities:attachment-upload": Entry(
        allowed=STATION, target=activity, method="post", data=lambda obj: {"kind": "photo"}, ok=302
    ),
    "activities:attachment-download": Entry(allowed=VIEWERS, target=attachment),
}
