"""Impossible inspection data is refused: scores beyond an item's value, deadlines already passed,
overlapping award cycles, dates out of order; next to the field on the page, and by the service or
the database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from inspections import services
from inspections.models import (
    AwardCycle,
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    InspectionRound,
    Rectification,
    RectStatus,
    TemplateItem,
)

from .conftest import province_of, scored_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def eight_point_round(world, officer):
    """A round scored with a template whose manual item is worth 8 points (like item 1 of DOMAIN §6)."""
    template = ChecklistTemplate.objects.create(province=world.a.province, year=2021, name="八分细则")
    TemplateItem.objects.create(
        template=template, order=1, code="1", section="组织", text="站长、副站长配备", kind="manual", max_points=8
    )
    TemplateItem.objects.create(
        template=template, order=2, code="2", section="保障", text="经费到位", kind="boolean", max_points=4
    )
    TemplateItem.objects.create(
        template=template, order=3, code="B", section="加分", text="媒体报道", kind="bonus", max_points=5
    )
    return services.round_open(actor=officer, county=world.a.county, year=2025, half=1)


def _entries(inspection):
    return {e.item.code: e for e in inspection.items.select_related("item")}


# --- scores within the item's value ---------------------------------------------------------------


def test_score_page_refuses_points_above_the_item_value(world, client_as, officer, eight_point_round):
    inspection = eight_point_round.inspections.get()
    entry = _entries(inspection)["1"]
    url = reverse("inspections:inspection-score", args=[inspection.pk])
    response = client_as(officer).post(
        url, {"methods": ["report"], "inspected_on": "2025-06-10", f"v_{entry.pk}_0": "20"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    card = page[page.index('data-testid="item-1"') : page.index('data-testid="item-2"')]
    assert "得分不能超过本项分值 8 分" in card and "当前得分" not in card
    assert 'value="20"' in card  # what the officer typed stays in the field
    entry.refresh_from_db()
    assert entry.values == [None] and entry.points is None
    assert Inspection.objects.get(pk=inspection.pk).inspected_on is None  # nothing of the post was saved


@pytest.mark.parametrize(
    ("code", "value", "ok"),
    [
        ("1", "8", True),
        ("1", "8.1", False),
        ("1", "20", False),
        ("2", "1", True),
        ("2", "2", False),
        ("B", "5", True),
        ("B", "6", False),
    ],
)
def test_service_keeps_typed_points_within_bounds(officer, eight_point_round, code, value, ok):
    inspection = eight_point_round.inspections.get()
    entry = _entries(inspection)[code]
    if ok:
        services.inspection_score(actor=officer, inspection=inspection, values={entry.pk: [value]})
        entry.refresh_from_db()
        assert entry.points == Decimal(value) * (4 if code == "2" else 1)
        return
    with pytest.raises(ValidationError) as caught:
        services.inspection_score(actor=officer, inspection=inspection, values={entry.pk: [value]})
    assert f"item_{entry.pk}" in caught.value.message_dict
    entry.refresh_from_db()
    assert entry.values == [None]


def test_counts_of_a_deduction_item_are_not_capped(world, officer, example_template):
    """A deduction item's input is a count (missing posts), not points: 3 missing × 4 floors at 0."""
    inspection = services.round_open(actor=officer, county=world.a.county, year=2025, half=1).inspections.get()
    entry = _entries(inspection)["1"]
    services.inspection_score(actor=officer, inspection=inspection, values={entry.pk: [3]}, notes={entry.pk: "核实"})
    entry.refresh_from_db()
    assert entry.points == 0


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (InspectionItem, {"points": Decimal(-1)}),
        (Inspection, {"score": Decimal(-1)}),
        (Inspection, {"base_points": Decimal(-1)}),
        (Inspection, {"bonus_points": Decimal("-0.5")}),
        (TemplateItem, {"max_points": Decimal(-8)}),
        (TemplateItem, {"unit": Decimal(-1)}),
        (ChecklistTemplate, {"bonus_cap": Decimal(-5)}),
        (InspectionRound, {"half": 3}),
    ],
)
def test_database_refuses_scores_out_of_bounds(eight_point_round, model, values):
    inspection = eight_point_round.inspections.get()
    row = {
        InspectionItem: inspection.items.first(),
        Inspection: inspection,
        TemplateItem: inspection.template.items.first(),
        ChecklistTemplate: inspection.template,
        InspectionRound: eight_point_round,
    }[model]
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**values)


def test_inspection_date_not_before_the_half_year(officer, eight_point_round):
    inspection = eight_point_round.inspections.get()
    with pytest.raises(ValidationError) as caught:
        services.inspection_score(actor=officer, inspection=inspection, values={}, inspected_on=date(2024, 12, 31))
    assert "不能早于本轮督查的半年度开始日期（2025-01-01）" in caught.value.message_dict["inspected_on"][0]
    services.inspection_score(actor=officer, inspection=inspection, values={}, inspected_on=date(2025, 1, 1))


@freeze_time("2026-05-20")
def test_round_page_refuses_a_half_year_not_yet_begun(world, client_as, officer, province_template):
    client = client_as(officer)
    response = client.post(reverse("inspections:round-open"), {"county": world.a.county.pk, "year": 2026, "half": 2})
    assert 'data-field="half">该半年度尚未开始，不能开启督查轮次' in response.content.decode()
    assert not InspectionRound.objects.exists()
    response = client.post(reverse("inspections:round-open"), {"county": world.a.county.pk, "year": 2026, "half": 1})
    assert response.status_code == 302 and InspectionRound.objects.count() == 1


# --- deadlines not in the past --------------------------------------------------------------------


