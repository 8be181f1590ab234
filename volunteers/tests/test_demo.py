"""Demo data: valid, idempotent, and two stations fail the staffing check on purpose."""

import random

from stations import demo as station_demo
from stations import idnumbers
from stations.models import StationStatus, Workstation
from volunteers import demo
from volunteers.models import ServiceLog, Training, Volunteer
from volunteers.selectors import staffing_by_station


def _counts():
    return (Volunteer.objects.count(), ServiceLog.objects.count(), Training.objects.count())


def test_demo_is_valid_and_idempotent(db):
    context = station_demo.seed(rng=random.Random(2026))
    demo.seed(context=context)
    first = _counts()
    context = station_demo.seed(rng=random.Random(7))
    demo.seed(context=context)
    assert _counts() == first
    active = list(Workstation.objects.filter(status=StationStatus.ACTIVE).values_list("pk", flat=True))
    for pk in active:
        assert 15 <= Volunteer.objects.filter(workstation_id=pk).exclude(transferred_from__isnull=False).count() <= 40
    for volunteer in Volunteer.objects.all()[:100]:
        assert idnumbers.validate(volunteer.id_number, birth_date=volunteer.birth_date, gender=volunteer.gender)
    failing = [pk for pk, problems in staffing_by_station(active).items() if problems]
    assert len(failing) == 2
    assert Volunteer.objects.filter(transferred_from__isnull=False).exists()
