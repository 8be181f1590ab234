"""Writes of the mentoring app: intake, stage changes, closure, teams, visits, follow-ups, sealing.

Each service checks the capability and the scope, runs in one transaction and writes one audit entry
(`Youth.__str__` is masked, so no full name reaches the audit log).
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stations import idnumbers
from stations.audit.log import audit, diff, snapshot
from stations.periods import ensure_period_open
from stations.phones import normalise_phone
from stations.reasons import Purpose, check_reason
from stations.roles import has_capability, require
from stations.scoping import OutOfScope, ensure_in_scope, for_station, in_province_of, visible_to
from volunteers.models import CURRENT_STATUSES, ServiceKind, StationRole, Volunteer, VolunteerRole
from volunteers.services import service_log_sync

from . import due, notices
from .models import (
    OPEN_STAGES,
    TRANSITIONS,
    FollowUp,
    Guardian,
    MentorTeam,
    Milestone,
    Outcome,
    PoliceCall,
    Reinvolvement,
    Stage,
    StageChange,
    TeamType,
    Visit,
    Youth,
)

CONSENT_AGE = 14


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天")})


def needs_consent(youth: Youth, *, on: date | None = None) -> bool:
    """Under-14s need a recorded guardian consent before any record beyond intake (PIPL art. 31)."""
    on = on or timezone.localdate()
    return idnumbers.age_on(youth.birth_date, on) < CONSENT_AGE and (
        not youth.consent_on or youth.consent_withdrawn_on is not None
    )


def ensure_consent(youth: Youth) -> None:
    if needs_consent(youth):
        raise ValidationError(
            _("该对象未满14周岁，须先登记监护人同意（同意人、关系、日期、范围）后才能记录帮教小组、走访等内容。")
        )


def duplicate_warning(*, actor, workstation, id_number: str, exclude_pk=None) -> str:
    """A warning (not a block) when the ID is already on file in the province; sealed files never show."""
    if not id_number:
        return ""
    qs = in_province_of(Youth.objects.filter(id_hash=idnumbers.lookup_hash(id_number)), workstation)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if not qs.exists():
        return ""
    return _("提示：本省已有该身份证号的帮教记录（共 %(n)d 条），请与相关工作站核实，避免重复建档。") % {
        "n": qs.count()
    }


def _record_stage(youth: Youth, *, actor, from_stage: str, to_stage: str, on: date, reason: str) -> None:
    StageChange.objects.create(youth=youth, from_stage=from_stage, to_stage=to_stage, on=on, reason=reason, actor=actor)


@transaction.atomic
def youth_intake(
    *, actor, workstation, guardians: list[dict] | None = None, categories: list[str] | None = None, **fields
) -> Youth:
    require(actor, "mentoring.edit")
    ensure_in_scope(workstation, actor)
    youth = Youth(workstation=workstation, **fields)
    youth.categories = "," + ",".join(categories or []) + "," if categories else ""
    _not_future(youth.intake_on, "intake_on")
    _not_future(youth.risk_assessed_on, "risk_assessed_on")
    if youth.birth_date > youth.intake_on:
        raise ValidationError({"birth_date": _("出生日期不能晚于接收日期")})
    if youth.id_number:
        youth.id_number = idnumbers.validate(youth.id_number, birth_date=youth.birth_date, gender=youth.gender)
        youth.id_hash = idnumbers.lookup_hash(youth.id_number)
    ensure_period_open(workstation=workstation, on=youth.intake_on, field="intake_on")
    youth.last_contact_on = youth.intake_on
    youth.stage = Stage.INTAKE
    youth.full_clean()
    youth.save()
    for guardian in guardians or []:
        Guardian.objects.create(youth=youth, **guardian)
    _record_stage(youth, actor=actor, from_stage="", to_stage=Stage.INTAKE, on=youth.intake_on, reason=_("接收建档"))
    audit(actor=actor, action="youth.intake", obj=youth, changes=diff({}, snapshot(youth)))
    return youth


EDITABLE_FIELDS = ("school_status", "home_area", "kind", "is_listed", "intake_reference")


@transaction.atomic
def youth_update(*, actor, youth: Youth, categories: list[str], **fields) -> Youth:
    """Correct the case's descriptive fields; identity and dates stay as recorded at intake."""
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = snapshot(youth)
    for name, value in fields.items():
        setattr(youth, name, value)
    youth.categories = "," + ",".join(categories) + "," if categories else ""
    youth.save()
    audit(actor=actor, action="youth.update", obj=youth, changes=diff(before, snapshot(youth)))
    return youth


