"""A page offers a link only when its user may open it: the province dashboard once linked its
"走访逾期对象" figure to the mentoring list, a 403 for every officer above the county."""

import pytest
from django.urls import reverse

from stations.mixins import may_open

pytestmark = pytest.mark.django_db


def overdue_figure(test_figures, world):
    test_figures(
        "mentoring.overdue_contacts",
        lambda *, station_ids, period: {world.a.station.pk: 2},
        label="走访逾期对象",
        unit="人",
        link="mentoring:overdue-list",
    )


@pytest.mark.parametrize("role", ["city", "prov"])
def test_dashboard_shows_a_figure_without_a_link_its_user_cannot_open(world, client_as, test_figures, role):
    overdue_figure(test_figures, world)
    client = client_as(world.user(role))
    page = client.get(reverse("reports:dashboard"), {"period": "2025"}).content.decode()
    assert "走访逾期对象" in page
    assert reverse("mentoring:overdue-list") not in page
    assert client.get(reverse("mentoring:overdue-list")).status_code == 403  # why the link must not be there


def test_dashboard_links_the_figure_for_a_user_who_may_open_the_list(world, client_as, test_figures):
    overdue_figure(test_figures, world)
    client = client_as(world.user("county"))
    page = client.get(reverse("reports:dashboard"), {"period": "2025"}).content.decode()
    assert f'href="{reverse("mentoring:overdue-list")}?period=2025' in page
    assert client.get(reverse("mentoring:overdue-list"), {"period": "2025"}).status_code == 200


def test_may_open_follows_the_views_capability(world):
    assert may_open(world.user("county"), "mentoring:overdue-list")
    assert not may_open(world.user("prov"), "mentoring:overdue-list")
    assert may_open(world.user("prov"), "reports:dashboard")
    assert not may_open(world.user("staff"), "stations:audit-list")