@pytest.fixture
def answered(world, officer, province_template):
    inspection = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80}
    ).inspections.get()
    rect = services.rectification_raise(
        actor=officer, inspection=inspection, finding="未召开联席会议", responsible="王建国"
    )
    services.rectification_answer(
        actor=world.user("head"),
        rectification=rect,
        answer="已召开",
        files=[SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")],
    )
    rect.refresh_from_db()
    return rect


def test_return_page_refuses_a_new_deadline_in_the_past(client_as, officer, answered):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_as(officer).post(
        reverse("inspections:rectification-return", args=[answered.pk]),
        {"reason": "佐证不足", "due_on": yesterday.isoformat()},
    )
    assert response.status_code == 200
    assert 'data-field="due_on">整改期限不能早于今天' in response.content.decode()
    rect = Rectification.objects.get(pk=answered.pk)
    assert rect.status == RectStatus.ANSWERED and rect.due_on == answered.due_on and rect.return_reason == ""


def test_return_service_refuses_a_new_deadline_in_the_past(officer, answered):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.rectification_return(actor=officer, rectification=answered, reason="佐证不足", due_on=yesterday)
    assert caught.value.message_dict == {"due_on": ["整改期限不能早于今天"]}
    assert Rectification.objects.get(pk=answered.pk).status == RectStatus.ANSWERED
    today = timezone.localdate()
    rect = services.rectification_return(actor=officer, rectification=answered, reason="佐证不足", due_on=today)
    assert rect.due_on == today and rect.status == RectStatus.RETURNED


def test_raising_with_a_typed_deadline_in_the_past_is_refused(world, client_as, officer, province_template):
    inspection = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80}
    ).inspections.get()
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_as(officer).post(
        reverse("inspections:rectification-raise", args=[inspection.pk]),
        {"finding": "台账不全", "responsible": "王建国", "severity": "normal", "due_on": yesterday.isoformat()},
    )
    assert 'data-field="due_on">整改期限不能早于今天' in response.content.decode()
    with pytest.raises(ValidationError):
        services.rectification_raise(
            actor=officer, inspection=inspection, finding="台账不全", responsible="王建国", due_on=yesterday
        )
    assert not Rectification.objects.exists()


# --- award cycles do not overlap ------------------------------------------------------------------


def test_award_page_refuses_an_overlapping_cycle(world, client_as):
    client = client_as(world.user("prov"))
    settings = {"min_each": 85, "min_mean": 90, "quota_percent": 10, "notice_days": 7}
    assert client.post(reverse("inspections:award-open"), {"first_year": 2024, **settings}).status_code == 302
    response = client.post(reverse("inspections:award-open"), {"first_year": 2025, **settings})
    assert response.status_code == 200
    assert 'data-field="first_year">与已有的 2024—2025 年度评选重叠' in response.content.decode()
    assert list(AwardCycle.objects.values_list("first_year", flat=True)) == [2024]


@pytest.mark.parametrize(
    ("first_year", "ok"), [(2022, True), (2023, False), (2024, False), (2025, False), (2026, True)]
)
def test_award_service_refuses_overlapping_cycles(world, first_year, ok):
    prov, province = world.user("prov"), province_of(world.a)
    services.award_cycle_open(actor=prov, province=province, first_year=2024)
    if ok:
        assert (
            services.award_cycle_open(actor=prov, province=province, first_year=first_year).last_year == first_year + 1
        )
        return
    with pytest.raises(ValidationError) as caught:
        services.award_cycle_open(actor=prov, province=province, first_year=first_year)
    assert "first_year" in caught.value.message_dict
    assert AwardCycle.objects.count() == 1


def test_cycles_of_another_province_may_share_years(world):
    services.award_cycle_open(actor=world.user("prov"), province=province_of(world.a), first_year=2024)
    AwardCycle.objects.create(province=province_of(world.z), first_year=2025)
    assert AwardCycle.objects.count() == 2


@pytest.mark.parametrize(
    "values",
    [
        {"min_each": Decimal("100.5")},
        {"min_mean": Decimal(-1)},
        {"quota_percent": 0},
        {"quota_percent": 101},
        {"notice_days": 0},
        {"notice_start": date(2025, 3, 1), "decided_on": date(2025, 2, 28)},
    ],
)
def test_database_refuses_impossible_award_settings(world, values):
    cycle = AwardCycle.objects.create(province=world.a.province, first_year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardCycle.objects.filter(pk=cycle.pk).update(**values)


def test_objection_date_not_in_the_future_nor_before_the_notice(world, officer, province_template):
    station = world.a.station
    for year, half in [(2023, 1), (2023, 2), (2024, 1), (2024, 2)]:
        scored_round(officer=officer, county=world.a.county, year=year, half=half, scores={station.pk: 95})
    prov = world.user("prov")
    cycle = services.award_cycle_open(actor=prov, province=province_of(world.a), first_year=2023)
    nomination = services.award_nominate(actor=officer, cycle=cycle, workstation=station, reason="成效突出")
    services.award_advance(actor=prov, cycle=cycle, to="reviewing")
    services.award_city_review(actor=world.user("city"), nomination=nomination, approve=True)
    services.award_advance(actor=prov, cycle=cycle, to="notice")
    today = timezone.localdate()
    for day in (today + timedelta(days=1), today - timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            services.award_objection_record(actor=prov, nomination=nomination, text="有异议", received_on=day)
        assert "received_on" in caught.value.message_dict
    services.award_objection_record(actor=prov, nomination=nomination, text="有异议", received_on=today)
    assert nomination.objections.count() == 1