@transaction.atomic
def guardian_add(*, actor, youth: Youth, relation: str, name: str, phone: str = "") -> Guardian:
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    try:
        phone = normalise_phone(phone)  # the one stored form, whoever calls (forms already checked it)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    guardian = Guardian.objects.create(youth=youth, relation=relation, name=name, phone=phone)
    audit(actor=actor, action="youth.guardian_add", obj=youth, changes=diff({}, {"relation": relation, "phone": phone}))
    return guardian


@transaction.atomic
def youth_consent_record(
    *, actor, youth: Youth, consent_by: str, consent_relation: str, consent_on: date, consent_scope: str
) -> Youth:
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    _not_future(consent_on, "consent_on")
    before = snapshot(youth)
    youth.consent_by, youth.consent_relation = consent_by, consent_relation
    youth.consent_on, youth.consent_scope = consent_on, consent_scope
    youth.consent_withdrawn_on = None
    youth.save()
    audit(actor=actor, action="youth.consent", obj=youth, changes=diff(before, snapshot(youth)))
    return youth


@transaction.atomic
def youth_consent_withdraw(*, actor, youth: Youth, withdrawn_on: date, reason: str = "") -> Youth:
    """The guardian withdraws consent (PIPL art. 15): records beyond intake stop until consent is given again."""
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    if not youth.consent_on:
        raise ValidationError(_("尚未登记监护人同意"))
    _not_future(withdrawn_on, "withdrawn_on")
    youth.consent_withdrawn_on = withdrawn_on
    youth.save(update_fields=["consent_withdrawn_on"])
    audit(actor=actor, action="youth.consent_withdraw", obj=youth, reason=reason)
    return youth


@transaction.atomic
def youth_assess(*, actor, youth: Youth, risk_level: str, assessed_on: date, reason: str = "") -> Youth:
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    _not_future(assessed_on, "assessed_on")
    if assessed_on < youth.intake_on:
        raise ValidationError({"assessed_on": _("评估日期不能早于接收日期")})
    ensure_period_open(workstation=youth.workstation_id, on=assessed_on, field="assessed_on")
    before = snapshot(youth)
    youth.risk_level, youth.risk_assessed_on = risk_level, assessed_on
    youth.save()
    audit(actor=actor, action="youth.assess", obj=youth, changes=diff(before, snapshot(youth)), reason=reason)
    return youth


def ensure_transition(youth: Youth, to_stage: str) -> None:
    if to_stage not in TRANSITIONS[youth.stage]:
        raise ValidationError(
            _("不能从“%(a)s”转为“%(b)s”。")
            % {"a": Stage(youth.stage).label, "b": Stage(to_stage).label if to_stage in Stage.values else to_stage}
        )


@transaction.atomic
def youth_transition(*, actor, youth: Youth, to_stage: str, reason: str, on: date | None = None) -> Youth:
    """Intake → active and closed → follow-up finished. Closing goes through `youth_close*`."""
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    on = on or timezone.localdate()
    ensure_transition(youth, to_stage)
    if to_stage == Stage.CLOSED:
        raise ValidationError(_("结案须选择结案结果并经站长审批。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写原因")})
    if to_stage == Stage.ACTIVE:
        ensure_consent(youth)
    if to_stage == Stage.FOLLOWUP_DONE and youth.followups.count() < len(due.followup_months()):
        raise ValidationError(_("结案后的回访尚未全部完成。"))
    ensure_period_open(workstation=youth.workstation_id, on=on)
    before = youth.stage
    youth.stage = to_stage
    youth.save()
    _record_stage(youth, actor=actor, from_stage=before, to_stage=to_stage, on=on, reason=reason)
    audit(
        actor=actor, action=f"youth.stage_{to_stage}", obj=youth, changes={"stage": [before, to_stage]}, reason=reason
    )
    return youth


