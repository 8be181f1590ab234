"""Writes of the stations app. Every service takes `actor=`, checks scope and capability, runs in a
transaction and writes the audit log."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit, diff, snapshot
from .models import (
    Funding,
    OrgUnit,
    Role,
    StationStatus,
    SystemDocument,
    User,
    Workstation,
    WorkstationNameHistory,
)
from .roles import require
from .scoping import ensure_in_scope

PROFILE_FIELDS = [
    "name",
    "police_station",
    "head_name",
    "deputy_name",
    "office_location",
    "office_address",
    "partner_name",
    "partner_type",
    "partner_since",
    "established_on",
    "logo_hung",
    "logo_photo",
    "phone",
]


class EditConflict(Exception):
    """Someone else saved the record since it was opened (REL-3); `changed` lists their fields."""

    def __init__(self, changed: dict):
        super().__init__("edit conflict")
        self.changed = changed


@transaction.atomic
def workstation_create(*, actor: User, county: OrgUnit, **fields) -> Workstation:
    require(actor, "stations.manage")
    ensure_in_scope(county, actor)
    station = Workstation(county=county, **fields)
    station.full_clean()
    station.save()
    for system, _label in SystemDocument._meta.get_field("system").choices:
        SystemDocument.objects.create(workstation=station, system=system)
    audit(actor=actor, action="workstation.create", obj=station, changes=diff({}, snapshot(station, PROFILE_FIELDS)))
    return station


@transaction.atomic
def workstation_update(*, actor: User, workstation: Workstation, version: int, **fields) -> Workstation:
    """Update the profile; optimistic lock on `version`; a new name keeps the old one in history."""
    require(actor, "stations.edit_profile")
    ensure_in_scope(workstation, actor)
    current = Workstation.objects.select_for_update().get(pk=workstation.pk)
    before = snapshot(current, PROFILE_FIELDS)
    if current.version != version:
        raise EditConflict(diff(snapshot(workstation, PROFILE_FIELDS), before))
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"not a profile field: {name}")
        setattr(current, name, value)
    current.full_clean()
    if fields.get("name") and fields["name"] != before["name"]:
        WorkstationNameHistory.objects.create(
            workstation=current, name=before["name"], valid_until=timezone.localdate(), changed_by=actor
        )
    updated = Workstation.objects.filter(pk=current.pk, version=version).update(version=F("version") + 1)
    if not updated:  # pragma: no cover - the row lock above makes this unreachable on PostgreSQL
        raise EditConflict({})
    current.version = version + 1
    current.save()
    changes = diff(before, snapshot(current, PROFILE_FIELDS))
    if changes:
        audit(actor=actor, action="workstation.update", obj=current, changes=changes)
    return current


@transaction.atomic
def workstation_set_status(
    *,
    actor: User,
    workstation: Workstation,
    status: str,
    changed_on: date,
    approving_unit: str = "",
    approval_doc_no: str = "",
    approval_date: date | None = None,
    reason: str = "",
    merged_into: Workstation | None = None,
) -> Workstation:
    """Exempt, defer, merge, close or reactivate a station; the upper bureau's approval is stored."""
    require(actor, "stations.manage")
    ensure_in_scope(workstation, actor)
    if merged_into is not None:
        ensure_in_scope(merged_into, actor)
        if merged_into.status == StationStatus.MERGED:
            raise ValidationError({"merged_into": _("不能并入一个已合并的工作站")})
    before = snapshot(workstation)
    workstation.status = status
    workstation.status_changed_on = changed_on
    workstation.approving_unit = approving_unit
    workstation.approval_doc_no = approval_doc_no
    workstation.approval_date = approval_date
    workstation.status_reason = reason
    workstation.merged_into = merged_into if status == StationStatus.MERGED else None
    workstation.review_on = (
        changed_on + relativedelta(months=settings.DEFERRED_REVIEW_MONTHS) if status == StationStatus.DEFERRED else None
    )
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": _("日期不能晚于今天")})
    workstation.full_clean()
    workstation.version = F("version") + 1
    workstation.save()
    workstation.refresh_from_db()
    audit(
        actor=actor,
        action="workstation.merge" if status == StationStatus.MERGED else "workstation.status",
        obj=workstation,
        changes=diff(before, snapshot(workstation)),
        reason=reason,
    )
    return workstation


