"""Demo work for the system administrator (issue 14 §8): a background export that failed yesterday."""

from datetime import timedelta

from django.utils import timezone

from stations.models import ExportJob, ExportJobState


def seed(*, context) -> None:
    requester = context.users.get("sheng_gongwei")
    if requester is None or ExportJob.objects.filter(state=ExportJobState.FAILED).exists():
        return
    yesterday = timezone.now() - timedelta(days=1)
    ExportJob.objects.create(
        report="province-summary",
        title=f"{context.province.name}{context.today.year - 1}年度工作汇总",
        params={"year": str(context.today.year - 1)},
        requested_by=requester,
        scope_label=context.province.name,
        state=ExportJobState.FAILED,
        progress=40,
        error="超过后台任务时限（900 秒）仍未完成，已停止。请缩小范围后重试，或联系系统管理员。",
        created_at=yesterday,
        started_at=yesterday,
        finished_at=yesterday + timedelta(minutes=15),
    )
