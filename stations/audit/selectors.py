"""Reads of the audit log: the filtered list behind `/audit/` and its export."""

from django.db.models import Q, QuerySet

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
    return qs.order_by("-pk")
