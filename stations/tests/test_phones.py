"""Phones: one validator on phonenumbers (region CN) for forms, services, import; one stored format."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from stations.phones import MOBILE_MESSAGE, PHONE_MESSAGE, normalise_phone
from stations.tests.factories import WorkstationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("0451-82345678", "0451-82345678"),
        ("045182345678", "0451-82345678"),
        ("(0451) 8234 5678", "0451-82345678"),
        ("（0451）82345678", "0451-82345678"),
        ("010-12345678", "010-12345678"),
        ("0456-8123456", "0456-8123456"),  # 7-digit numbers where the area has them
        ("", ""),
    ],
)
def test_mobiles_and_landlines_with_area_code_are_stored_in_one_form(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "0451-1234",
        "12345678901",
        "14012345678",
        "82345678",
        "0451-1234567",
        "+1 202 555 0143",
        "abc",
        "138123456789",
    ],
)
def test_numbers_that_are_not_chinese_phones_are_refused_in_chinese(typed):
    with pytest.raises(ValidationError) as exc:
        normalise_phone(typed)
    assert exc.value.messages == [str(PHONE_MESSAGE)]


def test_a_mobile_field_refuses_a_landline():
    assert normalise_phone("+8613812345678", mobile=True) == "13812345678"
    with pytest.raises(ValidationError) as exc:
        normalise_phone("0451-82345678", mobile=True)
    assert exc.value.messages == [str(MOBILE_MESSAGE)]


def test_workstation_page_stores_the_normalised_landline(world, client_as):
    station = world.a.station
    data = {
        "name": station.name,
        "police_station": station.police_station,
        "office_location": "station",
        "phone": "(0451) 8234 5678",
        "version": station.version,
    }
    response = client_as(world.user("staff")).post(reverse("stations:workstation-edit", args=[station.pk]), data)
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.phone == "0451-82345678"


def test_guardian_page_shows_the_message_next_to_the_phone(world, client_as):
    from mentoring.tests.factories import YouthFactory

    youth = YouthFactory(workstation=world.a.station)
    response = client_as(world.user("staff")).post(
        reverse("mentoring:guardian-create", args=[youth.pk]),
        {"relation": "母亲", "name": "王母", "phone": "0451-1234"},
    )
    assert response.status_code == 200
    assert "电话号码格式不正确" in str(response.context["form"].errors["phone"])
    assert not youth.guardians.exists()


def test_migration_normalises_stored_phones_and_leaves_unreadable_ones(world):
    from mentoring.models import Guardian
    from mentoring.tests.factories import GuardianFactory
    from stations.models import Workstation

    typed_without_hyphen = WorkstationFactory(county=world.a.county, phone="045182345678")
    spaced = WorkstationFactory(county=world.a.county, phone="0451 8234 5679")
    unreadable = WorkstationFactory(county=world.a.county, phone="内线 8123")
    guardian = GuardianFactory(phone="139 0000 1111")
    normalise = import_module("stations.migrations.0007_phones_normalised").normalise
    normalise(apps.get_model("stations", "Workstation"), "phone")
    normalise(apps.get_model("mentoring", "Guardian"), "phone")
    phones = dict(Workstation.objects.values_list("pk", "phone"))
    assert phones[typed_without_hyphen.pk] == "0451-82345678"
    assert phones[spaced.pk] == "0451-82345679"
    assert phones[unreadable.pk] == "内线 8123"
    assert Guardian.objects.get(pk=guardian.pk).phone == "13900001111"


def test_guardian_service_stores_the_normalised_phone_and_refuses_a_bad_one(world):
    from mentoring import services
    from mentoring.tests.factories import YouthFactory

    youth = YouthFactory(workstation=world.a.station)
    guardian = services.guardian_add(
        actor=world.user("staff"), youth=youth, relation="父亲", name="李父", phone="+86 139 0000 3333"
    )
    assert guardian.phone == "13900003333"
    with pytest.raises(ValidationError) as exc:
        services.guardian_add(actor=world.user("staff"), youth=youth, relation="母亲", name="李母", phone="0451-1234")
    assert "phone" in exc.value.message_dict
    assert youth.guardians.count() == 1
