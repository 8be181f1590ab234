"""Stage machine, closure approval, guardian consent, teams, visits: what the services allow and refuse."""

from datetime import date, timedelta
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentoring import services
from mentoring.models import TRANSITIONS, Stage, StageChange, Youth
from mentoring.tests.factories import VisitFactory, VolunteerFactory, YouthFactory
from stations.models import AuditEntry
from stations.scoping import OutOfScope
from volunteers.models import ServiceLog

ILLEGAL = [(a, b) for a, b in product(Stage.values, Stage.values) if b not in TRANSITIONS[a]]


@pytest.mark.parametrize(("from_stage", "to_stage"), ILLEGAL)
def test_every_illegal_transition_is_refused(world, from_stage, to_stage):
    youth = YouthFactory(workstation=world.a.station, stage=from_stage)
    with pytest.raises(ValidationError):
        services.youth_transition(actor=world.user("head"), youth=youth, to_stage=to_stage, reason="测试")
    youth.refresh_from_db()
    assert youth.stage == from_stage


@pytest.mark.parametrize("from_stage", [a for a, b in ILLEGAL if b == Stage.CLOSED])
def test_illegal_closures_are_refused(world, from_stage):
    youth = YouthFactory(workstation=world.a.station, stage=from_stage)
    with pytest.raises(ValidationError):
        services.youth_close(actor=world.user("head"), youth=youth, outcome="completed", closed_on=timezone.localdate())


def test_activation_logs_actor_and_reason(world):
    youth = YouthFactory(workstation=world.a.station, stage="intake")
    services.youth_transition(actor=world.user("staff"), youth=youth, to_stage="active", reason="评估完成，开始帮教")
    change = StageChange.objects.get(youth=youth, to_stage="active")
    assert change.actor == world.user("staff") and change.reason == "评估完成，开始帮教"
    entry = AuditEntry.objects.get(action="youth.stage_active")
    assert entry.reason == "评估完成，开始帮教" and entry.actor == world.user("staff")
    assert youth.name not in entry.object_repr


def test_staff_proposes_and_head_approves_closure(world):
    youth = YouthFactory(workstation=world.a.station)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.youth_close(actor=world.user("staff"), youth=youth, outcome="completed", closed_on=today)
    services.youth_close_propose(actor=world.user("staff"), youth=youth, outcome="back_to_school", closed_on=today)
    youth.refresh_from_db()
    assert youth.stage == "active" and youth.proposed_outcome == "back_to_school"
    with pytest.raises(PermissionDenied):
        services.youth_close_approve(actor=world.user("staff"), youth=youth)
    services.youth_close_approve(actor=world.user("head"), youth=youth)
    youth.refresh_from_db()
    assert (youth.stage, youth.outcome, youth.closed_on) == ("closed", "back_to_school", today)