def _check_closure(youth: Youth, outcome: str, closed_on: date) -> None:
    ensure_transition(youth, Stage.CLOSED)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择结案结果")})
    _not_future(closed_on, "closed_on")
    last_visit = youth.visits.aggregate(last=Max("visited_on"))["last"]
    if closed_on < (last_visit or youth.intake_on):
        raise ValidationError({"closed_on": _("结案日期不能早于最近一次走访或接收日期")})
    ensure_period_open(workstation=youth.workstation_id, on=closed_on, field="closed_on")


@transaction.atomic
def youth_close_propose(*, actor, youth: Youth, outcome: str, closed_on: date, note: str = "") -> Youth:
    """Station staff propose a closure; it takes effect when the head approves."""
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    _check_closure(youth, outcome, closed_on)
    if outcome == Outcome.OTHER and not note.strip():
        raise ValidationError({"note": _("结案结果为“其他”时请填写说明")})
    youth.proposed_outcome, youth.proposed_closed_on, youth.proposed_note = outcome, closed_on, note
    youth.proposed_by = actor
    youth.save()
    audit(actor=actor, action="youth.close_propose", obj=youth, changes={"outcome": [None, outcome]}, reason=note)
    notices.closure_proposed(actor=actor, youth=youth)
    return youth


def _close(youth: Youth, *, actor, outcome: str, closed_on: date, note: str) -> Youth:
    before = snapshot(youth)
    youth.stage, youth.outcome, youth.closed_on, youth.outcome_note = Stage.CLOSED, outcome, closed_on, note
    youth.proposed_outcome, youth.proposed_closed_on, youth.proposed_note, youth.proposed_by = "", None, "", None
    youth.save()
    _record_stage(youth, actor=actor, from_stage=before["stage"], to_stage=Stage.CLOSED, on=closed_on, reason=note)
    audit(actor=actor, action="youth.close", obj=youth, changes=diff(before, snapshot(youth)), reason=note)
    return youth


@transaction.atomic
def youth_close_approve(*, actor, youth: Youth, note: str = "") -> Youth:
    require(actor, "mentoring.approve_close")
    ensure_in_scope(youth, actor)
    if not youth.proposed_outcome:
        raise ValidationError(_("没有待审批的结案申请"))
    _check_closure(youth, youth.proposed_outcome, youth.proposed_closed_on)
    return _close(
        youth,
        actor=actor,
        outcome=youth.proposed_outcome,
        closed_on=youth.proposed_closed_on,
        note=note or youth.proposed_note,
    )


@transaction.atomic
def youth_close(*, actor, youth: Youth, outcome: str, closed_on: date, note: str = "") -> Youth:
    """The station head closes directly."""
    require(actor, "mentoring.approve_close")
    ensure_in_scope(youth, actor)
    _check_closure(youth, outcome, closed_on)
    if outcome == Outcome.OTHER and not note.strip():
        raise ValidationError({"note": _("结案结果为“其他”时请填写说明")})
    return _close(youth, actor=actor, outcome=outcome, closed_on=closed_on, note=note)


@transaction.atomic
def followup_record(*, actor, youth: Youth, done_on: date, summary: str) -> FollowUp:
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    if youth.stage != Stage.CLOSED:
        raise ValidationError(_("只有已结案的对象需要回访"))
    _not_future(done_on, "done_on")
    if done_on < youth.closed_on:
        raise ValidationError({"done_on": _("回访日期不能早于结案日期")})
    ensure_period_open(workstation=youth.workstation_id, on=done_on, field="done_on")
    number = youth.followups.count() + 1
    if number > len(due.followup_months()):
        raise ValidationError(_("回访已全部完成"))
    followup = FollowUp.objects.create(youth=youth, number=number, done_on=done_on, summary=summary, created_by=actor)
    audit(actor=actor, action="youth.followup", obj=youth, changes={"followup": [None, number]})
    return followup


# --- mentor teams ---------------------------------------------------------------------------


