"""Find and be told (issue 16 §3): the header search finds what the user may see, masked where the
youth list masks it and nothing of another station; a rectification sent back by the county appears as
an unread notification at the station, and opening it leads to the rectification and marks it read."""

import pytest
from django.utils import timezone

from inspections.models import Rectification, RectStatus
from inspections.tests.conftest import scored_round, simple_template
from mentoring.tests.factories import YouthFactory
from stations.models import Notification
from stations.tests.factories import UserFactory
from volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _search(page, term):
    page.fill("[data-testid=header-search]", term)
    page.press("[data-testid=header-search]", "Enter")
    page.wait_for_load_state("networkidle")
    return page.inner_text("main")


def _sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")


def test_search_then_a_returned_rectification_is_a_notification(world, page, login):
    VolunteerFactory(workstation=world.a.station, name="甲志远")
    youth = YouthFactory(workstation=world.a.station, name="甲晓明")
    VolunteerFactory(workstation=world.b.station, name="乙志远")
    YouthFactory(workstation=world.b.station, name="乙晓明")
    neighbour = UserFactory(role="station_staff", workstation=world.b.station)
    officer, staff = world.user("county"), world.user("staff")
    simple_template(world.a.province, 2020)
    inspection = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80}
    ).inspections.get()
    rect = Rectification.objects.create(
        workstation=world.a.station,
        inspection=inspection,
        finding="未悬挂统一标识",
        responsible="李主任",
        due_on=timezone.localdate(),
        status=RectStatus.ANSWERED,
        answer="已悬挂",
    )

    # a station user finds the own station's volunteer and youth (the station sees names)
    login(staff)
    text = _search(page, "志远")
    assert "甲志远" in text and "乙志远" not in text
    text = _search(page, "晓明")
    assert "甲晓明" in text and "乙晓明" not in text
    page.get_by_role("link", name=f"#{youth.pk} 甲晓明").click()
    assert page.url.endswith(f"/mentoring/{youth.pk}/")

    # another station's user finds nothing of station a
    _sign_out(page)
    login(neighbour)
    text = _search(page, "志远")
    assert "乙志远" in text and "甲志远" not in text
    text = _search(page, "晓明")
    assert "乙晓明" in text and "甲晓明" not in text

    # the county finds a youth by case number only, masked as the youth list masks it
    _sign_out(page)
    login(officer)
    text = _search(page, "晓明")
    assert "甲晓明" not in text and "乙晓明" not in text
    text = _search(page, f"#{youth.pk}")
    assert f"#{youth.pk} 甲某" in text and "甲晓明" not in text

    # the county sends the rectification back
    page.goto(f"/inspections/rectifications/{rect.pk}/")
    page.fill("#id_reason", "照片看不清标识")
    page.get_by_role("button", name="退回重改").click()
    page.wait_for_load_state("networkidle")

    # the station is told: one unread notification, opening it leads to the rectification
    _sign_out(page)
    login(staff)
    assert page.inner_text("[data-testid=unread-count]") == "1"
    page.click("[data-testid=notifications-link]")
    assert "照片看不清标识" in page.inner_text("[data-testid=notification-list]")
    page.click("[data-testid=notification-open]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/inspections/rectifications/{rect.pk}/")
    assert page.locator("[data-testid=unread-count]").count() == 0
    assert Notification.objects.get(recipient=staff).read_at is not None
