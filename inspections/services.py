"""Writes of the inspections app: every service checks capability and scope, runs in a transaction
and writes one audit entry (DOMAIN §6 inspection and award cycle)."""

import math
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.audit.log import audit, diff, snapshot
from stations.figures import Period
from stations.models import OrgKind, OrgUnit, StationStatus, User, Workstation
from stations.periods import ensure_period_open, period_lock, period_reopen
from stations.reports.selectors import highlight_of
from stations.reports.services import annual_report_freeze, annual_report_unfreeze, highlight_save
from stations.roles import require
from stations.scoping import OutOfScope, ensure_in_scope, for_station, for_stations, stations_under
from stations.uploads import validate_document

from . import notices, scoring, selectors
from .models import (
    METHODS,
    AnnualChecklist,
    AwardCycle,
    AwardStatus,
    ChecklistStatus,
    Inspection,
    InspectionItem,
    InspectionRound,
    InspectionStatus,
    Nomination,
    NominationStatus,
    Objection,
    Rectification,
    RectificationEvidence,
    RectStatus,
    RoundStatus,
    Severity,
    TemplateItem,
)

DUE_DAYS = {Severity.NORMAL: 30, Severity.SERIOUS: 15}
REPEAT_PENALTY = Decimal(1)  # DOMAIN §6 proposal: a finding repeated from an earlier round costs 1 more point
SCORE_FIELDS = [
    "status",
    "methods",
    "inspected_on",
    "summary",
    "base_points",
    "bonus_points",
    "score",
    "grade",
    "vetoed",
]


class ScoreConflict(Exception):
    """An item was scored by someone else since the officer's copy was taken (offline scoring)."""

    def __init__(self, entry):
        super().__init__(f"item {entry.pk} is at version {entry.version}")
        self.entry = entry


def _locked_error():
    return ValidationError(_("该督查已提交并锁定；如需更正，请使用“更正”并填写原因。"), code="locked")


# --- rounds -----------------------------------------------------------------------------------


@transaction.atomic
def round_open(*, actor: User, county: OrgUnit, year: int, half: int) -> InspectionRound:
    """Open the county's half-year round: one inspection per active workstation, pre-filled."""
    require(actor, "inspections.manage_round")
    ensure_in_scope(county, actor)
    if county.kind != OrgKind.COUNTY:
        raise ValidationError({"county": _("只能为县/区开启督查轮次")})
    if half not in (1, 2):
        raise ValidationError({"half": _("请选择上半年或下半年")})
    if Period(year, half).start > timezone.localdate():
        raise ValidationError({"half": _("该半年度尚未开始，不能开启督查轮次")})
    if InspectionRound.objects.filter(county=county, year=year, half=half).exists():
        raise ValidationError({"half": _("该县/区本半年度的督查轮次已开启")})
    template = selectors.template_for(county=county, year=year)
    if template is None:
        raise ValidationError(_("尚未配置适用的考评细则，请联系系统管理员。"))
    round = InspectionRound.objects.create(county=county, year=year, half=half, template=template, opened_by=actor)
    stations = list(stations_under(county).filter(status=StationStatus.ACTIVE).order_by("code"))
    inspections = Inspection.objects.bulk_create(
        [Inspection(round=round, workstation=s, template=template) for s in stations]
    )
    _prefill(inspections, template, Period(year, half))
    audit(
        actor=actor,
        action="inspection_round.open",
        obj=round,
        changes={"year": [None, year], "half": [None, half], "stations": [None, len(stations)]},
    )
    return round


def _prefill(inspections: list[Inspection], template, period: Period) -> None:
    """System values for every input that names a figure: one bulk call per figure key."""
    items = list(template.items.all())
    keys = [key for item in items for key in item.input_figures]
    values = selectors.figure_values(keys, station_ids=[i.workstation_id for i in inspections], period=period)
    rows = []
    for inspection in inspections:
        for item in items:
            system = []
            for key in item.input_figures:
                per_station = values.get(key) if key else None
                value = None if per_station is None else selectors.plain(per_station.get(inspection.workstation_id))
                if value is not None and item.kind == scoring.BOOLEAN:
                    value = 1 if value else 0
                system.append(value)
            rows.append(InspectionItem(inspection=inspection, item=item, system_values=system, values=list(system)))
    InspectionItem.objects.bulk_create(rows)