def team_warnings(*, lead: Volunteer, members: list[Volunteer]) -> list[str]:
    """Warnings, never blocks: no youth counsellor in the team; a mentor with too many youth."""
    warnings = []
    people = [lead, *[m for m in members if m.pk != lead.pk]]
    counsellors = VolunteerRole.objects.unscoped("scope_check").filter(volunteer__in=people)
    if not counsellors.filter(role=StationRole.YOUTH_COUNSELLOR).exists():
        warnings.append(_("提示：帮教小组中没有青少年心理咨询员。"))
    limit = due.mentor_max_youth()
    for person in people:
        teams = MentorTeam.objects.filter(ended_on__isnull=True)
        count = (
            Youth.all_objects.unscoped("aggregate_figure")
            .filter(teams__in=teams.filter(lead=person) | teams.filter(members=person))
            .filter(stage__in=OPEN_STAGES)
            .distinct()
            .count()
        )
        if count > limit:
            warnings.append(
                _("提示：%(name)s 已结对 %(n)d 名帮教对象，超过建议上限 %(max)d 名。")
                % {"name": person.name, "n": count, "max": limit}
            )
    return warnings


@transaction.atomic
def team_create(
    *,
    actor,
    youth: Youth,
    team_type: str,
    lead: Volunteer,
    members: list[Volunteer],
    formed_on: date,
    other_youth: list[Youth] | None = None,
) -> tuple[MentorTeam, list[str]]:
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    ensure_consent(youth)
    _not_future(formed_on, "formed_on")
    if formed_on < youth.intake_on:
        raise ValidationError({"formed_on": _("结对日期不能早于接收日期")})
    members = [m for m in members if m.pk != lead.pk]
    for person in [lead, *members]:
        ensure_in_scope(person, actor)
        if person.workstation_id != youth.workstation_id or person.status not in CURRENT_STATUSES:
            raise ValidationError({"members": _("帮教人员须为本站在册志愿者")})
    all_youth = [youth, *[y for y in (other_youth or []) if y.pk != youth.pk]]
    for other in all_youth[1:]:
        ensure_in_scope(other, actor)
        if other.workstation_id != youth.workstation_id:
            raise ValidationError({"other_youth": _("帮教对象须属于本站")})
        ensure_consent(other)
    if team_type == TeamType.ONE_TO_ONE and (members or len(all_youth) > 1):
        raise ValidationError({"team_type": _("“一帮一”只能有一名帮教人和一名对象")})
    if team_type == TeamType.MANY_TO_ONE and (not members or len(all_youth) > 1):
        raise ValidationError({"team_type": _("“多帮一”须有多名帮教人、一名对象")})
    if team_type == TeamType.ONE_TO_MANY and (members or len(all_youth) < 2):
        raise ValidationError({"team_type": _("“一帮多”须有一名帮教人、多名对象")})
    ensure_period_open(workstation=youth.workstation_id, on=formed_on, field="formed_on")
    team = MentorTeam.objects.create(workstation=youth.workstation, team_type=team_type, lead=lead, formed_on=formed_on)
    team.members.set(members)
    team.youth.set(all_youth)
    warnings = team_warnings(lead=lead, members=members)
    audit(
        actor=actor,
        action="mentor_team.create",
        obj=team,
        changes={"team_type": [None, team_type], "youth": [None, [y.pk for y in all_youth]]},
    )
    notices.team_assigned(actor=actor, team=team, youth_list=all_youth)
    return team, warnings


