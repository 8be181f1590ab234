"""Writes of the activities app: create, update, archive, copy-from-last, attachments.

Every write checks the capability and scope, refuses dates in a locked year (next to `held_on`), runs in
one transaction, writes one audit entry and keeps the volunteers' service-hours ledger in step
(`volunteers.services.service_log_sync`, idempotent on re-save).
"""

import io
import uuid
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ImageOps

from stations.audit.log import audit, diff, snapshot
from stations.models import StationStatus, Workstation
from stations.periods import ensure_period_open
from stations.roles import require
from stations.scoping import ensure_in_scope
from stations.uploads import open_checked_image, validate_document, validate_image
from volunteers.models import CURRENT_STATUSES, StationRole, Volunteer
from volunteers.services import service_log_sync

from .models import Activity, ActivityType, Attachment, AttachmentKind, FormKind

FIELDS = [
    "type_id",
    "title",
    "held_on",
    "start_time",
    "hours",
    "place",
    "partner_name",
    "partner_type",
    "police_count",
    "teacher_count",
    "parent_count",
    "audience_count",
    "audience_kind",
    "minors_reached",
    "summary",
    "school",
    "lecturer_id",
    "vice_principal_name",
    "attendee_units",
    "decisions",
    "people_helped",
    "amount_yuan",
    "goods",
]
EDITABLE = {name.removesuffix("_id") for name in FIELDS}
MAX_IMAGE_SIDE = 1600


class EditConflict(Exception):
    """Someone else saved the activity since it was opened."""


def _snapshot(activity: Activity) -> dict:
    data = snapshot(activity, FIELDS)
    if activity.pk:
        data["volunteers"] = sorted(activity.volunteers.values_list("pk", flat=True))
        data["stations"] = sorted(activity.stations.values_list("pk", flat=True))
    return data


def _check(
    *, actor, workstation: Workstation, fields: dict, volunteers, joint_stations, already=frozenset()
) -> tuple[list[Volunteer], list[Workstation]]:
    """Validate the links; `already` are volunteer ids on the activity before (they may have left since)."""
    errors = {}
    held_on = fields.get("held_on")
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = _("活动日期不能晚于今天")
    activity_type: ActivityType = fields.get("type")
    volunteers = list(volunteers or [])
    for volunteer in volunteers:
        if volunteer.pk in already:
            continue
        if volunteer.workstation_id != workstation.pk or volunteer.status not in CURRENT_STATUSES:
            errors["volunteers"] = _("只能选择本站在册的志愿者")
        elif held_on and volunteer.joined_on > held_on:
            errors["volunteers"] = _("%(name)s 的入列日期晚于活动日期") % {"name": volunteer.name}
    lecturer = fields.get("lecturer")
    if lecturer is not None:
        if lecturer.workstation_id != workstation.pk:
            errors["lecturer"] = _("只能选择本站的法治宣讲员")
        elif not lecturer.roles.filter(role=StationRole.LEGAL_LECTURER).exists():
            errors["lecturer"] = _("该志愿者不是法治宣讲员")
    is_lecture = activity_type is not None and activity_type.form_kind == FormKind.LECTURE
    if is_lecture and lecturer is None and not fields.get("vice_principal_name"):
        errors["lecturer"] = _("请选择宣讲人（法治宣讲员）或填写法治副校长姓名")
    if (fields.get("amount_yuan") or 0) < 0:
        errors["amount_yuan"] = _("金额不能为负数")
    joint = [s for s in (joint_stations or []) if s.pk != workstation.pk]
    for station in joint:
        if station.county_id != workstation.county_id or station.status != StationStatus.ACTIVE:
            errors["joint_stations"] = _("联合活动只能选择本县（区）已建的工作站")
    if errors:
        raise ValidationError(errors)
    return volunteers, joint


def _ensure_open(activity_stations, on: date) -> None:
    for station in activity_stations:
        ensure_period_open(workstation=station, on=on, field="held_on")


def _sync_hours(*, actor, activity: Activity) -> None:
    entries = [
        (volunteer, activity.hours, activity.type.service_kind, activity.held_on)
        for volunteer in ([] if activity.is_archived else activity.volunteers.all())
    ]
    service_log_sync(actor=actor, source=activity, entries=entries, note=activity.title[:200])


@transaction.atomic
def activity_create(*, actor, workstation: Workstation, volunteers=(), joint_stations=(), **fields) -> Activity:
    require(actor, "activities.edit")
    ensure_in_scope(workstation, actor)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValueError(f"not activity fields: {sorted(unknown)}")
    volunteers, joint = _check(
        actor=actor, workstation=workstation, fields=fields, volunteers=volunteers, joint_stations=joint_stations
    )
    _ensure_open([workstation, *joint], fields.get("held_on"))
    activity = Activity(workstation=workstation, created_by=actor, **fields)
    activity.full_clean()
    activity.save()
    activity.stations.set([workstation, *joint])
    activity.volunteers.set(volunteers)
    _sync_hours(actor=actor, activity=activity)
    audit(actor=actor, action="activity.create", obj=activity, changes=diff({}, _snapshot(activity)))
    return activity


