"""Background export jobs (DESIGN §8): run (in a Celery worker or eagerly), list, download, expire.

Starting a job is a service (`reports.services.export_job_start`), which queues `reports.tasks.run_export_job`;
the task calls `export_job_run` here, so the imports run one way: services → tasks → jobs.

State lives in ExportJob, so a crash leaves a clear `failed` row and re-running a finished job is a no-op.
"""

import secrets
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from stations.audit.log import audit
from stations.exports import get_report
from stations.models import ExportJob, ExportJobState, User
from stations.replica import report_reads
from stations.roles import has_capability, require


def export_job_store(
    *, actor: User, report: str, title: str, params: dict, content: bytes, filename: str, content_type: str, rows: int
) -> ExportJob:
    """A file built in the request (a named, encrypted list) kept as a finished job: it is then downloaded,
    audited and expired exactly like a background job's file."""
    now = timezone.now()
    job = ExportJob(
        report=report,
        title=title[:200],
        params=params,
        requested_by=actor,
        scope_label=actor.scope_label,
        state=ExportJobState.DONE,
        progress=100,
        filename=filename[:200],
        content_type=content_type,
        row_count=rows,
        started_at=now,
        finished_at=now,
        expires_at=now + timedelta(hours=settings.EXPORT_TTL_HOURS),
    )
    job.file.save(f"named{secrets.token_hex(8)}.bin", ContentFile(content), save=False)
    job.save()
    return job


TIME_LIMIT_MESSAGE = _lazy("超过后台任务时限（%(seconds)d 秒）：请缩小导出范围后重试。")
LOST_WORKER_MESSAGE = _lazy("后台工作进程在生成过程中退出，任务已中止：请重新导出；如反复出现，请联系系统管理员。")
NO_WORKER_MESSAGE = _lazy("%(minutes)d 分钟内没有后台工作进程处理该任务：请联系系统管理员检查后台服务。")


def fail_lost_jobs(now=None, **only) -> int:
    """Mark failed, with the reason, every job whose worker is gone: running longer than the worker's
    time limit allows (it would have been killed), or queued with no worker taking it. A job is never
    left "running" for ever. Run by the beat schedule and whenever a user lists or watches jobs
    (`only`: filters such as pk=… or requested_by=…)."""
    now = now or timezone.now()
    jobs = ExportJob.objects.filter(**only)
    limit = now - timedelta(seconds=settings.EXPORT_JOB_TIME_LIMIT + 60)
    queued_limit = now - timedelta(minutes=settings.EXPORT_QUEUE_TIMEOUT_MINUTES)
    lost = jobs.filter(state=ExportJobState.RUNNING, started_at__lt=limit).update(
        state=ExportJobState.FAILED, error=str(LOST_WORKER_MESSAGE), finished_at=now
    )
    unserved = jobs.filter(state=ExportJobState.QUEUED, created_at__lt=queued_limit).update(
        state=ExportJobState.FAILED,
        error=str(NO_WORKER_MESSAGE % {"minutes": settings.EXPORT_QUEUE_TIMEOUT_MINUTES}),
        finished_at=now,
    )
    return lost + unserved


def as_query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = value
    return query


def _set(job_id: int, **fields) -> None:
    ExportJob.objects.filter(pk=job_id).update(**fields)