# --- visits ---------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor,
    youth: Youth,
    visited_on: date,
    place: str,
    form: str,
    summary: str,
    participants: list[Volunteer] | None = None,
    hours=Decimal("1.0"),
    guardian_present: bool = False,
    situation: str = "",
    difficulties_solved: int = 0,
    next_steps: str = "",
) -> Visit:
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    ensure_consent(youth)
    if youth.stage not in OPEN_STAGES:
        raise ValidationError(_("已结案的对象请登记回访，不再登记帮教走访。"))
    _not_future(visited_on, "visited_on")
    if visited_on < youth.intake_on:
        raise ValidationError({"visited_on": _("走访日期不能早于接收日期")})
    ensure_period_open(workstation=youth.workstation_id, on=visited_on, field="visited_on")
    participants = participants or []
    for person in participants:
        if person.workstation_id != youth.workstation_id:
            raise ValidationError({"participants": _("参与人员须为本站志愿者")})
    Youth.all_objects.unscoped("scope_check").select_for_update().filter(
        pk=youth.pk
    ).first()  # serialise the yearly sequence
    last = youth.visits.filter(visited_on__year=visited_on.year).aggregate(n=Max("sequence"))["n"]
    visit = Visit(
        youth=youth,
        visited_on=visited_on,
        sequence=(last or 0) + 1,
        place=place,
        form=form,
        hours=hours,
        guardian_present=guardian_present,
        summary=summary,
        situation=situation,
        difficulties_solved=difficulties_solved,
        next_steps=next_steps,
        created_by=actor,
    )
    visit.full_clean()
    visit.save()
    visit.participants.set(participants)
    if participants and has_capability(actor, "volunteers.edit"):
        service_log_sync(
            actor=actor,
            source=visit,
            entries=[(p, hours, ServiceKind.VISIT, visited_on) for p in participants],
            note=_("帮教走访"),
        )
    if youth.last_contact_on is None or visited_on > youth.last_contact_on:
        youth.last_contact_on = visited_on
        youth.save(update_fields=["last_contact_on"])
    audit(
        actor=actor,
        action="visit.record",
        obj=youth,
        changes={"visited_on": [None, str(visited_on)], "form": [None, form], "sequence": [None, visit.sequence]},
    )
    return visit


@transaction.atomic
def milestone_record(*, actor, youth: Youth, kind: str, on: date, note: str = "") -> Milestone:
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    _not_future(on, "on")
    if on < youth.intake_on:
        raise ValidationError({"on": _("日期不能早于接收日期")})
    ensure_period_open(workstation=youth.workstation_id, on=on, field="on")
    milestone = Milestone.objects.create(youth=youth, kind=kind, on=on, note=note)
    audit(actor=actor, action="youth.milestone", obj=youth, changes={"milestone": [None, kind]})
    return milestone


@transaction.atomic
def reinvolvement_record(*, actor, youth: Youth, kind: str, on: date, note: str = "") -> Reinvolvement:
    require(actor, "mentoring.edit")
    ensure_in_scope(youth, actor)
    _not_future(on, "on")
    if on < youth.intake_on:
        raise ValidationError({"on": _("日期不能早于接收日期")})
    ensure_period_open(workstation=youth.workstation_id, on=on, field="on")
    item = Reinvolvement.objects.create(youth=youth, kind=kind, on=on, note=note)
    audit(actor=actor, action="youth.reinvolvement", obj=youth, changes={"reinvolvement": [None, kind]})
    return item


# --- 110 calls ------------------------------------------------------------------------------


@transaction.atomic
def call_record(*, actor, workstation, kind: str, called_at: datetime, reference: str) -> PoliceCall:
    require(actor, "mentoring.edit")
    ensure_in_scope(workstation, actor)
    if called_at > timezone.now():
        raise ValidationError({"called_at": _("报警时间不能晚于现在")})
    ensure_period_open(workstation=workstation, on=timezone.localtime(called_at).date(), field="called_at")
    call = PoliceCall.objects.create(workstation=workstation, kind=kind, called_at=called_at, reference=reference)
    audit(actor=actor, action="police_call.record", obj=call, changes={"reference": [None, reference]})
    return call


@transaction.atomic
def call_followup(
    *, actor, call: PoliceCall, followup_on: date, result: str, note: str = "", youth: Youth | None = None
) -> PoliceCall:
    require(actor, "mentoring.edit")
    ensure_in_scope(call, actor)
    _not_future(followup_on, "followup_on")
    if followup_on < timezone.localtime(call.called_at).date():
        raise ValidationError({"followup_on": _("回访日期不能早于报警时间")})
    if youth is not None:
        ensure_in_scope(youth, actor)
        if youth.workstation_id != call.workstation_id:
            raise ValidationError({"youth": _("帮教对象须属于本站")})
    ensure_period_open(workstation=call.workstation_id, on=followup_on, field="followup_on")
    before = snapshot(call)
    call.followup_on, call.followup_result, call.followup_note, call.youth = followup_on, result, note, youth
    call.save()
    audit(actor=actor, action="police_call.followup", obj=call, changes=diff(before, snapshot(call)))
    return call


