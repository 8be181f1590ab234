"""Writes of reports: the station's yearly highlights, the annual report's frozen figures, export jobs.

A year is submitted once, by the station head's 年度台账 submission (inspections.services.checklist_submit):
it freezes the annual report here (`annual_report_freeze`) and locks the year; the county's reopening
unfreezes it (`annual_report_unfreeze`). The 工作亮点 text has one home, `StationYearHighlight`, which
the checklist form and the report page both edit and every output prints."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.audit.log import audit, diff
from stations.exports import get_report
from stations.models import ExportJob, ReportSnapshot, StationYearHighlight, User, Workstation
from stations.periods import ensure_period_open
from stations.reasons import Purpose, check_reason
from stations.roles import require
from stations.scoping import ensure_in_scope, for_station

from .jobs import as_query
from .selectors import current_figures, highlight_of, month_series
from .tasks import run_export_job


@transaction.atomic
def highlight_save(*, actor, workstation: Workstation, year: int, text: str) -> StationYearHighlight:
    require(actor, "checklist.fill")
    ensure_in_scope(workstation, actor)
    ensure_period_open(workstation=workstation, on=date(year, 12, 31), field="text")
    text = (text or "").strip()
    if len(text) > 4000:
        raise ValidationError({"text": _("工作亮点不能超过 4000 字")})
    row = for_station(StationYearHighlight.objects.filter(year=year), workstation).first()
    before = {"text": row.text if row else ""}
    if row is None:
        row = StationYearHighlight(workstation=workstation, year=year)
    row.text = text
    row.updated_by = actor
    row.save()
    audit(actor=actor, action="report.highlight", obj=row, changes=diff(before, {"text": text}))
    return row


def freeze_report(*, workstation: Workstation, year: int, submitted_by=None) -> ReportSnapshot:
    """The figures, month chart and highlights the report prints for the year, as they are now (a
    re-submission after a reopening replaces the earlier copy)."""
    ReportSnapshot.objects.unscoped("scope_check").filter(workstation=workstation, year=year).delete()
    return ReportSnapshot.objects.create(
        workstation=workstation,
        year=year,
        figures=current_figures(workstation, year),
        months=month_series(workstation, year),
        highlights=highlight_of(workstation, year),
        submitted_by=submitted_by,
    )


@transaction.atomic
def annual_report_freeze(*, actor, workstation: Workstation, year: int) -> ReportSnapshot:
    """Part of the year's submission (the 年度台账's 站长提交): freeze what the annual report prints."""
    require(actor, "checklist.submit")
    ensure_in_scope(workstation, actor)
    if year > timezone.localdate().year:
        raise ValidationError(_("不能提交尚未开始的年度"))
    snapshot = freeze_report(workstation=workstation, year=year, submitted_by=actor)
    audit(
        actor=actor,
        action="report.submit",
        obj=snapshot,
        changes={"year": [None, year], "figures": [None, len(snapshot.figures)]},
    )
    return snapshot


def annual_report_unfreeze(*, actor, workstation: Workstation, year: int) -> bool:
    """Part of the county's reopening of a year: the report shows live figures again until the next
    submission. Returns whether a frozen copy existed (the reopening's audit entry records it)."""
    require(actor, "checklist.reopen")
    ensure_in_scope(workstation, actor)
    deleted, _rows = ReportSnapshot.objects.unscoped("scope_check").filter(workstation=workstation, year=year).delete()
    return bool(deleted)


ALLOWED_PARAMS = ("year", "period", "org", "workstation")


def _params(data) -> dict:
    return {key: str(data.get(key)) for key in ALLOWED_PARAMS if data.get(key) not in (None, "")}


@transaction.atomic
def export_job_start(*, actor: User, report: str, params, reason: str = "", reason_code: str = "") -> ExportJob:
    """Check the capability and the parameters (an out-of-scope unit is a 404 now, not later), queue."""
    instance = get_report(report)
    require(actor, instance.capability)
    if instance.export_page:
        raise ValidationError(_("该名单只能在其导出页面生成（加密文件）。"))
    if instance.requires_reason_for(actor):
        reason = check_reason(Purpose.NAMED_EXPORT, reason_code, reason)
    clean = _params(params)
    title = str(instance.title)
    if hasattr(instance, "check_params"):
        title = instance.check_params(user=actor, params=as_query(clean)) or title
    job = ExportJob.objects.create(
        report=instance.slug,
        title=title[:200],
        params=clean,
        requested_by=actor,
        scope_label=actor.scope_label,
    )
    changes = {"report": report, "params": clean, **({"reason_code": reason_code} if reason_code else {})}
    audit(actor=actor, action="export.job_start", obj=job, changes=changes, reason=reason)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    run_export_job.delay(job_id)