@transaction.atomic
def system_document_set(
    *, actor: User, workstation: Workstation, system: str, document=None, note: str = "", remove: bool = False
) -> SystemDocument:
    require(actor, "stations.edit_profile")
    ensure_in_scope(workstation, actor)
    record, _created = SystemDocument.objects.get_or_create(workstation=workstation, system=system)
    before = {"document": record.document.name, "note": record.note}
    if remove:
        record.document = ""
    elif document is not None:
        record.document = document
    record.note = note
    record.save()
    audit(
        actor=actor,
        action="workstation.system_document",
        obj=workstation,
        changes=diff(before, {"document": record.document.name, "note": record.note}),
        object_repr=f"{workstation} / {record.get_system_display()}",
    )
    return record


@transaction.atomic
def funding_record(*, actor: User, workstation: Workstation, year: int, amount_yuan, source: str) -> Funding:
    require(actor, "stations.edit_profile")
    ensure_in_scope(workstation, actor)
    funding = Funding(workstation=workstation, year=year, amount_yuan=amount_yuan, source=source)
    funding.full_clean()
    funding.save()
    audit(
        actor=actor,
        action="workstation.funding",
        obj=workstation,
        changes={"year": [None, year], "amount_yuan": [None, str(amount_yuan)], "source": [None, source]},
    )
    return funding


# --- accounts ---------------------------------------------------------------------------------

ACCOUNT_FIELDS = ["username", "first_name", "last_name", "role", "org_unit_id", "workstation_id", "phone", "is_active"]


def _check_admin_separation(*, actor: User, user: User) -> None:
    """三员分立 (AC-4): one role per account (by the model); nobody edits their own account here."""
    if user.pk is not None and user.pk == actor.pk:
        raise ValidationError({"role": _("不能修改自己的账户角色")})


@transaction.atomic
def user_save(*, actor: User, user: User, password: str | None = None) -> User:
    """Create or update an account. A new account or a reset password must be changed at first login."""
    require(actor, "accounts.manage")
    creating = user.pk is None
    before = {} if creating else snapshot(User.objects.get(pk=user.pk), ACCOUNT_FIELDS)
    _check_admin_separation(actor=actor, user=user)
    user.is_staff = user.role == Role.SYSTEM_ADMIN
    user.is_superuser = False
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
        user.must_change_password = True
    user.save()
    changes = diff(before, snapshot(user, ACCOUNT_FIELDS))
    action = "user.create" if creating else ("user.role" if "role" in changes else "user.update")
    audit(actor=actor, action=action, obj=user, changes=changes)
    if password and not creating:
        sessions_end_for(user)
        audit(actor=actor, action="user.password_reset", obj=user)
    return user


def sessions_end_for(user: User, keep_session_key: str | None = None) -> int:
    """End every session of `user` except one (AUTH-6). Sessions are scanned: accounts are few."""
    from django.contrib.sessions.models import Session

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session_key:
            continue
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def password_changed_by_user(*, user: User, session_key: str | None) -> None:
    User.objects.filter(pk=user.pk).update(must_change_password=False, password_changed_at=timezone.now())
    user.must_change_password = False
    sessions_end_for(user, keep_session_key=session_key)
    audit(actor=user, action="user.password_change", obj=user)


@transaction.atomic
def lockout_reset(*, actor: User, username: str) -> int:
    """The security administrator unlocks an account locked by repeated failures (AUTH-4)."""
    from axes.models import AccessAttempt

    from .lockout import canonical_username

    require(actor, "security.unlock")
    username = canonical_username(username)
    attempts = AccessAttempt.objects.filter(username__iexact=username)
    count = attempts.count()
    attempts.delete()
    audit(actor=actor, action="auth.unlock", object_repr=username, changes={"attempts_cleared": count})
    return count
