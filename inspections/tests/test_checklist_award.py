"""Annual checklist (pre-fill, submit locks the year, reopen with reason) and the biennial award."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections import selectors, services
from inspections.models import AwardStatus, ChecklistStatus, NominationStatus
from stations.figures import FIGURES, Period
from stations.models import AuditEntry, Funding
from stations.periods import ensure_period_open, is_locked
from stations.tests.factories import WorkstationFactory
from volunteers.tests.factories import VolunteerFactory

from .conftest import province_of, scored_round


def test_checklist_prefill_submit_lock_and_reopen(world, test_figures):
    head, staff, county = world.user("head"), world.user("staff"), world.user("county")
    station = world.a.station
    Funding.objects.create(workstation=station, year=2025, amount_yuan=Decimal("12000.00"))
    VolunteerFactory.create_batch(2, workstation=station, member_type="retired_officer")
    VolunteerFactory(workstation=station, member_type="community_police")
    VolunteerFactory(workstation=world.b.station, member_type="retired_officer")
    checklist = services.checklist_for(actor=staff, workstation=station, year=2025)
    live = selectors.checklist_live_figures(workstation=station, year=2025)
    assert live["stations.funding_yuan"] == 12000
    assert live["volunteers.retired_officers"] == 2  # the volunteers app's figure, this station only
    services.checklist_save(
        actor=staff, checklist=checklist, highlights="开展护学岗", filled_by="刘晓燕", haves={"venue": True}
    )
    with pytest.raises(PermissionDenied):
        services.checklist_submit(actor=staff, checklist=checklist)
    checklist = services.checklist_submit(actor=head, checklist=checklist)
    assert checklist.status == ChecklistStatus.SUBMITTED
    assert checklist.figures["stations.funding_yuan"] == 12000
    assert checklist.figures["volunteers.retired_officers"] == 2
    assert is_locked(workstation=station, year=2025)
    with pytest.raises(ValidationError):
        ensure_period_open(workstation=station, on=date(2025, 5, 1))
    with pytest.raises(ValidationError):
        services.checklist_save(actor=staff, checklist=checklist, highlights="改动")
    # the snapshot does not move when the records change afterwards
    Funding.objects.create(workstation=station, year=2025, amount_yuan=1)
    sections = selectors.checklist_sections(checklist)
    money = next(r for s in sections for r in s["rows"] if r["key"] == "stations.funding_yuan")
    assert money["value"] == 12000
    with pytest.raises(PermissionDenied):
        services.checklist_reopen(actor=head, checklist=checklist, reason="更正")
    with pytest.raises(ValidationError):
        services.checklist_reopen(actor=county, checklist=checklist, reason="  ")
    checklist = services.checklist_reopen(actor=county, checklist=checklist, reason="经费数据有误")
    assert checklist.status == ChecklistStatus.DRAFT
    assert not is_locked(workstation=station, year=2025)
    assert AuditEntry.objects.filter(action="period.reopen", reason="经费数据有误").exists()
    services.checklist_save(actor=staff, checklist=checklist, highlights="更正后")
    services.checklist_submit(actor=head, checklist=checklist)
    checklist = services.checklist_review(actor=world.user("city"), checklist=checklist, note="同意")
    assert checklist.status == ChecklistStatus.REVIEWED
    assert FIGURES["inspections.checklist_submitted"].for_stations(station_ids=[station.pk], period=Period(2025)) == {
        station.pk: 1
    }


def test_checklist_list_shows_missing_stations(world):
    other = WorkstationFactory(county=world.a.county, name="未交台账派出所关爱工作站")
    head = world.user("head")
    checklist = services.checklist_for(actor=head, workstation=world.a.station, year=2025)
    services.checklist_save(actor=head, checklist=checklist, filled_by="王建国")
    services.checklist_submit(actor=head, checklist=checklist)
    county = world.user("county")
    missing = list(selectors.checklist_list(user=county, year=2025, filters={"state": "missing"}))
    assert missing == [other]


def two_years(world, officer, scores_by_half, *, first_year=2023):
    for index, (year, half) in enumerate([(first_year, 1), (first_year, 2), (first_year + 1, 1), (first_year + 1, 2)]):
        scored_round(
            officer=officer,
            county=world.a.county,
            year=year,
            half=half,
            scores={sid: values[index] for sid, values in scores_by_half.items()},
        )


def test_award_eligibility(world, officer, province_template):
    good = world.a.station
    low = WorkstationFactory(county=world.a.county)
    mean_low = WorkstationFactory(county=world.a.county)
    missing = WorkstationFactory(county=world.a.county)
    two_years(
        world,
        officer,
        {
            good.pk: [92, 90, 95, 91],
            low.pk: [99, 84, 99, 99],
            mean_low.pk: [88, 88, 89, 90],
            missing.pk: [95, 95, 95, None],
        },
    )
    cycle = services.award_cycle_open(actor=world.user("prov"), province=province_of(world.a), first_year=2023)
    check = selectors.award_eligibility(cycle=cycle, station_ids=[good.pk, low.pk, mean_low.pk, missing.pk])
    assert check[good.pk]["eligible"] and check[good.pk]["mean"] == Decimal("92.0")
    assert "低于 85 分" in str(check[low.pk]["reasons"][0])
    assert "平均分" in str(check[mean_low.pk]["reasons"][0])
    assert "缺少" in str(check[missing.pk]["reasons"][0])


def test_overdue_rectification_blocks_the_award(world, officer, province_template):
    station = world.a.station
    two_years(world, officer, {station.pk: [95, 95, 95, 95]})
    inspection = station.inspections.order_by("-round__year", "-round__half").first()
    services.rectification_raise(
        actor=officer,
        inspection=inspection,
        finding="逾期未改",
        responsible="王",
    )  # the default deadline runs from the inspection of 2024-12-20: long past
    cycle = services.award_cycle_open(actor=world.user("prov"), province=province_of(world.a), first_year=2023)
    check = selectors.award_eligibility(cycle=cycle, station_ids=[station.pk])[station.pk]
    assert not check["eligible"]
    assert "逾期" in str(check["reasons"])


def test_award_cycle_end_to_end(world, officer, province_template):
    station = world.a.station
    second = WorkstationFactory(county=world.a.county)
    two_years(world, officer, {station.pk: [92, 93, 94, 95], second.pk: [95, 95, 95, 95]})
    prov, city = world.user("prov"), world.user("city")
    cycle = services.award_cycle_open(actor=prov, province=province_of(world.a), first_year=2023)
    with pytest.raises(PermissionDenied):
        services.award_nominate(actor=city, cycle=cycle, workstation=station, reason="x")
    with pytest.raises(ValidationError):
        services.award_nominate(actor=officer, cycle=cycle, workstation=station, reason=" ")
    nomination = services.award_nominate(actor=officer, cycle=cycle, workstation=station, reason="帮教成效突出")
    assert nomination.scores == [92, 93, 94, 95]
    with pytest.raises(ValidationError) as error:  # quota: 10 % of 2 stations → 1
        services.award_nominate(actor=officer, cycle=cycle, workstation=second, reason="也很好")
    assert "名额" in str(error.value)
    services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.REVIEWING)
    services.award_city_review(actor=city, nomination=nomination, approve=True, note="同意")
    with pytest.raises(ValidationError):
        services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.DECIDING)  # 公示 first
    cycle = services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.NOTICE)
    assert cycle.notice_start == timezone.localdate() and cycle.notice_end == cycle.notice_start + timedelta(days=7)
    objection = services.award_objection_record(
        actor=prov, nomination=nomination, text="群众反映台账不实", received_on=date.today()
    )
    with pytest.raises(ValidationError):  # the 7-day notice has not run
        services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.DECIDING)
    cycle.notice_start = timezone.localdate() - timedelta(days=8)
    cycle.save()
    services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.DECIDING)
    with pytest.raises(ValidationError):  # unhandled objection
        services.award_decide(actor=prov, nomination=nomination, award=True)
    services.award_objection_handle(actor=prov, objection=objection, handling="经核查不属实", upheld=False)
    nomination = services.award_decide(actor=prov, nomination=nomination, award=True, note="授予")
    assert nomination.status == NominationStatus.AWARDED and nomination.certificate_no == "2023-2024-001"
    cycle = services.award_close(actor=prov, cycle=cycle)
    assert cycle.status == AwardStatus.CLOSED
    # The award belongs to the cycle's last year (2023—2024 → 2024), not to the year it was decided in
    awarded = FIGURES["inspections.awarded"]
    ids = [station.pk, second.pk]
    assert awarded.for_stations(station_ids=ids, period=Period(2024)) == {station.pk: 1, second.pk: 0}
    assert awarded.for_stations(station_ids=ids, period=Period(2024, 2))[station.pk] == 1
    assert awarded.for_stations(station_ids=ids, period=Period(2024, 1))[station.pk] == 0
    assert awarded.for_stations(station_ids=ids, period=Period(cycle.decided_on.year))[station.pk] == 0
    actions = set(AuditEntry.objects.filter(action__startswith="award.").values_list("action", flat=True))
    assert {
        "award.open",
        "award.nominate",
        "award.city_review",
        "award.objection",
        "award.decide",
        "award.close",
    } <= actions