@transaction.atomic
def encounter_record(
    *, actor, workstation, met_at: datetime, place: str, measures: str, guardian_collected: bool, id_number: str = ""
):
    """Only the hash and last four digits of the ID are kept: enough to spot repeat encounters."""
    from .models import NightEncounter

    require(actor, "mentoring.edit")
    ensure_in_scope(workstation, actor)
    if met_at > timezone.now():
        raise ValidationError({"met_at": _("时间不能晚于现在")})
    ensure_period_open(workstation=workstation, on=timezone.localtime(met_at).date(), field="met_at")
    number = idnumbers.validate(id_number) if id_number else ""
    encounter = NightEncounter.objects.create(
        workstation=workstation,
        met_at=met_at,
        place=place,
        measures=measures,
        guardian_collected=guardian_collected,
        id_hash=idnumbers.lookup_hash(number) if number else "",
        id_last4=number[-4:],
        youth=for_station(Youth.objects.filter(id_hash=idnumbers.lookup_hash(number)), workstation).first()
        if number
        else None,
    )
    audit(actor=actor, action="night_encounter.record", obj=encounter, changes={"place": [None, place]})
    return encounter


# --- sealing --------------------------------------------------------------------------------


def _ensure_sealed_in_scope(youth: Youth, actor) -> None:
    if not visible_to(Youth.all_objects.filter(pk=youth.pk), actor).exists():
        raise OutOfScope("object outside the user's scope")


@transaction.atomic
def youth_seal(*, actor, youth: Youth, ground: str) -> Youth:
    require(actor, "mentoring.seal")
    ensure_in_scope(youth, actor)
    if not (ground or "").strip():
        raise ValidationError({"ground": _("请填写封存的法律依据")})
    youth.is_sealed, youth.sealed_on, youth.seal_ground = True, timezone.localdate(), ground
    youth.unseal_requested_on, youth.unseal_ground = None, ""
    youth.save()
    audit(actor=actor, action="youth.seal", obj=youth, changes={"is_sealed": [False, True]}, reason=ground)
    return youth


@transaction.atomic
def youth_unseal_request(*, actor, youth: Youth, ground: str) -> Youth:
    require(actor, "mentoring.seal")
    _ensure_sealed_in_scope(youth, actor)
    if not youth.is_sealed:
        raise ValidationError(_("该档案未封存"))
    if not (ground or "").strip():
        raise ValidationError({"ground": _("请填写解封的法律依据")})
    youth.unseal_requested_on, youth.unseal_ground = timezone.localdate(), ground
    youth.save()
    audit(actor=actor, action="youth.unseal_request", obj=youth, reason=ground)
    notices.unseal_requested(actor=actor, youth=youth)
    return youth


@transaction.atomic
def youth_unseal_approve(*, actor, youth: Youth, reason: str) -> Youth:
    require(actor, "mentoring.approve_unseal")
    _ensure_sealed_in_scope(youth, actor)
    if not youth.is_sealed or not youth.unseal_requested_on:
        raise ValidationError(_("没有待审批的解封申请"))
    youth.is_sealed, youth.sealed_on, youth.seal_ground = False, None, ""
    youth.unseal_requested_on = None
    youth.save()
    audit(actor=actor, action="youth.unseal", obj=youth, changes={"is_sealed": [True, False]}, reason=reason)
    return youth


def log_full_view(*, actor, youth: Youth, reason_code: str, reason: str) -> str:
    """County officers open a full file only with a listed reason and details; every opening is logged
    (DOMAIN §7.3). Returns the logged reason."""
    require(actor, "mentoring.view_identity_logged")
    ensure_in_scope(youth, actor)
    text = check_reason(Purpose.FULL_FILE, reason_code, reason)
    audit(actor=actor, action="youth.view_full", obj=youth, reason=text, changes={"reason_code": reason_code})
    return text


def log_sealed_view(*, actor, youth: Youth, reason_code: str, reason: str) -> str:
    require(actor, "mentoring.view_sealed")
    _ensure_sealed_in_scope(youth, actor)
    text = check_reason(Purpose.SEALED, reason_code, reason)
    audit(actor=actor, action="youth.view_sealed", obj=youth, reason=text, changes={"reason_code": reason_code})
    return text
