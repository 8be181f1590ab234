"""factory_boy factories of the mentoring app (all data synthetic; ID numbers pass GB 11643)."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from stations import idnumbers
from stations.tests.factories import WorkstationFactory
from volunteers.models import Volunteer, VolunteerRole

from ..models import Guardian, PoliceCall, Visit, Youth


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return date(today.year - years, 1, 1) - timedelta(days=days)


class YouthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Youth

    workstation = factory.SubFactory(WorkstationFactory)
    name = factory.Sequence(lambda n: f"赵测{n}")
    gender = "male"
    birth_date = factory.LazyFunction(lambda: years_ago(16))
    school_status = "junior"
    home_area = "测试社区"
    categories = ",misconduct,"
    intake_source = "school"
    intake_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    risk_level = "low"
    risk_assessed_on = factory.LazyAttribute(lambda o: o.intake_on)
    last_contact_on = factory.LazyAttribute(lambda o: o.intake_on)
    stage = "active"


def id_for(youth_birth: date, seq: int = 11) -> str:
    return idnumbers.make("230102", youth_birth, seq)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    youth = factory.SubFactory(YouthFactory)
    relation = "母亲"
    name = "钱测母"
    phone = "13900001111"


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    workstation = factory.SubFactory(WorkstationFactory)
    name = factory.Sequence(lambda n: f"孙老{n}")
    gender = "male"
    member_type = "retired_officer"
    joined_on = date(2015, 1, 1)
    status = "active"

    @factory.post_generation
    def counsellor(obj, create, extracted, **kwargs):
        if create and extracted:
            VolunteerRole.objects.create(volunteer=obj, role="youth_counsellor")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    youth = factory.SubFactory(YouthFactory)
    visited_on = factory.LazyFunction(timezone.localdate)
    sequence = factory.Sequence(lambda n: n + 1)
    place = "家中"
    form = "home"
    summary = "谈心"


class PoliceCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceCall

    workstation = factory.SubFactory(WorkstationFactory)
    kind = "runaway"
    called_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=3))
    reference = factory.Sequence(lambda n: f"JQ2026{n:05d}")