# --- inspections ------------------------------------------------------------------------------


def _number(raw, *, field):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except ArithmeticError as exc:
        raise ValidationError({field: _("请输入数字")}) from exc
    if not value.is_finite() or value < 0 or value > 100000:
        raise ValidationError({field: _("请输入 0 至 100000 之间的数字")})
    return selectors.plain(value)


def _check_bounds(item: TemplateItem, values: list, *, field: str) -> None:
    """Points typed for a manual item (or a bonus item scored in points) lie within 0..the item's value;
    a yes/no item takes 0 or 1. Counts (missing posts, sessions held) are only non-negative (`_number`)."""
    entered = [v for v in values if v is not None]
    if not entered:
        return
    points_typed = item.kind == scoring.MANUAL or (item.kind == scoring.BONUS and not item.unit)
    if points_typed and item.max_points and any(Decimal(str(v)) > item.max_points for v in entered):
        raise ValidationError(
            {field: _("得分不能超过本项分值 %(max)s 分") % {"max": selectors.plain(item.max_points)}}, code="max_points"
        )
    if item.kind in (scoring.BOOLEAN, scoring.VETO) and any(Decimal(str(v)) not in (0, 1) for v in entered):
        raise ValidationError({field: _("此项只能选“是”或“否”")}, code="boolean")


def _recompute(inspection: Inspection) -> scoring.Result:
    entries = list(inspection.items.select_related("item"))
    rules = [e.item.rule() for e in entries]
    result = scoring.score(
        rules,
        {e.item.code: e.values for e in entries},
        bonus_cap=inspection.template.bonus_cap,
        grades=inspection.template.grade_table,
        penalty=REPEAT_PENALTY * inspection.rectifications.filter(repeated=True).count(),
    )
    by_code = {i.code: i for i in result.items}
    for entry in entries:
        scored = by_code[entry.item.code]
        entry.points = None if scored.missing_data else scored.points
    InspectionItem.objects.unscoped("scope_check").bulk_update(entries, ["points"])
    inspection.base_points = result.base
    inspection.bonus_points = result.bonus
    inspection.score = result.total
    inspection.grade = result.grade
    inspection.vetoed = result.vetoed
    return result


