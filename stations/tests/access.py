"""Access-matrix entries of the stations app (see tests/access.py)."""

from stations.services import PROFILE_FIELDS
from tests.access import ALL, STATION, SUPERVISORS, Entry, form_data, today

STATION_VIEWERS = STATION | SUPERVISORS
EDITORS = STATION | {"county"}


def station(side):
    return side.station


def station_with_files(side):
    """A station with a logo photo and a training-system document on file."""
    from django.core.files.base import ContentFile

    from stations.models import SystemDocument
    from stations.tests.test_uploads import png_bytes

    station = side.station
    station.logo_photo.save("logo.png", ContentFile(png_bytes()), save=True)
    doc, _ = SystemDocument.objects.get_or_create(workstation=station, system="training")
    doc.document.save("training.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return station


def account(side):
    from stations.tests.factories import UserFactory

    return UserFactory(workstation=side.station)


PROFILE_EDIT_FIELDS = [name for name in PROFILE_FIELDS if name != "logo_photo"]

ENTRIES = {
    "stations:home": Entry(allowed=ALL),
    "stations:workstation-list": Entry(allowed=STATION_VIEWERS),
    "stations:station-lookup": Entry(allowed=STATION_VIEWERS),
    "stations:workstation-create": Entry(allowed=frozenset({"county"})),
    "stations:workstation-detail": Entry(allowed=STATION_VIEWERS, target=station),
    "stations:workstation-edit": Entry(
        allowed=EDITORS,
        target=station,
        post=lambda obj: form_data(obj, PROFILE_EDIT_FIELDS, office_address="站前路1号", version=obj.version),
    ),
    "stations:workstation-status": Entry(
        allowed=frozenset({"county"}),
        target=station,
        post=lambda obj: {"status": "closed", "changed_on": today(), "reason": "派出所撤并"},
    ),
    "stations:system-document-upload": Entry(
        allowed=EDITORS, target=station, method="post", data=lambda obj: {"system": "training"}, ok=302
    ),
    "stations:funding-add": Entry(
        allowed=EDITORS,
        target=station,
        method="post",
        data=lambda obj: {"year": "2025", "amount_yuan": "10"},
        ok=302,
    ),
    "stations:workstation-logo": Entry(allowed=EDITORS, target=station_with_files),
    "stations:system-document-file": Entry(
        allowed=EDITORS, target=station_with_files, kwargs=lambda obj: {"pk": obj.pk, "system": "training"}
    ),
    "stations:export-download": Entry(
        allowed=STATION_VIEWERS,
        target=station,
        kwargs=lambda obj: {"slug": "workstation-profile"},
        query=lambda obj: f"?workstation={obj.pk}",
    ),
    "stations:audit-list": Entry(allowed=frozenset({"audit"})),
    "stations:audit-export": Entry(allowed=frozenset({"audit"})),
    # 三员分立 (AC-4): the system administrator creates accounts and sets one-time passwords, the security
    # administrator assigns roles; accounts are installation-wide, so both see every side's account.
    "stations:user-list": Entry(allowed=frozenset({"sys", "sec"})),
    "stations:user-create": Entry(allowed=frozenset({"sys"})),
    "stations:user-edit": Entry(
        allowed=frozenset({"sys"}),
        target=account,
        out_of_scope_visible=frozenset({"sys"}),
        post=lambda obj: form_data(obj, ["username", "last_name", "first_name", "phone", "is_active"], first_name="改"),
    ),
    "stations:user-password": Entry(
        allowed=frozenset({"sys"}),
        target=account,
        out_of_scope_visible=frozenset({"sys"}),
        post=lambda obj: {"password": "Kx7#mQ2v!Lp9wZ"},
        post_ok=200,  # the page shows the one-time password to hand over
    ),
    "stations:user-role": Entry(
        allowed=frozenset({"sec"}),
        target=account,
        out_of_scope_visible=frozenset({"sec"}),
        post=lambda obj: {"role": "station_head", "workstation": obj.workstation_id},
    ),
    "stations:lockout-list": Entry(allowed=frozenset({"sec"})),
    "stations:toggle-large-type": Entry(allowed=ALL, method="post", ok=302),
    "login": Entry(allowed=ALL, ok=302),  # signed-in users are sent on to the home page
    "logout": Entry(allowed=ALL, method="post", ok=302),
    "password_change": Entry(allowed=ALL),
    "password_change_done": Entry(allowed=ALL),
    "set_language": Entry(allowed=ALL, method="post", ok=302),
}

# Second factor (AUTH-7): signed-in users who need no code, or have given one, are sent on.
ENTRIES.update(
    {
        "mfa:verify": Entry(allowed=ALL, ok=302),
        "mfa:setup": Entry(allowed=ALL, ok=302),
        "mfa:devices": Entry(allowed=frozenset({"sec"})),
    }
)
