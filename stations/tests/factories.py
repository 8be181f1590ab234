"""factory_boy factories of the stations app (all data synthetic)."""

import factory

from stations.models import OrgKind, OrgUnit, Role, User, Workstation

PASSWORD = "Test@Password2026"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    kind = OrgKind.PROVINCE
    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    parent = None


class WorkstationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstation

    code = factory.Sequence(lambda n: f"WS{n:06d}")
    name = factory.Sequence(lambda n: f"测试{n}派出所关爱工作站")
    police_station = factory.Sequence(lambda n: f"测试{n}派出所")
    county = factory.SubFactory(OrgUnitFactory, kind=OrgKind.COUNTY)
    head_name = "王建国"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "李"
    first_name = "测试"
    role = Role.STATION_STAFF
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
