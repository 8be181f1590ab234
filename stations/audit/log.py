"""Writing, reading and verifying the audit log (SECURITY AUD-1..5). Services call `audit(...)`.

Minors' records (DATA-1, DATA-2): a model whose rows hold a minor's personal data declares
`personal_fields = {field: mask}` (mask one of `MASKS`) and, when it can be sealed,
`sealed_lookup` (a queryset lookup that is True for a sealed case). For such objects `audit()` keeps
the record's id and the names of the changed fields, with personal values masked and free text
withheld, whatever the caller passes; `present()` applies the same rule when entries are read (older
entries still hold names, and the hash chain forbids rewriting them) and withholds every value of a
case sealed since.
"""

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.context import current_ip
from stations.masking import mask_area, mask_id_number, mask_name, mask_phone, mask_text
from stations.models import AuditEntry, AuditResult, Workstation
from stations.scope_guard import unscoped

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


WITHHELD = "***"
MASKS = {
    "name": mask_name,  # 张三 → 张某
    "id": mask_id_number,  # 110105********002X
    "phone": lambda value: value if "*" in value else mask_phone(value),  # 138****5678
    "year": lambda value: m.group(0) if (m := re.match(r"\d{4}", value)) else WITHHELD,  # birth date → year
    "area": mask_area,  # address → district
    "withheld": lambda value: WITHHELD,
}
# Values of a minor's record shown as they are: codes, dates, numbers (no spaces, no CJK, no capitals).
CODE_PATTERN = re.compile(r"[a-z0-9_.,:+-]{0,60}")


def personal_object_types() -> list[str]:
    """Object types of minors' records: their entries are never searched by `object_repr`."""
    return sorted(m._meta.label for m in apps.get_models() if getattr(m, "personal_fields", None) is not None)


def personal_model(object_type: str) -> type[Model] | None:
    """The model behind an entry's object type when its rows hold a minor's personal data."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    return model if getattr(model, "personal_fields", None) is not None else None


@cache
def _free_text_fields(model: type[Model]) -> frozenset[str]:
    text = (models.CharField, models.TextField, models.JSONField)
    return frozenset(
        name
        for field in model._meta.concrete_fields
        if isinstance(field, text) and not field.choices
        for name in (field.name, field.attname)
    )


def _conceal(value, mask):
    if value is None or value == "" or isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return [_conceal(item, mask) for item in value]
    return mask(value)


def minor_changes(model: type[Model], changes: dict, *, sealed: bool = False) -> dict:
    """`changes` of a minor's record as the audit log may keep and show them (idempotent).

    Personal fields are masked as the model declares; free-text fields and anything that is not a
    code, date or number are withheld; a sealed case shows no value at all, only the field names.
    """
    personal, free_text = model.personal_fields, _free_text_fields(model)

    def plain(field):
        def mask(value):
            value = _mask_value(field, value)
            if isinstance(value, int | float):
                return value
            value = mask_text(str(value))
            return value if CODE_PATTERN.fullmatch(value) else WITHHELD

        return mask

    masked = {}
    for field, value in changes.items():
        if sealed:
            mask = MASKS["withheld"]
        elif field in personal:
            kind = personal[field]
            mask = lambda v, kind=kind: MASKS[kind](str(v))  # noqa: E731
        elif field in free_text:
            mask = MASKS["withheld"]
        else:
            mask = plain(field)
        masked[field] = _conceal(value, mask)
    return masked


def personal_repr(model: type[Model], object_id) -> str:
    """How an entry names a minor's record: its type and id, never a name or a masked surname."""
    return f"{model._meta.verbose_name}#{object_id}"


def _sealed_ids(entries: list[AuditEntry]) -> set[tuple[str, str]]:
    """(object_type, object_id) of the entries' objects that are sealed now: one query per model."""
    wanted = defaultdict(set)
    for entry in entries:
        model = personal_model(entry.object_type)
        if model is not None and getattr(model, "sealed_lookup", None) and entry.object_id.isdigit():
            wanted[entry.object_type].add(int(entry.object_id))
    sealed = set()
    for object_type, ids in wanted.items():
        model = apps.get_model(object_type)
        with unscoped("audit_masking"):
            rows = model._base_manager.filter(pk__in=ids, **{model.sealed_lookup: True}).values_list("pk", flat=True)
            sealed |= {(object_type, str(pk)) for pk in rows}
    return sealed


class ShownChange(tuple):
    """One shown change, `(field, text)`; `field_is_code`/`text_is_code` mark what stayed a stored
    identifier (a key with no model field, a structured value) so the page can show it as code."""

    field_is_code = False
    text_is_code = False


def _model_field(object_type: str, name: str):
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if name in (field.name, field.attname):
            return field
    return None


def _structured(value) -> bool:
    """A dict or list, also as the text older entries kept (`diff` stores what is not JSON as str)."""
    if isinstance(value, str):
        return value[:1] in ("{", "[")
    return isinstance(value, dict) or (isinstance(value, list | tuple) and not _is_pair(value))


def _is_pair(value) -> bool:
    return isinstance(value, list) and len(value) == 2


def _show(value, field=None) -> str:
    """A stored value as a Chinese reader reads it: 是/否/—, a choice's label, JSON for structures."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    choices = dict(getattr(field, "flatchoices", None) or ())
    return str(choices.get(value, value))


_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_.:/-]*")


def _code_like(value, field) -> bool:
    """A structure, or a stored identifier (`audit-log`, `stations.status_active`) no choice label names."""
    if _structured(value):
        return True
    choices = dict(getattr(field, "flatchoices", None) or ())
    return isinstance(value, str) and value not in choices and bool(_IDENTIFIER.fullmatch(value))


def _shown_change(object_type: str, name: str, value) -> ShownChange:
    field = _model_field(object_type, name) if name else None
    label = str(getattr(field, "verbose_name", "") or name)
    if _is_pair(value):
        text = f"{_show(value[0], field)} → {_show(value[1], field)}"
        code = _code_like(value[0], field) or _code_like(value[1], field)
    else:
        text, code = _show(value, field), _code_like(value, field)
    change = ShownChange((label, text))
    change.field_is_code = bool(name) and field is None
    change.text_is_code = code
    return change


def present(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Entries as the audit administrator may read them (list, admin, export).

    Sets `shown_repr`, `shown_changes` (a list of (field, text) pairs; never iterate `changes.items`
    in a template: a change named `items` would win the lookup) and `shown_reason` on each entry.
    """
    entries = list(entries)
    sealed = _sealed_ids(entries)
    for entry in entries:
        changes, object_repr = entry.changes, entry.object_repr
        model = personal_model(entry.object_type)
        if model is not None:
            object_repr = personal_repr(model, entry.object_id)
            sealed_case = (entry.object_type, entry.object_id) in sealed
            changes = minor_changes(model, changes, sealed=sealed_case) if isinstance(changes, dict) else {"": WITHHELD}
        if not isinstance(changes, dict):
            changes = {"": changes}
        entry.shown_repr = object_repr
        entry.shown_reason = mask_text(entry.reason)
        entry.shown_changes = [_shown_change(entry.object_type, field, value) for field, value in changes.items()]
    return entries


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
    model = type(obj) if obj is not None else None
    if model is not None and getattr(model, "personal_fields", None) is not None:
        # A minor's record: only its id and masked changes reach the log, whatever the caller passed.
        object_repr = personal_repr(model, obj.pk)
        changes = minor_changes(model, changes or {})
        reason = mask_text(reason)
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
