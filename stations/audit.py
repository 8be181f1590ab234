"""Writing and verifying the audit log (SECURITY AUD-1..4). Services call `audit(...)`."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .context import current_ip
from .masking import mask_text
from .models import AuditEntry, AuditResult, Workstation

# Field names whose values are masked in the before/after record.
SENSITIVE_FIELDS = {"id_number", "phone", "mobile", "guardian_phone", "password"}
_LOCK_KEY = 734_021  # pg_advisory_xact_lock key serialising the hash chain


def _workstation_of(obj) -> Workstation | None:
    if obj is None:
        return None
    if isinstance(obj, Workstation):
        return obj
    field = getattr(type(obj), "scope_field", None)
    if not field:
        return None
    target = obj
    for part in field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target if isinstance(target, Workstation) else None


def _mask_value(field: str, value):
    if isinstance(value, FieldFile):
        value = value.name or ""
    if value is None or value == "":
        return value
    if field in SENSITIVE_FIELDS:
        return "***" if field == "password" else mask_text(str(value))
    return value if isinstance(value, int | float | bool) else str(value)


def diff(before: dict, after: dict) -> dict:
    """Changed fields as {field: [before, after]}, sensitive values masked."""
    return {
        field: [_mask_value(field, before.get(field)), _mask_value(field, after.get(field))]
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
    }


def snapshot(obj: Model, fields: Iterable[str] | None = None) -> dict:
    """The model's concrete field values (FKs as ids), for `diff`."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: getattr(obj, name) for name in names}


@transaction.atomic
def audit(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    changes: dict | None = None,
    reason: str = "",
    result: str = AuditResult.OK,
    object_repr: str | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry; the chain hash makes any later edit of a row detectable (audit_verify)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    previous = AuditEntry.objects.order_by("-pk").values_list("hash", flat=True).first() or ""
    station = _workstation_of(obj)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else username,
        role=getattr(actor, "role", "") if authenticated else "",
        ip=current_ip.get(),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        workstation_id_ref=station.pk if station else None,
        org_path=station.org_path if station else "",
        changes=changes or {},
        result=result,
        reason=reason[:300],
        prev_hash=previous,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


def verify_chain() -> list[int]:
    """Ids of entries whose hash or link is broken (empty list = intact)."""
    broken = []
    previous = None
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if (previous is not None and entry.prev_hash != previous) or entry.compute_hash() != entry.hash:
            broken.append(entry.pk)
        previous = entry.hash
    return broken


def purge_older_than(*, actor, days: int) -> int:
    """Delete entries older than `days` (AUD-4); refuses to go below the legal minimum of 180 days."""
    if days < 180 or days < settings.AUDIT_RETENTION_DAYS:
        raise ValueError("audit entries must be kept at least 180 days and the configured retention")
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        old = AuditEntry.objects.filter(created_at__lt=cutoff)
        count = old.count()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL guanai.audit_purge = 'on'")
        # The first kept entry still names the hash of a purged one: verify_chain starts from it.
        old._raw_delete(old.db)
        audit(actor=actor, action="audit.purge", changes={"deleted": count, "before": cutoff.isoformat()})
    return count
