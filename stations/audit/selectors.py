"""Reads of the audit log: the filtered list behind `/audit/` and its export."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.models import AuditEntry
from stations.roles import require

from .log import personal_object_types


def audit_list(*, user, filters: dict | None = None) -> QuerySet[AuditEntry]:
    require(user, "audit.view")
    qs = AuditEntry.objects.all()
    filters = filters or {}
    if actor := (filters.get("actor") or "").strip():
        qs = qs.filter(actor_username__icontains=actor)
    if action := (filters.get("action") or "").strip():
        qs = qs.filter(action__startswith=action)
    if obj := (filters.get("object") or "").strip():
        # Minors' records are found by id, never by text in their (older, name-bearing) descriptions.
        by_text = Q(object_repr__icontains=obj) & ~Q(object_type__in=personal_object_types())
        qs = qs.filter(by_text | Q(object_id=obj) | Q(object_type__icontains=obj))
    if start := filters.get("start"):
        qs = qs.filter(created_at__date__gte=start)
    if end := filters.get("end"):
        qs = qs.filter(created_at__date__lte=end)
    if filters.get("with_reason"):
        qs = qs.exclude(reason="")
    return qs.order_by("-pk")


# What the audit administrator is alerted to on their home page: (action prefix, label, only with a reason)
ALERTS = [
    ("auth.lockout", _("账户因连续登录失败被锁定"), False),
    ("auth.login_failed", _("登录失败"), False),
    ("auth.login_refused", _("拒绝登录（停用或无角色账户）"), False),
    ("auth.mfa_failed", _("二次验证失败"), False),
    ("user.role", _("角色或管辖范围变更"), False),
    ("export.download", _("带事由的实名数据导出"), True),
    ("audit.purge", _("审计日志按保存期限清理"), False),
]
ALERT_DAYS = 7


def audit_alerts(*, user) -> list[dict]:
    """Counts of the events an audit administrator reviews, over the last week, with the filter of each
    (one query)."""
    require(user, "audit.view")
    since = timezone.localdate() - timedelta(days=ALERT_DAYS - 1)
    recent = AuditEntry.objects.filter(created_at__date__gte=since)
    counts = recent.aggregate(
        **{
            str(index): Count("pk", filter=Q(action__startswith=prefix) & (~Q(reason="") if needs_reason else Q()))
            for index, (prefix, _label, needs_reason) in enumerate(ALERTS)
        }
    )
    return [
        {"action": prefix, "label": label, "count": counts[str(index)], "start": since, "with_reason": needs_reason}
        for index, (prefix, label, needs_reason) in enumerate(ALERTS)
    ]
