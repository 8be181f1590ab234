"""A station user runs a youth case in the browser; the county officer sees it masked and opens it with a reason."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from mentoring.tests.factories import VolunteerFactory
from stations import idnumbers
from stations.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "欧阳测晨"
ID_NUMBER = idnumbers.make("230102", date(2010, 5, 6), 31)


def test_intake_team_visit_clears_overdue_and_county_opens_with_reason(world, page, login, browser, live_server):
    VolunteerFactory(workstation=world.a.station, name="孙老帮教", counsellor=True)
    intake_on = (timezone.localdate() - timedelta(days=40)).isoformat()

    login(world.user("staff"))
    page.goto("/mentoring/")
    page.click("[data-testid=youth-create]")
    page.fill("#id_name", NAME)
    page.select_option("#id_gender", "male")
    page.fill("#id_birth_date", "2010-05-06")
    page.fill("#id_id_number", ID_NUMBER)
    page.select_option("#id_school_status", "junior")
    page.select_option("#id_intake_source", "call_110")
    page.fill("#id_intake_on", intake_on)
    page.fill("#id_intake_reference", "JQ20260001")
    page.select_option("#id_risk_level", "high")
    page.fill("#id_risk_assessed_on", intake_on)
    page.check("input[name=categories_list][value=runaway]")
    page.fill("#id_guardian_relation", "母亲")
    page.fill("#id_guardian_name", "欧阳测母")
    page.fill("#id_guardian_phone", "13900003333")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert NAME in page.inner_text("[data-testid=youth-name]")
    assert page.locator("[data-testid=youth-name] [data-testid=overdue-badge]").count() == 1
    detail_url = page.url

    page.click("[data-testid=team-create]")
    page.select_option("#id_team_type", "one_to_one")
    page.select_option("#id_lead", label="孙老帮教")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert "孙老帮教" in page.inner_text("[data-testid=teams]")

    page.set_viewport_size({"width": 390, "height": 844})  # quick entry on a phone-width screen
    page.click("[data-testid=visit-create]")
    page.select_option("#id_form", "home")
    page.fill("#id_place", "家中")
    page.check("input[name=participants]")
    page.fill("#id_summary", "家访谈心，了解近况")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert "第 1 次走访" in page.inner_text("[data-testid=timeline]")
    assert page.locator("[data-testid=overdue-badge]").count() == 0
    page.goto("/")
    assert page.inner_text("[data-testid=mentoring-overdue]") == "0"

    county_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    county_page = county_context.new_page()
    from stations.tests.factories import PASSWORD

    county_page.goto("/login/")
    county_page.fill("#id_username", world.user("county").username)
    county_page.fill("#id_password", PASSWORD)
    county_page.click("button[type=submit]")
    county_page.wait_for_load_state("networkidle")
    county_page.goto("/mentoring/")
    listing = county_page.content()
    assert "欧阳某" in listing and NAME not in listing and ID_NUMBER not in listing
    county_page.goto(detail_url.replace(live_server.url, ""))
    assert NAME not in county_page.content() and "13900003333" not in county_page.content()
    county_page.click("[data-testid=open-full]")
    county_page.select_option("#id_reason_code", "inspection")
    county_page.fill("#id_reason", "半年督查抽查帮教档案")
    county_page.click("[data-testid=save]")
    county_page.wait_for_load_state("networkidle")
    assert NAME in county_page.inner_text("[data-testid=youth-name]")
    assert ID_NUMBER in county_page.inner_text("[data-testid=id-number]")
    assert AuditEntry.objects.filter(action="youth.view_full", reason="督查核查：半年督查抽查帮教档案").count() == 1
    county_context.close()