def test_closure_needs_an_outcome_and_not_before_the_last_visit(world):
    youth = YouthFactory(workstation=world.a.station, intake_on=timezone.localdate() - timedelta(days=20))
    VisitFactory(youth=youth, visited_on=timezone.localdate() - timedelta(days=2))
    with pytest.raises(ValidationError):
        services.youth_close(actor=world.user("head"), youth=youth, outcome="", closed_on=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        services.youth_close(
            actor=world.user("head"), youth=youth, outcome="completed", closed_on=timezone.localdate() - timedelta(3)
        )
    assert "closed_on" in exc.value.error_dict


def test_under_fourteen_needs_guardian_consent_before_visits_and_teams(world):
    born = timezone.localdate().replace(year=timezone.localdate().year - 12)
    youth = YouthFactory(workstation=world.a.station, birth_date=born)
    lead = VolunteerFactory(workstation=world.a.station)
    with pytest.raises(ValidationError, match="监护人同意"):
        services.visit_record(
            actor=world.user("staff"),
            youth=youth,
            visited_on=timezone.localdate(),
            place="家",
            form="home",
            summary="x",
        )
    with pytest.raises(ValidationError, match="监护人同意"):
        services.team_create(
            actor=world.user("staff"),
            youth=youth,
            team_type="one_to_one",
            lead=lead,
            members=[],
            formed_on=youth.intake_on,
        )
    services.youth_consent_record(
        actor=world.user("staff"),
        youth=youth,
        consent_by="钱测母",
        consent_relation="母亲",
        consent_on=timezone.localdate(),
        consent_scope="帮教记录与走访",
    )
    visit = services.visit_record(
        actor=world.user("staff"), youth=youth, visited_on=timezone.localdate(), place="家", form="home", summary="x"
    )
    assert visit.sequence == 1


def test_visits_number_per_year_and_give_service_hours(world):
    youth = YouthFactory(workstation=world.a.station, intake_on=date(2025, 12, 1), risk_assessed_on=date(2025, 12, 1))
    mentor = VolunteerFactory(workstation=world.a.station)
    staff = world.user("staff")
    kwargs = dict(actor=staff, youth=youth, place="家", form="home", summary="谈心", participants=[mentor])
    first = services.visit_record(visited_on=date(2025, 12, 20), **kwargs)
    second = services.visit_record(visited_on=date(2026, 1, 5), hours=2, **kwargs)
    third = services.visit_record(visited_on=date(2026, 1, 6), **kwargs)
    assert (first.sequence, second.sequence, third.sequence) == (1, 1, 2)
    logs = ServiceLog.objects.filter(volunteer=mentor, kind="visit")
    assert logs.count() == 3 and sum(log.hours for log in logs) == 4
    youth.refresh_from_db()
    assert youth.last_contact_on == date(2026, 1, 6)


def test_visit_dates_are_checked(world):
    youth = YouthFactory(workstation=world.a.station)
    staff = world.user("staff")
    for day in (timezone.localdate() + timedelta(days=1), youth.intake_on - timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.visit_record(actor=staff, youth=youth, visited_on=day, place="家", form="home", summary="x")


def test_visit_refused_in_a_locked_year(world):
    from stations.periods import period_lock

    youth = YouthFactory(workstation=world.a.station, intake_on=date(2025, 3, 1))
    period_lock(actor=world.user("head"), workstation=world.a.station, year=2025)
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            actor=world.user("staff"), youth=youth, visited_on=date(2025, 6, 1), place="家", form="home", summary="x"
        )
    assert "visited_on" in exc.value.error_dict


def test_team_members_must_be_current_volunteers_of_the_station(world):
    youth = YouthFactory(workstation=world.a.station)
    other = VolunteerFactory(workstation=world.b.station)
    left = VolunteerFactory(workstation=world.a.station, status="left")
    for lead in (other, left):
        with pytest.raises((ValidationError, OutOfScope)):
            services.team_create(
                actor=world.user("staff"),
                youth=youth,
                team_type="one_to_one",
                lead=lead,
                members=[],
                formed_on=youth.intake_on,
            )


def test_team_warnings_for_missing_counsellor_and_overload(world, settings):
    settings.MENTOR_MAX_YOUTH = 1
    station = world.a.station
    lead = VolunteerFactory(workstation=station)
    staff = world.user("staff")
    first = YouthFactory(workstation=station)
    _team, warnings = services.team_create(
        actor=staff, youth=first, team_type="one_to_one", lead=lead, members=[], formed_on=first.intake_on
    )
    assert any("青少年心理咨询员" in w for w in warnings)
    assert not any("超过" in w for w in warnings)
    second = YouthFactory(workstation=station)
    counsellor = VolunteerFactory(workstation=station, counsellor=True)
    _team, warnings = services.team_create(
        actor=staff, youth=second, team_type="many_to_one", lead=lead, members=[counsellor], formed_on=second.intake_on
    )
    assert not any("青少年心理咨询员" in w for w in warnings)
    assert any(lead.name in w and "超过" in w for w in warnings)


def test_seal_unseal_needs_county_approval(world):
    youth = YouthFactory(workstation=world.a.station)
    with pytest.raises(PermissionDenied):
        services.youth_seal(actor=world.user("staff"), youth=youth, ground="x")
    services.youth_seal(actor=world.user("head"), youth=youth, ground="刑事诉讼法第二百八十六条")
    assert not Youth.objects.filter(pk=youth.pk).exists()
    with pytest.raises(ValidationError):
        services.youth_unseal_approve(actor=world.user("county"), youth=youth, reason="同意解封")
    services.youth_unseal_request(actor=world.user("head"), youth=youth, ground="依法撤销封存")
    with pytest.raises(PermissionDenied):
        services.youth_unseal_approve(actor=world.user("head"), youth=youth, reason="同意解封")
    services.youth_unseal_approve(actor=world.user("county"), youth=youth, reason="同意解封")
    assert Youth.objects.filter(pk=youth.pk).exists()
    actions = list(AuditEntry.objects.filter(object_id=str(youth.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == ["youth.seal", "youth.unseal_request", "youth.unseal"]


def test_followup_done_needs_both_followups(world):
    closed = timezone.localdate() - timedelta(days=400)
    youth = YouthFactory(
        workstation=world.a.station,
        intake_on=closed - timedelta(30),
        stage="closed",
        closed_on=closed,
        outcome="completed",
    )
    staff = world.user("staff")
    services.followup_record(actor=staff, youth=youth, done_on=closed + timedelta(days=183), summary="正常")
    with pytest.raises(ValidationError):
        services.youth_transition(actor=staff, youth=youth, to_stage="followup_done", reason="回访完成")
    services.followup_record(actor=staff, youth=youth, done_on=closed + timedelta(days=366), summary="正常")
    services.youth_transition(actor=staff, youth=youth, to_stage="followup_done", reason="回访完成")
    youth.refresh_from_db()
    assert youth.stage == "followup_done"


def test_station_user_cannot_touch_another_stations_youth(world):
    from stations.scoping import OutOfScope

    youth = YouthFactory(workstation=world.b.station)
    with pytest.raises(OutOfScope):
        services.youth_transition(actor=world.user("staff"), youth=youth, to_stage="active", reason="x")


def test_withdrawn_consent_stops_records_beyond_intake(world):
    born = timezone.localdate().replace(year=timezone.localdate().year - 12)
    youth = YouthFactory(
        workstation=world.a.station,
        birth_date=born,
        consent_by="钱测母",
        consent_relation="母亲",
        consent_on=timezone.localdate(),
        consent_scope="帮教",
    )
    assert not services.needs_consent(youth)
    services.youth_consent_withdraw(actor=world.user("staff"), youth=youth, withdrawn_on=timezone.localdate())
    with pytest.raises(ValidationError, match="监护人同意"):
        services.visit_record(
            actor=world.user("staff"),
            youth=youth,
            visited_on=timezone.localdate(),
            place="家",
            form="home",
            summary="x",
        )
