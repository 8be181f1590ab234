from decimal import Decimal

import pytest
from django.urls import reverse

from stations.models import Funding
from stations.templatetags.numbers import num, yuan


def test_figures_print_without_trailing_zeros():
    assert num(Decimal("19937.50")) == "19,937.5"
    assert num(Decimal("5.50")) == "5.5"
    assert num(67000) == "67,000"
    assert num(None) == "0"
    assert num(Decimal("3.175")) == "3.18"
    assert num(Decimal("3.2"), 1) == "3.2"


def test_money_has_one_format():
    assert yuan(Decimal("10000.00")) == "10,000 元"
    assert yuan(Decimal("8000.50")) == "8,000.5 元"
    assert yuan(None) == "0 元"


@pytest.mark.django_db
def test_money_reads_the_same_on_the_station_page_and_the_activity_pages(world, client_as):
    from activities.tests.factories import activity as make_activity

    station = world.a.station
    Funding.objects.create(workstation=station, year=2025, amount_yuan=Decimal("8000.00"), source="区财政")
    activity = make_activity(station, "relief", amount_yuan=Decimal("10000.00"), people_helped=2)
    client = client_as(world.user("staff"))
    pages = [
        client.get(reverse("stations:workstation-detail", args=[station.pk])).content.decode(),
        client.get(reverse("activities:activity-detail", args=[activity.pk])).content.decode(),
        client.get(reverse("activities:activity-list")).content.decode(),
    ]
    assert "8,000 元" in pages[0] and "10,000 元" in pages[1] and "10,000 元" in pages[2]
    for page in pages:
        assert "¥" not in page and "8000.00" not in page and "10000.00" not in page
