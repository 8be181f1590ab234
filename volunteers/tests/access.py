"""Access-matrix entries of the volunteers app (see tests/access.py)."""

from tests.access import STATION, SUPERVISORS, Entry

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


ENTRIES = {
    "volunteers:volunteer-list": Entry(allowed=VIEWERS),
    "volunteers:volunteer-create": Entry(allowed=STATION),
    "volunteers:volunteer-detail": Entry(allowed=VIEWERS, target=volunteer),
    "volunteers:volunteer-edit": Entry(allowed=STATION, target=volunteer),
    "volunteers:volunteer-leave": Entry(allowed=STATION, target=volunteer),
    "volunteers:volunteer-status": Entry(allowed=STATION, target=volunteer),
    "volunteers:volunteer-transfer": Entry(allowed=STATION, target=volunteer),
    "volunteers:service-add": Entry(allowed=STATION, target=volunteer),
    "volunteers:training-list": Entry(allowed=VIEWERS),
    "volunteers:training-create": Entry(allowed=STATION),
    "volunteers:training-detail": Entry(allowed=VIEWERS, target=training),
    "volunteers:training-certificate": Entry(allowed=VIEWERS, target=training),
    "volunteers:import": Entry(allowed=STATION),
    "volunteers:import-template": Entry(allowed=STATION),
    "volunteers:import-errors": Entry(allowed=STATION),
    "volunteers:import-confirm": Entry(allowed=STATION, method="post", ok=302),
}
