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


def test_a_station_head_is_named_one_way_on_the_roster_profile_and_login(db):
    """Issue 14 §1: the roster's 站长 is the profile's (which the profile PDF, the annual report and the
    registry print), and the demo station head's login is that person."""
    from django.test import Client
    from django.urls import reverse

    from stations.models import User
    from volunteers.models import Position

    demo.seed(context=station_demo.seed(rng=random.Random(2026)))
    head_user = User.objects.get(username="zhan_zhang")
    checked = 0
    for station in Workstation.objects.filter(status="active"):
        roster = list(
            Volunteer.objects.filter(workstation=station, position=Position.HEAD, status__in=["active", "paused"])
            .order_by("joined_on", "pk")
            .values_list("name", flat=True)
        )
        assert station.head_name == "、".join(roster), station.name
        checked += 1
    assert checked >= 5
    station = head_user.workstation
    assert station.head_name == head_user.get_full_name()
    client = Client()
    client.force_login(head_user)
    page = client.get(reverse("stations:workstation-detail", args=[station.pk])).content.decode()
    assert head_user.get_full_name() in page
    listing = client.get(
        reverse("volunteers:volunteer-list"), {"workstation": station.pk, "q": head_user.get_full_name()}
    )
    assert "站长" in listing.content.decode() and head_user.get_full_name() in listing.content.decode()


def test_a_full_name_reads_family_name_first(db):
    from stations.tests.factories import UserFactory

    assert UserFactory(last_name="王", first_name="建国").get_full_name() == "王建国"
