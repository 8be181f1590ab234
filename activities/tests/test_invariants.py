"""Impossible activity data is refused: next to the field in the entry form, and by the database."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities import services
from activities.models import Activity
from activities.tests.factories import activity, activity_type
from activities.tests.test_views import form_data

pytestmark = pytest.mark.django_db


def test_entry_form_refuses_more_minors_than_audience(world, client_as):
    response = client_as(world.user("staff")).post(
        "/activities/new/", form_data(audience_count="10", minors_reached="50")
    )
    assert response.status_code == 200
    assert 'data-field="minors_reached">覆盖未成年人（人次）不能多于受众人次与受助人数之和' in response.content.decode()
    assert not Activity.objects.exists()


def test_edit_form_refuses_more_minors_than_audience(world, client_as):
    record = activity(world.a.station, "legal_lecture", audience_count=300, minors_reached=300)
    client = client_as(world.user("staff"))
    response = client.post(
        f"/activities/{record.pk}/edit/",
        form_data(audience_count="10", minors_reached="50", held_on=str(record.held_on), version=record.version),
    )
    assert 'data-field="minors_reached">覆盖未成年人' in response.content.decode()
    record.refresh_from_db()
    assert (record.audience_count, record.minors_reached) == (300, 300)


@pytest.mark.parametrize(("hours", "bad"), [("0", True), ("24.5", True), ("0.5", False), ("24", False)])
def test_entry_form_bounds_the_hours(world, client_as, hours, bad):
    response = client_as(world.user("staff")).post("/activities/new/", form_data(hours=hours))
    assert ('data-field="hours">时长应大于 0 小时且不超过 24 小时' in response.content.decode()) is bad
    assert Activity.objects.exists() is not bad


def test_relief_reaches_the_people_it_helps(world):
    """Relief records 受助人数, not an audience: the children helped count as reached."""
    record = activity(
        world.a.station, "relief", audience_count=0, people_helped=20, minors_reached=20, amount_yuan=Decimal(100)
    )
    record.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=record.pk).update(minors_reached=21)


@pytest.mark.parametrize(
    "values",
    [
        {"audience_count": 10, "minors_reached": 50},
        {"hours": Decimal(0)},
        {"hours": Decimal("24.1")},
        {"amount_yuan": Decimal(-1)},
    ],
)
def test_database_refuses_impossible_activity(world, values):
    record = activity(world.a.station, audience_count=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=record.pk).update(**values)


def test_service_refuses_more_minors_than_audience(world):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            actor=world.user("staff"),
            workstation=world.a.station,
            type=activity_type("theory_study"),
            title="理论学习",
            held_on=timezone.localdate(),
            hours=Decimal(2),
            audience_count=10,
            minors_reached=50,
        )
    assert caught.value.message_dict["minors_reached"] == ["覆盖未成年人（人次）不能多于受众人次与受助人数之和"]
    assert not Activity.objects.exists()