@transaction.atomic
def inspection_score(
    *,
    actor: User,
    inspection: Inspection,
    values: dict[int, list],
    notes: dict[int, str] | None = None,
    methods: list[str] | None = None,
    inspected_on: date | None = None,
    summary: str | None = None,
    versions: dict[int, int] | None = None,
) -> Inspection:
    """Save the officer's values (by InspectionItem id). A value that differs from the system figure
    needs a note saying why it was corrected. `versions` ({item id: version the officer started from},
    offline scores) turns a change made meanwhile by someone else into a `ScoreConflict`."""
    require(actor, "inspections.score")
    ensure_in_scope(inspection, actor)
    inspection = (
        Inspection.objects.unscoped("scope_check")
        .select_for_update()
        .select_related("template", "round")
        .get(pk=inspection.pk)
    )
    if inspection.is_locked:
        raise _locked_error()
    before = snapshot(inspection, SCORE_FIELDS)
    notes = notes or {}
    errors = {}
    entries = {e.pk: e for e in inspection.items.select_related("item")}
    changed_items = {}
    for entry_id, raw_values in values.items():
        entry = entries.get(int(entry_id))
        if entry is None:
            raise OutOfScope("item of another inspection")
        field = f"item_{entry.pk}"
        if versions is not None and int(entry_id) in versions and versions[int(entry_id)] != entry.version:
            raise ScoreConflict(entry)
        try:
            new_values = [_number(v, field=field) for v in raw_values]
            _check_bounds(entry.item, new_values, field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        note = (notes.get(entry.pk) or "").strip()
        corrected = any(
            s is not None and v is not None and Decimal(str(s)) != Decimal(str(v))
            for s, v in zip(entry.system_values, new_values, strict=False)
        )
        if corrected and not note:
            errors[field] = [_("与系统数据不一致，请在说明中写明更正原因")]
            continue
        if new_values != entry.values or note != entry.note:
            changed_items[entry.item.code] = [entry.values, new_values]
            entry.values = new_values
            entry.note = note
            entry.version += 1
            entry.scored_by, entry.scored_at = actor, timezone.now()
            entry.save(update_fields=["values", "note", "version", "scored_by", "scored_at"])
    if errors:
        raise ValidationError(errors)
    if methods is not None:
        valid = {m for m, _label in METHODS}
        if any(m not in valid for m in methods):
            raise ValidationError({"methods": _("督查方式无效")})
        inspection.methods = [m for m, _label in METHODS if m in methods]
    if inspected_on is not None:
        if inspected_on > timezone.localdate():
            raise ValidationError({"inspected_on": _("督查日期不能晚于今天")})
        starts = Period(inspection.round.year, inspection.round.half).start
        if inspected_on < starts:
            raise ValidationError(
                {"inspected_on": _("督查日期不能早于本轮督查的半年度开始日期（%(d)s）") % {"d": starts.isoformat()}}
            )
        inspection.inspected_on = inspected_on
    if summary is not None:
        inspection.summary = summary
    inspection.inspector = actor
    _recompute(inspection)
    inspection.save()
    changes = diff(before, snapshot(inspection, SCORE_FIELDS))
    if changed_items:
        changes["items"] = changed_items
    audit(actor=actor, action="inspection.score", obj=inspection, changes=changes)
    return inspection


@transaction.atomic
def inspection_submit(*, actor: User, inspection: Inspection) -> Inspection:
    """Lock the inspection; the earlier rounds' rectifications count as re-checked (回头看)."""
    require(actor, "inspections.score")
    ensure_in_scope(inspection, actor)
    inspection = (
        Inspection.objects.unscoped("scope_check")
        .select_for_update()
        .select_related("template", "round")
        .get(pk=inspection.pk)
    )
    if inspection.is_locked:
        raise _locked_error()
    result = _recompute(inspection)
    errors = {}
    if result.missing:
        errors["__all__"] = [_("以下项目尚未评分：%(codes)s") % {"codes": "、".join(result.missing)}]
    if not inspection.methods:
        errors["methods"] = [_("请至少选择一种督查方式")]
    if not inspection.inspected_on:
        errors["inspected_on"] = [_("请填写督查日期")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(inspection, SCORE_FIELDS)
    inspection.status = InspectionStatus.SUBMITTED
    inspection.submitted_at = timezone.now()
    inspection.inspector = actor
    inspection.save()
    round = inspection.round
    if not round.inspections.filter(status=InspectionStatus.DRAFT).exists():
        round.status = RoundStatus.CLOSED  # every station of the round is scored
        round.save(update_fields=["status"])
    rechecked = selectors.history_for(inspection).filter(rechecked_in__isnull=True).update(rechecked_in=inspection)
    changes = diff(before, snapshot(inspection, SCORE_FIELDS))
    changes["rechecked"] = [None, rechecked]
    audit(actor=actor, action="inspection.submit", obj=inspection, changes=changes)
    return inspection


@transaction.atomic
def inspection_correct(*, actor: User, inspection: Inspection, reason: str) -> Inspection:
    """A submitted inspection stays as it was; the correction is a new version (draft) with a reason."""
    require(actor, "inspections.score")
    ensure_in_scope(inspection, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写更正原因")})
    old = Inspection.objects.unscoped("scope_check").select_for_update().get(pk=inspection.pk)
    if old.status != InspectionStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的督查可以更正"))
    old.status = InspectionStatus.SUPERSEDED
    old.save(update_fields=["status"])
    new = Inspection.objects.create(
        round=old.round,
        workstation=old.workstation,
        template=old.template,
        version=old.version + 1,
        previous=old,
        correction_reason=reason,
        methods=old.methods,
        inspected_on=old.inspected_on,
        inspector=actor,
        summary=old.summary,
        base_points=old.base_points,
        bonus_points=old.bonus_points,
        score=old.score,
        grade=old.grade,
        vetoed=old.vetoed,
    )
    InspectionItem.objects.bulk_create(
        [
            InspectionItem(
                inspection=new,
                item_id=e.item_id,
                values=e.values,
                system_values=e.system_values,
                note=e.note,
                points=e.points,
            )
            for e in old.items.all()
        ]
    )
    Rectification.objects.unscoped("scope_check").filter(inspection=old).update(inspection=new)
    Rectification.objects.unscoped("scope_check").filter(rechecked_in=old).update(rechecked_in=new)
    audit(
        actor=actor,
        action="inspection.correct",
        obj=new,
        changes={"version": [old.version, new.version]},
        reason=reason,
    )
    return new


# --- rectifications ---------------------------------------------------------------------------


@transaction.atomic
def rectification_raise(
    *,
    actor: User,
    inspection: Inspection,
    finding: str,
    responsible: str,
    severity: str = Severity.NORMAL,
    item: TemplateItem | None = None,
    due_on: date | None = None,
) -> Rectification:
    require(actor, "inspections.score")
    ensure_in_scope(inspection, actor)
    if inspection.status == InspectionStatus.SUPERSEDED:
        raise ValidationError(_("此版本已被更正，请在最新版本中下达整改"))
    finding = (finding or "").strip()
    if not finding:
        raise ValidationError({"finding": _("请填写存在问题")})
    if not (responsible or "").strip():
        raise ValidationError({"responsible": _("请填写责任人")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("严重程度无效")})
    if item is not None and item.template_id != inspection.template_id:
        raise ValidationError({"item": _("该项目不属于本次督查的考评细则")})
    start = inspection.inspected_on or timezone.localdate()
    if due_on is not None:
        _check_new_deadline(due_on)
        if due_on < start:
            raise ValidationError({"due_on": _("整改期限不能早于督查日期")})
    # the default runs from the inspection, when the station was told (DOMAIN §6: 30 days, serious 15)
    due_on = due_on or start + timedelta(days=DUE_DAYS[severity])
    repeated = bool(
        item
        and for_station(Rectification.objects.filter(item__code=item.code), inspection.workstation_id)
        .exclude(inspection__round=inspection.round)
        .exists()
    )
    rect = Rectification.objects.create(
        workstation=inspection.workstation,
        inspection=inspection,
        item=item,
        finding=finding,
        severity=severity,
        due_on=due_on,
        responsible=responsible.strip(),
        repeated=repeated,
    )
    if repeated and not inspection.is_locked:
        # the penalty counts while the inspection is being scored; a submitted one needs a correction
        current = (
            Inspection.objects.unscoped("scope_check")
            .select_for_update()
            .select_related("template")
            .get(pk=inspection.pk)
        )
        _recompute(current)
        current.save()
    audit(actor=actor, action="rectification.raise", obj=rect, changes=diff({}, snapshot(rect, RECT_FIELDS)))
    notices.rectification_raised(actor=actor, rect=rect)
    return rect


def _check_new_deadline(due_on: date) -> None:
    """A deadline typed now cannot already have passed (the rectification would be overdue at once)."""
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("整改期限不能早于今天")}, code="past_deadline")


RECT_FIELDS = [
    "finding",
    "severity",
    "due_on",
    "responsible",
    "status",
    "answer",
    "return_reason",
    "item_id",
    "repeated",
]


@transaction.atomic
def rectification_answer(*, actor: User, rectification: Rectification, answer: str, files=()) -> Rectification:
    """The station reports what it did, with evidence files."""
    require(actor, "inspections.answer")
    ensure_in_scope(rectification, actor)
    rect = Rectification.objects.unscoped("scope_check").select_for_update().get(pk=rectification.pk)
    if rect.status not in (RectStatus.OPEN, RectStatus.RETURNED):
        raise ValidationError(_("该整改当前状态不能反馈"))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("请填写整改情况")})
    ensure_period_open(workstation=rect.workstation_id, on=timezone.localdate(), field="answer")
    for upload in files:
        try:
            validate_document(upload)
        except ValidationError as exc:
            raise ValidationError({"files": [f"{upload.name}：{m}" for m in exc.messages]}) from exc
    if not files and not rect.evidence.exists():
        raise ValidationError({"files": _("请上传至少一份佐证材料")})
    before = snapshot(rect, RECT_FIELDS)
    for upload in files:
        RectificationEvidence.objects.create(rectification=rect, file=upload, name=upload.name[:200], uploaded_by=actor)
    rect.answer = answer.strip()
    rect.status = RectStatus.ANSWERED
    rect.answered_at = timezone.now()
    rect.answered_by = actor
    rect.save()
    changes = diff(before, snapshot(rect, RECT_FIELDS))
    changes["files"] = [None, [f.name for f in files]]
    audit(actor=actor, action="rectification.answer", obj=rect, changes=changes)
    notices.rectification_answered(actor=actor, rect=rect)
    return rect