def export_job_run(job_id: int) -> ExportJob | None:
    """Build the job's file as its requester. Idempotent: a finished job is left alone."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("requested_by").filter(pk=job_id).first()
        if job is None or job.is_finished:
            return job
        job.state = ExportJobState.RUNNING
        job.started_at = timezone.now()
        job.progress = 5
        job.save(update_fields=["state", "started_at", "progress"])
    try:
        report = get_report(job.report)
        user = job.requested_by
        if not user.is_active or not has_capability(user, report.capability):
            raise PermissionDenied(_("申请人已无权导出该报表"))
        report.progress = lambda percent: _set(job.pk, progress=min(max(int(percent), 5), 95))
        with report_reads():
            result = report.build(user=user, params=as_query(job.params))
        with transaction.atomic():
            job.refresh_from_db()
            if job.is_finished:
                return job
            job.file.save(f"job{job.pk}.bin", ContentFile(result.content), save=False)
            finished = timezone.now()
            job.filename = result.filename[:200]
            job.content_type = result.content_type
            job.row_count = result.row_count
            job.state = ExportJobState.DONE
            job.progress = 100
            job.finished_at = finished
            job.expires_at = finished + timedelta(hours=settings.EXPORT_TTL_HOURS)
            job.error = ""
            job.save()
    except Exception as exc:  # any failure is recorded on the job, never lost
        message = str(exc) or exc.__class__.__name__
        if isinstance(exc, Http404):
            message = _("所选单位或工作站不在您的权限范围内")
        elif isinstance(exc, SoftTimeLimitExceeded):
            message = TIME_LIMIT_MESSAGE % {"seconds": settings.EXPORT_JOB_TIME_LIMIT}
        _set(job.pk, state=ExportJobState.FAILED, error=message[:2000], finished_at=timezone.now())
        job.refresh_from_db()
    return job


def export_job_get(*, user, pk: int) -> ExportJob:
    """The job for its requester: a missing report capability is a 403, someone else's job a 404."""
    fail_lost_jobs(pk=pk)
    job = ExportJob.objects.filter(pk=pk).select_related("requested_by").first()
    if job is None:
        raise Http404("no such job")
    require(user, get_report(job.report).capability)
    if job.requested_by_id != user.pk:
        raise Http404("no such job")
    return job


def export_job_list(*, user, filters=None):
    filters = filters or {}
    fail_lost_jobs(requested_by=user)
    qs = ExportJob.objects.filter(requested_by=user)
    if state := filters.get("state"):
        qs = qs.filter(state=state)
    if term := (filters.get("q") or "").strip():
        qs = qs.filter(title__icontains=term)
    return qs.order_by("-created_at", "-pk")


def export_job_download(*, actor: User, job: ExportJob) -> ExportJob:
    """Audit the download; an expired job loses its file (the view answers 410 Gone)."""
    report = get_report(job.report)
    require(actor, report.capability)
    if job.requested_by_id != actor.pk:
        raise Http404("no such job")
    if job.state != ExportJobState.DONE or not job.file:
        raise Http404("not ready")
    if job.is_expired:
        export_job_expire(job)
        raise ExpiredJob
    _audit_download(actor, job)
    return job


@transaction.atomic
def _audit_download(actor: User, job: ExportJob) -> None:
    audit(
        actor=actor,
        action="export.download",
        obj=job,
        object_repr=f"{job.title}: {job.filename}",
        changes={"report": job.report, "filters": job.params, "rows": job.row_count, "job": job.pk},
    )


class ExpiredJob(Exception):
    """The job's file was kept for EXPORT_TTL_HOURS and is gone now."""


def export_job_expire(job: ExportJob) -> None:
    if job.file:
        job.file.delete(save=False)
    ExportJob.objects.filter(pk=job.pk).update(file="")


def purge_expired_jobs() -> int:
    """Delete the files of every expired job (run daily by a worker's beat or cron)."""
    count = 0
    for job in ExportJob.objects.filter(expires_at__lte=timezone.now()).exclude(file=""):
        export_job_expire(job)
        count += 1
    return count


def failed_jobs(*, user, days: int = 7) -> list[ExportJob]:
    """Background exports that failed in the last `days` days, everyone's (the system administrator's
    view of the jobs' health: title, requester, reason; never a file or its data)."""
    require(user, "jobs.monitor")
    fail_lost_jobs()
    since = timezone.now() - timedelta(days=days)
    return list(
        ExportJob.objects.filter(state=ExportJobState.FAILED, created_at__gte=since)
        .select_related("requested_by")
        .order_by("-created_at")[:20]
    )