@transaction.atomic
def activity_update(
    *, actor, activity: Activity, version: int | None = None, volunteers=(), joint_stations=(), **fields
) -> Activity:
    require(actor, "activities.edit")
    ensure_in_scope(activity, actor)
    current = (
        Activity.objects.unscoped("scope_check").select_for_update().select_related("workstation").get(pk=activity.pk)
    )
    if current.is_archived:
        raise ValidationError(_("已作废的活动不能修改"))
    if version is not None and current.version != version:
        raise EditConflict
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValueError(f"not activity fields: {sorted(unknown)}")
    before = _snapshot(current)
    old_stations = list(current.stations.all())
    _ensure_open(old_stations, current.held_on)
    merged = {name: getattr(current, name) for name in EDITABLE} | fields
    volunteers, joint = _check(
        actor=actor,
        workstation=current.workstation,
        fields=merged,
        volunteers=volunteers,
        joint_stations=joint_stations,
        already=frozenset(before["volunteers"]),
    )
    _ensure_open([current.workstation, *joint], merged["held_on"])
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    current.stations.set([current.workstation, *joint])
    current.volunteers.set(volunteers)
    _sync_hours(actor=actor, activity=current)
    changes = diff(before, _snapshot(current))
    if changes:
        audit(actor=actor, action="activity.update", obj=current, changes=changes)
    return current


@transaction.atomic
def activity_archive(*, actor, activity: Activity, reason: str) -> Activity:
    """Void a mistaken record: it leaves every count and the service ledger; the row stays for audit."""
    require(actor, "activities.edit")
    ensure_in_scope(activity, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写作废原因")})
    current = Activity.objects.unscoped("scope_check").select_for_update().get(pk=activity.pk)
    _ensure_open(list(current.stations.all()), current.held_on)
    current.is_archived = True
    current.archived_reason = reason.strip()[:200]
    current.archived_at = timezone.now()
    current.save(update_fields=["is_archived", "archived_reason", "archived_at", "updated_at"])
    _sync_hours(actor=actor, activity=current)
    audit(actor=actor, action="activity.archive", obj=current, changes={"is_archived": [False, True]}, reason=reason)
    return current


COPIED = [name for name in EDITABLE if name not in {"held_on"}]


def activity_copy_initial(*, actor, source: Activity) -> dict:
    """Initial form data for a recurring activity: the source's fields, today's date, same volunteers."""
    require(actor, "activities.edit")
    ensure_in_scope(source, actor)
    initial = {name: getattr(source, name) for name in COPIED}
    initial["held_on"] = timezone.localdate()
    initial["volunteers"] = [v.pk for v in source.volunteers.all() if v.status in CURRENT_STATUSES]
    initial["joint_stations"] = [s.pk for s in source.stations.all() if s.pk != source.workstation_id]
    return initial


# --- attachments ----------------------------------------------------------------------------------

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}


def _resized(upload) -> ContentFile:
    """Re-encode an image at most MAX_IMAGE_SIDE px wide or high (also drops EXIF such as GPS)."""
    with open_checked_image(upload) as image:  # the pixel limit holds before anything is decoded
        fmt = image.format
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, fmt, **({"quality": 85} if fmt in ("JPEG", "WEBP") else {}))
    return ContentFile(buffer.getvalue())


@transaction.atomic
def attachment_add(*, actor, activity: Activity, kind: str, upload) -> Attachment:
    require(actor, "activities.edit")
    ensure_in_scope(activity, actor)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("附件类型不正确")})
    if activity.is_archived:
        raise ValidationError(_("已作废的活动不能再上传附件"))
    _ensure_open(list(activity.stations.all()), activity.held_on)
    extension = Path(upload.name).suffix.lower()
    try:
        if kind == AttachmentKind.PHOTO:
            validate_image(upload)
        else:
            validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    content = _resized(upload) if extension in IMAGE_EXTENSIONS else ContentFile(upload.read())
    attachment = Attachment(
        activity=activity,
        kind=kind,
        original_name=Path(upload.name).name[:200],
        size=content.size,
        uploaded_by=actor,
    )
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", content, save=False)
    attachment.save()
    audit(
        actor=actor,
        action="activity.attachment_add",
        obj=activity,
        changes={"attachment": [None, f"{attachment.get_kind_display()} {attachment.original_name}"]},
    )
    return attachment