def evidence_download(*, actor: User, rectification: Rectification, evidence: RectificationEvidence):
    """Audit one evidence download (AUD-2); the view builds the response first, so a file gone from disk
    is a 404 and writes no entry."""
    ensure_in_scope(rectification, actor)
    if evidence.rectification_id != rectification.pk:
        raise OutOfScope("evidence of another rectification")
    audit(actor=actor, action="file.download", obj=rectification, object_repr=f"{rectification} / {evidence.name}")


@transaction.atomic
def rectification_verify(*, actor: User, rectification: Rectification) -> Rectification:
    require(actor, "inspections.verify")
    ensure_in_scope(rectification, actor)
    rect = Rectification.objects.unscoped("scope_check").select_for_update().get(pk=rectification.pk)
    if rect.status != RectStatus.ANSWERED:
        raise ValidationError(_("只能验收已反馈的整改"))
    before = snapshot(rect, RECT_FIELDS)
    rect.status = RectStatus.VERIFIED
    rect.verified_at = timezone.now()
    rect.verified_by = actor
    rect.save()
    audit(actor=actor, action="rectification.verify", obj=rect, changes=diff(before, snapshot(rect, RECT_FIELDS)))
    return rect


@transaction.atomic
def rectification_return(*, actor: User, rectification: Rectification, reason: str, due_on: date | None = None):
    require(actor, "inspections.verify")
    ensure_in_scope(rectification, actor)
    rect = Rectification.objects.unscoped("scope_check").select_for_update().get(pk=rectification.pk)
    if rect.status != RectStatus.ANSWERED:
        raise ValidationError(_("只能退回已反馈的整改"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回原因")})
    if due_on:
        _check_new_deadline(due_on)
    before = snapshot(rect, RECT_FIELDS)
    rect.status = RectStatus.RETURNED
    rect.return_reason = reason.strip()
    if due_on:
        rect.due_on = due_on
    rect.save()
    audit(
        actor=actor,
        action="rectification.return",
        obj=rect,
        changes=diff(before, snapshot(rect, RECT_FIELDS)),
        reason=rect.return_reason,
    )
    notices.rectification_returned(actor=actor, rect=rect)
    return rect


# --- annual checklist -------------------------------------------------------------------------

CHECKLIST_FIELDS = ["problems", "plans", "honours", "filled_by"]


def checklist_for(*, actor: User, workstation: Workstation, year: int) -> AnnualChecklist:
    """The station's checklist of the year (created empty on first use; no audit for an empty shell)."""
    ensure_in_scope(workstation, actor)
    checklist, _created = for_station(AnnualChecklist.objects.all(), workstation).get_or_create(
        workstation=workstation, year=year
    )
    return checklist


@transaction.atomic
def checklist_save(
    *, actor: User, checklist: AnnualChecklist, haves: dict | None = None, highlights: str | None = None, **fields
) -> AnnualChecklist:
    """Save the draft. The 工作亮点 are the station's yearly highlights (one text, printed by the checklist
    and the annual report alike), stored by stations.reports.services.highlight_save."""
    require(actor, "checklist.fill")
    ensure_in_scope(checklist, actor)
    checklist = AnnualChecklist.objects.unscoped("scope_check").select_for_update().get(pk=checklist.pk)
    if checklist.status != ChecklistStatus.DRAFT:
        raise ValidationError(_("年度台账已提交，不能修改；如需更正请联系县级关工委重新开放。"))
    ensure_period_open(workstation=checklist.workstation_id, on=date(checklist.year, 12, 31))
    before = {**snapshot(checklist, CHECKLIST_FIELDS), "haves": checklist.haves}
    for name, value in fields.items():
        if name not in CHECKLIST_FIELDS:
            raise ValueError(f"not a checklist field: {name}")
        setattr(checklist, name, value)
    if haves is not None:
        checklist.haves = {str(k): bool(v) for k, v in haves.items()}
    checklist.save()
    if highlights is not None and highlights.strip() != highlight_of(checklist.workstation, checklist.year):
        highlight_save(actor=actor, workstation=checklist.workstation, year=checklist.year, text=highlights)
    audit(
        actor=actor,
        action="checklist.save",
        obj=checklist,
        changes=diff(before, {**snapshot(checklist, CHECKLIST_FIELDS), "haves": checklist.haves}),
    )
    return checklist


@transaction.atomic
def checklist_submit(*, actor: User, checklist: AnnualChecklist) -> AnnualChecklist:
    """The head submits: the system figures are frozen into the checklist and the year locks."""
    require(actor, "checklist.submit")
    ensure_in_scope(checklist, actor)
    checklist = (
        AnnualChecklist.objects.unscoped("scope_check")
        .select_for_update()
        .select_related("workstation")
        .get(pk=checklist.pk)
    )
    if checklist.status != ChecklistStatus.DRAFT:
        raise ValidationError(_("年度台账已提交"))
    if not checklist.filled_by.strip():
        raise ValidationError({"filled_by": _("请填写填表人")})
    checklist.figures = selectors.checklist_live_figures(workstation=checklist.workstation, year=checklist.year)
    checklist.status = ChecklistStatus.SUBMITTED
    checklist.submitted_at = timezone.now()
    checklist.submitted_by = actor
    checklist.save()
    annual_report_freeze(actor=actor, workstation=checklist.workstation, year=checklist.year)
    period_lock(actor=actor, workstation=checklist.workstation, year=checklist.year)
    audit(actor=actor, action="checklist.submit", obj=checklist, changes={"status": ["draft", "submitted"]})
    notices.checklist_submitted(actor=actor, checklist=checklist)
    return checklist


@transaction.atomic
def checklist_review(*, actor: User, checklist: AnnualChecklist, note: str = "") -> AnnualChecklist:
    require(actor, "checklist.review")
    ensure_in_scope(checklist, actor)
    checklist = AnnualChecklist.objects.unscoped("scope_check").select_for_update().get(pk=checklist.pk)
    if checklist.status != ChecklistStatus.SUBMITTED:
        raise ValidationError(_("只能审核已提交的年度台账"))
    checklist.status = ChecklistStatus.REVIEWED
    checklist.reviewed_at = timezone.now()
    checklist.reviewed_by = actor
    checklist.review_note = (note or "").strip()[:300]
    checklist.save()
    audit(
        actor=actor,
        action="checklist.review",
        obj=checklist,
        changes={"status": ["submitted", "reviewed"], "review_note": [None, checklist.review_note]},
    )
    return checklist


@transaction.atomic
def checklist_reopen(*, actor: User, checklist: AnnualChecklist, reason: str) -> AnnualChecklist:
    """The county reopens a submitted year with a logged reason (the period lock opens too)."""
    require(actor, "checklist.reopen")
    ensure_in_scope(checklist, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写重新开放的原因")})
    checklist = (
        AnnualChecklist.objects.unscoped("scope_check")
        .select_for_update()
        .select_related("workstation")
        .get(pk=checklist.pk)
    )
    if checklist.status == ChecklistStatus.DRAFT:
        raise ValidationError(_("该年度台账尚未提交"))
    previous = checklist.status
    checklist.status = ChecklistStatus.DRAFT
    checklist.save()
    unfrozen = annual_report_unfreeze(actor=actor, workstation=checklist.workstation, year=checklist.year)
    period_reopen(actor=actor, workstation=checklist.workstation, year=checklist.year, reason=reason)
    changes = {"status": [previous, "draft"]}
    if unfrozen:
        changes["annual_report"] = ["frozen", "live"]
    audit(actor=actor, action="checklist.reopen", obj=checklist, changes=changes, reason=reason)
    notices.checklist_reopened(actor=actor, checklist=checklist, reason=reason)
    return checklist


# --- biennial award ---------------------------------------------------------------------------


def quota_for(cycle: AwardCycle, county: OrgUnit) -> int:
    active = stations_under(county).filter(status=StationStatus.ACTIVE).count()
    return max(1, math.floor(active * cycle.quota_percent / 100)) if active else 0


CYCLE_FIELDS = ["status", "notice_start", "decided_on", "min_each", "min_mean", "quota_percent", "notice_days"]


@transaction.atomic
def award_cycle_open(*, actor: User, province: OrgUnit, first_year: int, **settings) -> AwardCycle:
    require(actor, "award.decide")
    ensure_in_scope(province, actor)
    if province.kind != OrgKind.PROVINCE:
        raise ValidationError(_("评选由省关工委开启"))
    # serialise openings in the province, so two overlapping cycles cannot both pass the check below
    OrgUnit.objects.select_for_update().filter(pk=province.pk).first()
    if AwardCycle.objects.filter(province=province, first_year=first_year).exists():
        raise ValidationError({"first_year": _("该届评选已开启")})
    # a cycle covers first_year and the next year: cycles of one province never share a year
    overlapping = AwardCycle.objects.filter(
        province=province, first_year__gt=first_year - 2, first_year__lt=first_year + 2
    ).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "first_year": _("与已有的 %(a)s—%(b)s 年度评选重叠，两届评选的年度不能交叉")
                % {"a": overlapping.first_year, "b": overlapping.last_year}
            }
        )
    cycle = AwardCycle.objects.create(province=province, first_year=first_year, **settings)
    audit(actor=actor, action="award.open", obj=cycle, changes=diff({}, snapshot(cycle, CYCLE_FIELDS)))
    return cycle


def _cycle_stage(cycle: AwardCycle, *stages):
    if cycle.status not in stages:
        raise ValidationError(_("评选当前阶段（%(stage)s）不能进行此操作") % {"stage": cycle.get_status_display()})


@transaction.atomic
def award_nominate(*, actor: User, cycle: AwardCycle, workstation: Workstation, reason: str) -> Nomination:
    require(actor, "award.nominate")
    ensure_in_scope(workstation, actor)
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    _cycle_stage(cycle, AwardStatus.NOMINATING)
    if workstation.county.ancestor(OrgKind.PROVINCE) != cycle.province:
        raise OutOfScope("station of another province")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写推荐理由")})
    check = selectors.award_eligibility(cycle=cycle, station_ids=[workstation.pk])[workstation.pk]
    if not check["eligible"]:
        raise ValidationError({"workstation": _("不符合评选条件：") + "；".join(str(r) for r in check["reasons"])})
    if for_station(Nomination.objects.filter(cycle=cycle), workstation).exists():
        raise ValidationError({"workstation": _("该工作站已被推荐")})
    used = for_stations(
        Nomination.objects.filter(cycle=cycle), stations_under(workstation.county).values_list("pk", flat=True)
    ).count()
    quota = quota_for(cycle, workstation.county)
    if used >= quota:
        raise ValidationError({"workstation": _("已达推荐名额（%(n)d 个）") % {"n": quota}})
    nomination = Nomination.objects.create(
        cycle=cycle,
        workstation=workstation,
        reason=reason.strip(),
        scores=[selectors.plain(s) for s in check["scores"]],
        nominated_by=actor,
    )
    audit(
        actor=actor,
        action="award.nominate",
        obj=nomination,
        changes={"scores": [None, nomination.scores]},
        reason=reason[:300],
    )
    return nomination


@transaction.atomic
def award_city_review(*, actor: User, nomination: Nomination, approve: bool, note: str = "") -> Nomination:
    require(actor, "award.review")
    ensure_in_scope(nomination, actor)
    nomination = (
        Nomination.objects.unscoped("scope_check").select_for_update().select_related("cycle").get(pk=nomination.pk)
    )
    _cycle_stage(nomination.cycle, AwardStatus.NOMINATING, AwardStatus.REVIEWING)
    if nomination.status not in (
        NominationStatus.NOMINATED,
        NominationStatus.CITY_APPROVED,
        NominationStatus.CITY_REJECTED,
    ):
        raise ValidationError(_("该推荐已进入省级决定"))
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("不同意时请填写意见")})
    before = nomination.status
    nomination.status = NominationStatus.CITY_APPROVED if approve else NominationStatus.CITY_REJECTED
    nomination.city_note = (note or "").strip()[:300]
    nomination.save()
    audit(
        actor=actor,
        action="award.city_review",
        obj=nomination,
        changes={"status": [before, nomination.status]},
        reason=nomination.city_note,
    )
    return nomination


