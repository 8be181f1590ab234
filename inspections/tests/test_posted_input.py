"""Every POST of the inspections pages goes through a form: bad input is a Chinese error next to the
field that caused it, and nothing is saved."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import services
from inspections.models import AnnualChecklist, AwardStatus, ChecklistStatus, Nomination, NominationStatus, Objection

from .conftest import province_of
from .test_checklist_award import two_years

pytestmark = pytest.mark.django_db


def field_errors(response, field) -> list[str]:
    """The error messages the page shows next to the field `field`."""
    assert response.status_code == 200, response.status_code
    return re.findall(rf'data-field="{field}">([^<]*)<', response.content.decode())


@pytest.fixture
def cycle(world, officer, province_template):
    """An award cycle with one nomination of station A, at the city review stage."""
    two_years(world, officer, {world.a.station.pk: [95, 95, 95, 95]})
    prov = world.user("prov")
    cycle = services.award_cycle_open(actor=prov, province=province_of(world.a), first_year=2023)
    services.award_nominate(actor=officer, cycle=cycle, workstation=world.a.station, reason="成效突出")
    return services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.REVIEWING)


def to_deciding(world, cycle):
    prov = world.user("prov")
    nomination = Nomination.objects.get(cycle=cycle)
    services.award_city_review(actor=world.user("city"), nomination=nomination, approve=True)
    cycle = services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.NOTICE)
    cycle.notice_start = timezone.localdate() - timedelta(days=8)
    cycle.save()
    services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.DECIDING)
    return nomination


def test_city_review_without_an_opinion_is_an_error_next_to_the_choice(world, client_as, cycle):
    nomination = Nomination.objects.get(cycle=cycle)
    url = reverse("inspections:nomination-action", args=[nomination.pk, "review"])
    response = client_as(world.user("city")).post(url, {"approve": "maybe", "note": "看看"})
    assert field_errors(response, "approve") == ["意见：请选择意见"]
    assert 'value="看看"' in response.content.decode()  # the typed note comes back
    # refusing needs a reason: the service's error lands next to the note
    response = client_as(world.user("city")).post(url, {"approve": "0", "note": ""})
    assert field_errors(response, "note") == ["说明：不同意时请填写意见"]
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOMINATED


def test_decision_needs_a_choice_and_a_short_note(world, client_as, cycle):
    nomination = to_deciding(world, cycle)
    prov = client_as(world.user("prov"))
    url = reverse("inspections:nomination-action", args=[nomination.pk, "decide"])
    assert field_errors(prov.post(url, {"note": "同意"}), "award") == ["决定：请选择授予或不授予"]
    response = prov.post(url, {"award": "1", "note": "长" * 301})
    assert field_errors(response, "note") == ["意见：确保该变量包含不超过 300 字符 (目前字符数 301)。"]
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.CITY_APPROVED and nomination.decision_note == ""
    asked = prov.post(url, {"award": "0", "note": "  材料不足\x07"})  # the decision asks first
    assert 'data-testid="confirm-step"' in asked.content.decode() and "确认不授予" in asked.content.decode()
    response = prov.post(url, {"award": "0", "note": "  材料不足\x07", "confirm": "1"})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REJECTED and nomination.decision_note == "材料不足"


def test_objection_in_the_future_is_refused_next_to_the_date(world, client_as, cycle):
    nomination = Nomination.objects.get(cycle=cycle)
    services.award_city_review(actor=world.user("city"), nomination=nomination, approve=True)
    services.award_advance(actor=world.user("prov"), cycle=cycle, to=AwardStatus.NOTICE)
    url = reverse("inspections:nomination-action", args=[nomination.pk, "objection"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_as(world.user("prov")).post(url, {"text": "台账不实", "received_on": tomorrow})
    assert field_errors(response, "received_on") == ["收到日期：收到日期不能晚于今天"]
    assert 'value="台账不实"' in response.content.decode()
    assert not Objection.objects.exists()
    objection = services.award_objection_record(
        actor=world.user("prov"), nomination=nomination, text="台账不实", received_on=timezone.localdate()
    )
    response = client_as(world.user("prov")).post(
        reverse("inspections:objection-handle", args=[objection.pk]), {"handling": "  "}
    )
    assert field_errors(response, "handling") == ["处理结果：这个字段是必填项。"]
    objection.refresh_from_db()
    assert objection.handled_at is None


def test_a_stage_that_does_not_exist_changes_nothing(world, client_as, cycle):
    prov = client_as(world.user("prov"))
    response = prov.post(reverse("inspections:award-advance", args=[cycle.pk]), {"to": "awarded"}, follow=True)
    assert "评选阶段不能这样变更" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == AwardStatus.REVIEWING


def test_checklist_review_note_too_long_is_refused_next_to_the_field(world, client_as):
    year = timezone.localdate().year - 1
    head = client_as(world.user("head"))
    head.post(reverse("inspections:checklist-detail", args=[world.a.station.pk, year]), {"filled_by": "刘晓燕"})
    head.post(reverse("inspections:checklist-action", args=[world.a.station.pk, year, "submit"]), {"confirm": "1"})
    url = reverse("inspections:checklist-action", args=[world.a.station.pk, year, "review"])
    county = client_as(world.user("county"))
    response = county.post(url, {"note": "长" * 301})
    assert field_errors(response, "note") == ["确保该变量包含不超过 300 字符 (目前字符数 301)。"]
    checklist = AnnualChecklist.objects.get(workstation=world.a.station, year=year)
    assert checklist.status == ChecklistStatus.SUBMITTED
    assert county.post(url, {"note": "数据属实"}).status_code == 302
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.REVIEWED and checklist.review_note == "数据属实"


def test_score_page_refuses_a_long_note_on_its_card_and_keeps_what_was_typed(
    world, client_as, officer, province_template
):
    inspection = services.round_open(actor=officer, county=world.a.county, year=2025, half=1).inspections.get()
    entry = inspection.items.get(item__code="1")
    response = client_as(officer).post(
        reverse("inspections:inspection-score", args=[inspection.pk]),
        {"inspected_on": timezone.localdate().isoformat(), f"v_{entry.pk}_0": "77", f"note_{entry.pk}": "长" * 301},
    )
    page = response.content.decode()
    card = page[page.index('data-testid="item-1"') :]
    card = card[: card.index('data-testid="item-V"')]
    assert "确保该变量包含不超过 300 字符 (目前字符数 301)。" in card
    assert 'value="77"' in card
    entry.refresh_from_db()
    assert entry.values == [None] and entry.note == ""


def test_score_page_submits_only_when_the_submit_button_was_pressed(world, client_as, officer, province_template):
    inspection = services.round_open(actor=officer, county=world.a.county, year=2025, half=1).inspections.get()
    entry = inspection.items.get(item__code="1")
    url = reverse("inspections:inspection-score", args=[inspection.pk])
    data = {"methods": ["report"], "inspected_on": timezone.localdate().isoformat(), f"v_{entry.pk}_0": "88"}
    assert client_as(officer).post(url, {**data, "save": "1"})["Location"] == url
    inspection.refresh_from_db()
    assert inspection.status == "draft" and inspection.score == 88
    asked = client_as(officer).post(url, {**data, "submit": "1"})  # scores saved, the lock asks first
    assert asked.status_code == 200 and 'data-testid="confirm-step"' in asked.content.decode()
    inspection.refresh_from_db()
    assert inspection.status == "draft"
    response = client_as(officer).post(url, {**data, "submit": "1", "confirm": "1"})
    assert response["Location"] == reverse("inspections:inspection-detail", args=[inspection.pk])
    inspection.refresh_from_db()
    assert inspection.status == "submitted"
