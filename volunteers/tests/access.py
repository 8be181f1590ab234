"""Access-matrix entries of the volunteers app (see tests/access.py)."""

from tests.access import STATION, SUPERVISORS, Entry, form_data, today
from volunteers.models import VOLUNTEER_DETAILS

VIEWERS = STATION | SUPERVISORS


def volunteer(side):
    from volunteers.tests.factories import VolunteerFactory

    return VolunteerFactory(workstation=side.station)


def training(side):
    from django.core.files.base import ContentFile

    from volunteers.tests.factories import TrainingFactory

    item = TrainingFactory(workstation=side.station)
    item.certificate.save("cert.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return item


EDIT_FIELDS = ["name", "id_number", *VOLUNTEER_DETAILS]


def neighbour_station(volunteer):
    """Another active station of the volunteer's county (the transfer's destination)."""
    from stations.models import Workstation

    return (
        Workstation.objects.filter(county_id=volunteer.workstation.county_id, status="active")
        .exclude(pk=volunteer.workstation_id)
        .order_by("pk")
        .first()
    )


ENTRIES = {
    "volunteers:volunteer-list": Entry(allowed=VIEWERS),
    "volunteers:volunteer-create": Entry(allowed=STATION),
    "volunteers:volunteer-detail": Entry(allowed=VIEWERS, target=volunteer),
    "volunteers:volunteer-edit": Entry(
        allowed=STATION,
        target=volunteer,
        post=lambda obj: form_data(obj, EDIT_FIELDS, skills="普法宣讲", version=obj.version),
    ),
    "volunteers:volunteer-leave": Entry(
        allowed=STATION, target=volunteer, post=lambda obj: {"left_on": today(), "reason": "年事已高"}
    ),
    "volunteers:volunteer-status": Entry(
        allowed=STATION, target=volunteer, post=lambda obj: {"status": "paused", "changed_on": today()}
    ),
    "volunteers:volunteer-transfer": Entry(
        allowed=STATION,
        target=volunteer,
        post=lambda obj: {"to": getattr(neighbour_station(obj), "pk", ""), "transferred_on": today()},
        # A station user's scope holds no other station to transfer to, so no POST of theirs can
        # succeed (recorded in docs/decisions.md); the probe still proves a foreign volunteer is a 404.
        post_ok=200,
        post_changes=False,
    ),
    "volunteers:service-add": Entry(
        allowed=STATION, target=volunteer, post=lambda obj: {"served_on": today(), "hours": "2", "kind": "visit"}
    ),
    "volunteers:staffing-list": Entry(allowed=VIEWERS),
    "volunteers:training-list": Entry(allowed=VIEWERS),
    "volunteers:training-create": Entry(allowed=STATION),
    "volunteers:training-detail": Entry(allowed=VIEWERS, target=training),
    "volunteers:training-certificate": Entry(allowed=VIEWERS, target=training),
    "volunteers:import": Entry(allowed=STATION),
    "volunteers:training-import": Entry(allowed=STATION),
    "volunteers:training-import-confirm": Entry(allowed=STATION, method="post", ok=302),
    "volunteers:training-import-errors": Entry(allowed=STATION),
    "volunteers:import-template": Entry(allowed=STATION),
    "volunteers:import-errors": Entry(allowed=STATION),
    "volunteers:import-confirm": Entry(allowed=STATION, method="post", ok=302),
}