@transaction.atomic
def award_advance(*, actor: User, cycle: AwardCycle, to: str) -> AwardCycle:
    """The province moves the cycle on: nominating → reviewing → notice (公示) → deciding."""
    require(actor, "award.decide")
    ensure_in_scope(cycle.province, actor)
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    order = [AwardStatus.NOMINATING, AwardStatus.REVIEWING, AwardStatus.NOTICE, AwardStatus.DECIDING]
    if cycle.status not in order or to not in order or order.index(to) != order.index(cycle.status) + 1:
        raise ValidationError(_("评选阶段不能这样变更"))
    today = timezone.localdate()
    if to == AwardStatus.NOTICE:
        cycle.notice_start = today
    if to == AwardStatus.DECIDING and cycle.notice_end and today < cycle.notice_end:
        raise ValidationError(_("公示期至 %(d)s 结束，尚未期满") % {"d": cycle.notice_end.isoformat()})
    before = snapshot(cycle, CYCLE_FIELDS)
    cycle.status = to
    cycle.save()
    audit(actor=actor, action="award.advance", obj=cycle, changes=diff(before, snapshot(cycle, CYCLE_FIELDS)))
    return cycle


@transaction.atomic
def award_objection_record(*, actor: User, nomination: Nomination, text: str, received_on: date) -> Objection:
    require(actor, "award.decide")
    ensure_in_scope(nomination, actor)
    cycle = AwardCycle.objects.get(pk=nomination.cycle_id)
    _cycle_stage(cycle, AwardStatus.NOTICE)
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写异议内容")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("收到日期不能晚于今天")})
    if cycle.notice_start and received_on < cycle.notice_start:
        raise ValidationError({"received_on": _("收到日期不能早于公示开始日期")})
    objection = Objection.objects.create(
        nomination=nomination, text=text.strip(), received_on=received_on, recorded_by=actor
    )
    audit(actor=actor, action="award.objection", obj=nomination, changes={"objection": [None, objection.text[:100]]})
    return objection


