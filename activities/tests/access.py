"""Access-matrix entries of the activities app (see tests/access.py)."""

from tests.access import STATION, SUPERVISORS, Entry, form_data

VIEWERS = STATION | SUPERVISORS


def activity(side):
    from activities.tests.factories import activity as make

    return make(side.station, "legal_lecture", title="法治进校园", audience_count=120)


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stations.tests.test_uploads import png_bytes

    return SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")


def attachment(side):
    from django.core.files.base import ContentFile

    from activities.models import Attachment
    from stations.tests.test_uploads import png_bytes

    record = activity(side)
    item = Attachment(activity=record, kind="photo", original_name="photo.png", size=10)
    item.file.save("photo.png", ContentFile(png_bytes()), save=True)
    return item


from activities.forms import ENTRY_FIELDS  # noqa: E402

ENTRIES = {
    "activities:activity-list": Entry(allowed=VIEWERS),
    "activities:activity-calendar": Entry(allowed=VIEWERS),
    "activities:activity-stats": Entry(allowed=VIEWERS),
    "activities:activity-create": Entry(allowed=STATION),
    "activities:import": Entry(allowed=STATION),
    "activities:import-confirm": Entry(allowed=STATION, method="post", ok=302),
    "activities:import-errors": Entry(allowed=STATION),
    "activities:activity-detail": Entry(allowed=VIEWERS, target=activity),
    "activities:activity-edit": Entry(
        allowed=STATION,
        target=activity,
        post=lambda obj: form_data(
            obj, ENTRY_FIELDS, summary="修改后的记录", vice_principal_name="李副校长", version=obj.version
        ),
    ),
    # The copy's form creates a new activity of the user's own station, prefilled from the source.
    "activities:activity-copy": Entry(
        allowed=STATION,
        target=activity,
        post=lambda obj: form_data(obj, ENTRY_FIELDS, title="复制的讲座", vice_principal_name="李副校长"),
    ),
    "activities:activity-archive": Entry(
        allowed=STATION, target=activity, method="post", data=lambda obj: {"reason": "重复录入"}, ok=302
    ),
    "activities:attachment-upload": Entry(
        allowed=STATION, target=activity, method="post", data=lambda obj: {"kind": "photo", "file": _photo()}, ok=302
    ),
    "activities:attachment-download": Entry(allowed=VIEWERS, target=attachment),
}
