"""Test data of the activities app (synthetic names)."""

from datetime import date

from activities.models import Activity, ActivityType
from volunteers.models import MemberType, StationRole, Volunteer, VolunteerRole

_counter = {"n": 0}


def volunteer(station, name=None, *, lecturer=False, status="active", joined_on=date(2020, 1, 1)):
    _counter["n"] += 1
    person = Volunteer.objects.create(
        workstation=station,
        name=name or f"测试志愿者{_counter['n']}",
        gender="male",
        member_type=MemberType.RETIRED_OFFICER,
        joined_on=joined_on,
        status=status,
    )
    if lecturer:
        VolunteerRole.objects.create(volunteer=person, role=StationRole.LEGAL_LECTURER)
    return person


def activity_type(code):
    return ActivityType.objects.get(code=code)


def activity(station, code="theory_study", *, held_on=date(2025, 3, 10), volunteers=(), joint=(), **fields):
    """A record written directly (counting fixtures); services are tested apart."""
    fields.setdefault("title", f"{code} {held_on}")
    record = Activity.objects.create(workstation=station, type=activity_type(code), held_on=held_on, **fields)
    record.stations.set([station, *joint])
    record.volunteers.set(volunteers)
    return record