@transaction.atomic
def award_objection_handle(*, actor: User, objection: Objection, handling: str, upheld: bool) -> Objection:
    require(actor, "award.decide")
    ensure_in_scope(objection.nomination, actor)
    if not (handling or "").strip():
        raise ValidationError({"handling": _("请填写处理结果")})
    objection.handling = handling.strip()
    objection.upheld = upheld
    objection.handled_at = timezone.now()
    objection.save()
    audit(
        actor=actor,
        action="award.objection_handle",
        obj=objection.nomination,
        changes={"handling": [None, objection.handling[:100]], "upheld": [None, upheld]},
    )
    return objection


@transaction.atomic
def award_decide(*, actor: User, nomination: Nomination, award: bool, note: str = "") -> Nomination:
    require(actor, "award.decide")
    ensure_in_scope(nomination, actor)
    nomination = (
        Nomination.objects.unscoped("scope_check").select_for_update().select_related("cycle").get(pk=nomination.pk)
    )
    _cycle_stage(nomination.cycle, AwardStatus.DECIDING)
    if nomination.status != NominationStatus.CITY_APPROVED:
        raise ValidationError(_("只能决定市级同意的推荐"))
    if award and nomination.objections.filter(handled_at__isnull=True).exists():
        raise ValidationError(_("有未处理的公示异议"))
    if award and nomination.objections.filter(upheld=True).exists():
        raise ValidationError(_("公示异议成立，不能授予"))
    nomination.status = NominationStatus.AWARDED if award else NominationStatus.REJECTED
    nomination.decision_note = (note or "").strip()[:300]
    if award:
        awarded = Nomination.objects.unscoped("aggregate_figure").filter(
            cycle=nomination.cycle, status=NominationStatus.AWARDED
        )
        number = awarded.count() + 1
        nomination.certificate_no = f"{nomination.cycle.first_year}-{nomination.cycle.last_year}-{number:03d}"
    nomination.save()
    audit(
        actor=actor,
        action="award.decide",
        obj=nomination,
        changes={"status": ["city_approved", nomination.status]},
        reason=nomination.decision_note,
    )
    return nomination


@transaction.atomic
def award_close(*, actor: User, cycle: AwardCycle) -> AwardCycle:
    require(actor, "award.decide")
    ensure_in_scope(cycle.province, actor)
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    _cycle_stage(cycle, AwardStatus.DECIDING)
    if cycle.nominations.filter(status=NominationStatus.CITY_APPROVED).exists():
        raise ValidationError(_("还有推荐未作决定"))
    cycle.status = AwardStatus.CLOSED
    cycle.decided_on = timezone.localdate()
    cycle.save()
    audit(actor=actor, action="award.close", obj=cycle, changes={"status": ["deciding", "closed"]})
    return cycle
