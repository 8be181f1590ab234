"""Impossible volunteer data is refused: membership dates in order, next to the field and by the database."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory
from volunteers.tests.test_views import _form

pytestmark = pytest.mark.django_db


def test_create_refuses_joining_before_birth_next_to_the_field(world, client_as):
    response = client_as(world.user("staff")).post(
        reverse("volunteers:volunteer-create"), _form(world.a.station, joined_on="1950-01-01")
    )
    assert response.status_code == 200
    assert 'data-field="joined_on">入列日期须晚于出生日期' in response.content.decode()
    assert not Volunteer.objects.filter(name="赵新五老").exists()


@pytest.mark.parametrize(
    "values",
    [
        {"left_on": date(2024, 1, 15), "status": "left"},
        {"birth_date": date(2024, 1, 16)},
        {"birth_date": date(2030, 1, 1)},
    ],
)
def test_database_refuses_membership_dates_out_of_order(world, values):
    person = VolunteerFactory(workstation=world.a.station, joined_on=date(2024, 1, 16))
    Volunteer.objects.filter(pk=person.pk).update(left_on=date(2024, 1, 16), status="left")  # same day: possible
    with pytest.raises(IntegrityError), transaction.atomic():
        Volunteer.objects.filter(pk=person.pk).update(**values)
