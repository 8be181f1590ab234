"""factory_boy factories of the volunteers app (all data synthetic; ID numbers pass GB 11643)."""

from datetime import date
from decimal import Decimal

import factory

from stations import idnumbers
from stations.tests.factories import WorkstationFactory
from volunteers.models import ElderCategory, MemberType, Position, ServiceLog, Training, Volunteer, VolunteerRole


def id_for(n: int, *, born=date(1955, 3, 14), male=True, area="230102") -> str:
    sequence = (n * 2 + (1 if male else 0)) % 1000
    return idnumbers.make(area, born, sequence)


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    workstation = factory.SubFactory(WorkstationFactory)
    name = factory.Sequence(lambda n: f"测试{n}号")
    gender = "male"
    birth_date = date(1955, 3, 14)
    id_number = factory.Sequence(lambda n: id_for(n, born=date(1955, 3, 14) if n < 500 else date(1956, 4, 15)))
    id_hash = factory.LazyAttribute(lambda o: idnumbers.lookup_hash(o.id_number) if o.id_number else "")
    mobile = factory.Sequence(lambda n: f"139{n % 100_000_000:08d}")
    elder_category = ElderCategory.NONE
    member_type = MemberType.RETIRED_OFFICER
    position = Position.MEMBER
    joined_on = date(2024, 1, 16)


class VolunteerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerRole

    volunteer = factory.SubFactory(VolunteerFactory)
    role = "legal_lecturer"


class ServiceLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLog

    volunteer = factory.SubFactory(VolunteerFactory)
    served_on = date(2025, 3, 1)
    hours = Decimal("2.0")
    kind = "visit"


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    workstation = factory.SubFactory(WorkstationFactory)
    title = factory.Sequence(lambda n: f"培训{n}")
    held_on = date(2025, 4, 1)
    organiser = "县关工委"
    hours = Decimal("3.0")
