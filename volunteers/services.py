"""Writes of the volunteers app. `service_log_add` / `service_log_sync` are the service-hours ledger that
activities and mentoring call (DESIGN §2: the lower app offers a service, the higher app calls it)."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from stations import idnumbers
from stations.audit.log import audit, diff, snapshot
from stations.models import StationStatus, Workstation
from stations.periods import ensure_period_open
from stations.phones import normalise_phone
from stations.roles import require
from stations.scoping import ensure_in_scope
from stations.uploads import validate_document

from .models import (
    CURRENT_STATUSES,
    VOLUNTEER_DETAILS,
    Position,
    ServiceKind,
    ServiceLog,
    StationRole,
    Training,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)


def _check_entry(volunteer: Volunteer, hours, served_on: date) -> Decimal:
    hours = Decimal(str(hours))
    if not (Decimal("0") < hours <= Decimal("24")):
        raise ValidationError({"hours": _("服务时长应在 0 到 24 小时之间")})
    if served_on > date.today():
        raise ValidationError({"served_on": _("服务日期不能晚于今天")})
    if served_on < volunteer.joined_on:
        raise ValidationError({"served_on": _("服务日期不能早于入列日期")})
    ensure_period_open(workstation=volunteer.workstation_id, on=served_on, field="served_on")
    return hours


@transaction.atomic
def service_log_add(
    *,
    actor,
    volunteer: Volunteer,
    hours,
    kind: str,
    served_on: date,
    source: Model | None = None,
    note: str = "",
) -> ServiceLog:
    """Record hours a volunteer served; `source` is the activity, visit or other record behind them."""
    require(actor, "volunteers.edit")
    ensure_in_scope(volunteer, actor)
    if kind not in ServiceKind.values:
        raise ValidationError({"kind": _("服务类型不正确")})
    entry = ServiceLog.objects.create(
        volunteer=volunteer,
        served_on=served_on,
        hours=_check_entry(volunteer, hours, served_on),
        kind=kind,
        note=note,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        created_by=actor,
    )
    audit(
        actor=actor,
        action="service_log.add",
        obj=volunteer,
        changes={"served_on": [None, str(served_on)], "hours": [None, str(entry.hours)], "kind": [None, kind]},
    )
    return entry


@transaction.atomic
def service_log_sync(
    *, actor, source: Model, entries: list[tuple[Volunteer, object, str, date]], note: str = ""
) -> list[ServiceLog]:
    """Make the ledger's entries for `source` exactly `entries` [(volunteer, hours, kind, served_on)].

    Idempotent: saving an activity twice leaves one set of hours; removing a volunteer removes theirs.
    """
    source_type = ContentType.objects.get_for_model(source)
    existing = (
        ServiceLog.objects.unscoped("scope_check")  # each entry is checked right below
        .filter(source_type=source_type, source_id=source.pk)
        .select_related("volunteer")
    )
    for old in existing:
        ensure_in_scope(old.volunteer, actor)
        ensure_period_open(workstation=old.volunteer.workstation_id, on=old.served_on, field="served_on")
    removed = existing.count()
    existing.delete()
    created = []
    for volunteer, hours, kind, served_on in entries:
        require(actor, "volunteers.edit")
        ensure_in_scope(volunteer, actor)
        created.append(
            ServiceLog.objects.create(
                volunteer=volunteer,
                served_on=served_on,
                hours=_check_entry(volunteer, hours, served_on),
                kind=kind,
                note=note,
                source_type=source_type,
                source_id=source.pk,
                created_by=actor,
            )
        )
    if removed or created:
        audit(
            actor=actor,
            action="service_log.sync",
            obj=source,
            changes={"entries": [removed, len(created)]},
        )
    return created


# --- volunteers ------------------------------------------------------------------------------------

EDITABLE_FIELDS = ["name", "id_number", *VOLUNTEER_DETAILS]
VOLUNTEER_FIELDS = ["workstation_id", *EDITABLE_FIELDS, "left_on", "left_reason", "status"]


class EditConflict(Exception):
    """Someone else saved the volunteer since it was opened; `changed` lists their fields."""

    def __init__(self, changed: dict):
        super().__init__("edit conflict")
        self.changed = changed


def _snapshot(volunteer: Volunteer) -> dict:
    data = snapshot(volunteer, VOLUNTEER_FIELDS)
    data["roles"] = ",".join(sorted(volunteer.roles.values_list("role", flat=True))) if volunteer.pk else ""
    return data


def check_identity(volunteer: Volunteer) -> None:
    """ID number (GB 11643) agrees with birth date and gender, or fills them; mobile normalised; hash set."""
    errors = {}
    if volunteer.id_number:
        try:
            number = idnumbers.validate(volunteer.id_number, birth_date=volunteer.birth_date, gender=volunteer.gender)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            volunteer.id_number = number
            volunteer.birth_date = volunteer.birth_date or idnumbers.birth_date_of(number)
            volunteer.gender = volunteer.gender or idnumbers.gender_of(number)
            volunteer.id_hash = idnumbers.lookup_hash(number)
    else:
        volunteer.id_hash = ""
    if volunteer.mobile:
        try:
            volunteer.mobile = normalise_phone(volunteer.mobile, mobile=True)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    today = timezone.localdate()
    if volunteer.joined_on and volunteer.joined_on > today:
        errors["joined_on"] = [_("入列日期不能晚于今天")]
    if volunteer.birth_date and volunteer.birth_date > today:
        errors["birth_date"] = [_("出生日期不能晚于今天")]
    if errors:
        raise ValidationError(errors)


def _ensure_not_current_elsewhere(volunteer: Volunteer) -> None:
    if not volunteer.id_hash or volunteer.status not in CURRENT_STATUSES:
        return
    clash = (
        Volunteer.objects.unscoped("identity_match")
        .filter(id_hash=volunteer.id_hash, status__in=CURRENT_STATUSES)
        .exclude(pk=volunteer.pk)
        .select_related("workstation")
        .first()
    )
    if clash is None:
        return
    if clash.workstation_id == volunteer.workstation_id:
        raise ValidationError({"id_number": _("该身份证号已在本工作站在册，请勿重复登记。")})
    raise ValidationError({"id_number": _("该人员已在其他工作站在册，请由原工作站办理调动。")})


def _set_roles(volunteer: Volunteer, roles) -> None:
    roles = set(roles or [])
    unknown = roles - set(StationRole.values)
    if unknown:
        raise ValidationError({"roles": _("站内角色不正确")})
    existing = set(volunteer.roles.values_list("role", flat=True))
    volunteer.roles.filter(role__in=existing - roles).delete()
    VolunteerRole.objects.bulk_create([VolunteerRole(volunteer=volunteer, role=r) for r in sorted(roles - existing)])


def sync_station_officers(station_ids) -> None:
    """Copy the roster's 站长 and 副站长 onto the stations' profiles (`head_name`, `deputy_name`).

    The roster is the one place a station's head is named (issue 14 §1): the profile, its PDF, the
    annual report and the registry show the copy, which every roster write refreshes. Several current
    holders of one post are listed in order of joining; none gives an empty name ("—" on pages)."""
    station_ids = {pk for pk in station_ids if pk}
    names: dict[int, dict[str, list[str]]] = {pk: {Position.HEAD: [], Position.DEPUTY: []} for pk in station_ids}
    rows = (
        Volunteer.objects.unscoped("station_officers")
        .filter(
            workstation_id__in=station_ids,
            status__in=CURRENT_STATUSES,
            position__in=[Position.HEAD, Position.DEPUTY],
        )
        .order_by("joined_on", "pk")
        .values_list("workstation_id", "position", "name")
    )
    for station_id, position, name in rows:
        names[station_id][position].append(name)
    for station_id, posts in names.items():
        Workstation.objects.unscoped("station_officers").filter(pk=station_id).update(
            head_name="、".join(posts[Position.HEAD])[:50], deputy_name="、".join(posts[Position.DEPUTY])[:50]
        )


@transaction.atomic
def volunteer_create(*, actor, workstation: Workstation, roles=(), **fields) -> Volunteer:
    require(actor, "volunteers.edit")
    ensure_in_scope(workstation, actor)
    volunteer = Volunteer(workstation=workstation, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    check_identity(volunteer)
    volunteer.full_clean(exclude=["id_hash"])
    _ensure_not_current_elsewhere(volunteer)
    volunteer.save()
    _set_roles(volunteer, roles)
    sync_station_officers([volunteer.workstation_id])
    audit(actor=actor, action="volunteer.create", obj=volunteer, changes=diff({}, _snapshot(volunteer)))
    return volunteer


@transaction.atomic
def volunteer_update(*, actor, volunteer: Volunteer, version: int, roles=None, **fields) -> Volunteer:
    """Edit a membership; optimistic lock on `version` (like stations.services.workstation_update)."""
    require(actor, "volunteers.edit")
    ensure_in_scope(volunteer, actor)
    current = Volunteer.objects.unscoped("scope_check").select_for_update().get(pk=volunteer.pk)
    before = _snapshot(current)
    if current.version != version:
        raise EditConflict(diff(_snapshot(volunteer), before))
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"not an editable field: {name}")
        setattr(current, name, value)
    check_identity(current)
    current.full_clean(exclude=["id_hash"])
    _ensure_not_current_elsewhere(current)
    if roles is not None:
        _set_roles(current, roles)
    updated = (
        Volunteer.objects.unscoped("scope_check")
        .filter(pk=current.pk, version=version)
        .update(version=F("version") + 1)
    )
    if not updated:  # pragma: no cover - the row lock above makes this unreachable on PostgreSQL
        raise EditConflict({})
    current.version = version + 1
    current.save()
    sync_station_officers([current.workstation_id])
    changes = diff(before, _snapshot(current))
    if changes:
        audit(actor=actor, action="volunteer.update", obj=current, changes=changes)
    return current


def _end(current: Volunteer, *, status: str, on: date, reason: str) -> None:
    if not current.is_current:
        raise ValidationError(_("该人员已不在册。"))
    if on < current.joined_on:
        raise ValidationError({"left_on": _("退出日期不能早于入列日期")})
    if on > timezone.localdate():
        raise ValidationError({"left_on": _("退出日期不能晚于今天")})
    ensure_period_open(workstation=current.workstation_id, on=on, field="left_on")
    current.status, current.left_on, current.left_reason = status, on, reason
    current.version += 1
    current.save()
    sync_station_officers([current.workstation_id])


@transaction.atomic
def volunteer_leave(*, actor, volunteer: Volunteer, left_on: date, reason: str) -> Volunteer:
    require(actor, "volunteers.edit")
    ensure_in_scope(volunteer, actor)
    current = Volunteer.objects.unscoped("scope_check").select_for_update().get(pk=volunteer.pk)
    before = _snapshot(current)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退出原因")})
    _end(current, status=VolunteerStatus.LEFT, on=left_on, reason=reason)
    audit(actor=actor, action="volunteer.leave", obj=current, changes=diff(before, _snapshot(current)), reason=reason)
    return current


@transaction.atomic
def volunteer_set_status(*, actor, volunteer: Volunteer, status: str, changed_on: date, reason: str = "") -> Volunteer:
    """Pause, resume or record a death (leaving has its own service, transfer too)."""
    require(actor, "volunteers.edit")
    ensure_in_scope(volunteer, actor)
    current = Volunteer.objects.unscoped("scope_check").select_for_update().get(pk=volunteer.pk)
    before = _snapshot(current)
    if status == VolunteerStatus.DECEASED:
        _end(current, status=status, on=changed_on, reason=reason or _("去世"))
    elif status in CURRENT_STATUSES:
        if current.status == status:
            raise ValidationError({"status": _("状态未改变")})
        if not current.is_current:
            current.left_on, current.left_reason = None, ""
        current.status = status
        _ensure_not_current_elsewhere(current)
        current.version += 1
        current.save()
        sync_station_officers([current.workstation_id])
    else:
        raise ValidationError({"status": _("请通过“退出”或“调动”办理")})
    audit(actor=actor, action="volunteer.status", obj=current, changes=diff(before, _snapshot(current)), reason=reason)
    return current


@transaction.atomic
def volunteer_transfer(
    *, actor, volunteer: Volunteer, to: Workstation, transferred_on: date, reason: str = ""
) -> Volunteer:
    """End the membership here (status left) and open one at `to`, linked by `transferred_from`."""
    require(actor, "volunteers.edit")
    ensure_in_scope(volunteer, actor)
    ensure_in_scope(to, actor)
    current = Volunteer.objects.unscoped("scope_check").select_for_update().get(pk=volunteer.pk)
    if to.pk == current.workstation_id:
        raise ValidationError({"to": _("请选择另一个工作站")})
    if to.status != StationStatus.ACTIVE:
        raise ValidationError({"to": _("只能调入运行中的工作站")})
    ensure_period_open(workstation=to.pk, on=transferred_on, field="transferred_on")
    before = _snapshot(current)
    roles = list(current.roles.values_list("role", flat=True))
    _end(current, status=VolunteerStatus.LEFT, on=transferred_on, reason=_("调往%(to)s") % {"to": to.name})
    new = Volunteer(
        workstation=to,
        **{name: getattr(current, name) for name in EDITABLE_FIELDS if name not in ("joined_on", "position")},
        id_hash=current.id_hash,
        joined_on=transferred_on,
        position=Position.MEMBER,
        transferred_from=current,
    )
    new.full_clean(exclude=["id_hash"])
    new.save()
    _set_roles(new, roles)
    sync_station_officers([new.workstation_id])
    audit(
        actor=actor, action="volunteer.transfer", obj=current, changes=diff(before, _snapshot(current)), reason=reason
    )
    audit(actor=actor, action="volunteer.create", obj=new, changes=diff({}, _snapshot(new)), reason=reason)
    return new


def volunteer_identity_viewed(*, actor, obj=None, object_repr: str | None = None, count: int = 1) -> None:
    """A page showed full ID numbers or phones: one audit entry per page view (SECURITY DATA-1, AUD-2)."""
    audit(actor=actor, action="volunteer.view_identity", obj=obj, object_repr=object_repr, changes={"rows": count})


# --- trainings -------------------------------------------------------------------------------------


@transaction.atomic
def training_create(
    *, actor, workstation: Workstation, title: str, held_on: date, organiser: str, hours, attendees=(), certificate=None
) -> Training:
    require(actor, "volunteers.edit")
    ensure_in_scope(workstation, actor)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("培训日期不能晚于今天")})
    ensure_period_open(workstation=workstation.pk, on=held_on, field="held_on")
    attendees = list(attendees)
    for person in attendees:
        if person.workstation_id != workstation.pk:
            raise ValidationError({"attendees": _("参训人员须为本工作站成员")})
    training = Training(
        workstation=workstation, title=title, held_on=held_on, organiser=organiser, hours=hours, created_by=actor
    )
    if certificate:
        validate_document(certificate)
        training.certificate = certificate
    training.full_clean()
    training.save()
    training.attendees.set(attendees)
    audit(
        actor=actor,
        action="training.create",
        obj=training,
        changes={
            "title": [None, title],
            "held_on": [None, str(held_on)],
            "hours": [None, str(hours)],
            "attendees": [None, len(attendees)],
        },
    )
    return training
