"""Writes of the stations app. Every service takes `actor=`, checks scope and capability, runs in a
transaction and writes the audit log."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit.log import audit, diff, snapshot
from .models import (
    AuditEntry,
    AuditResult,
    Funding,
    OrgUnit,
    StationStatus,
    SystemDocument,
    User,
    Workstation,
    WorkstationNameHistory,
)
from .roles import holds_role, label_of_role, require
from .scoping import ensure_in_scope, for_station

PROFILE_FIELDS = [
    "name",
    "police_station",
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
    current = Workstation.objects.unscoped("scope_check").select_for_update().get(pk=workstation.pk)
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
    updated = (
        Workstation.objects.unscoped("scope_check")
        .filter(pk=current.pk, version=version)
        .update(version=F("version") + 1)
    )
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
    record, _created = for_station(SystemDocument.objects.all(), workstation).get_or_create(
        workstation=workstation, system=system
    )
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


# --- accounts (三员分立, AC-4) ----------------------------------------------------------------
# The system administrator creates accounts and sets one-time passwords; the security administrator
# assigns roles and scopes; administrator accounts are made by `manage.py create_administrator` only.

ACCOUNT_FIELDS = ["username", "first_name", "last_name", "phone", "is_active"]
ROLE_FIELDS = ["role", "workstation_id", "org_unit_id"]
# Audit actions of changes by someone else that the account's owner is told about at the next sign-in.
NOTICE_ACTIONS = ("user.role", "user.password_reset")
ONE_TIME_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789")


def _editable_account(*, actor: User, user: User) -> None:
    """Nobody changes their own account here, and no administrator account is changed in the app."""
    from .roles import is_administrator

    if user.pk is not None and user.pk == actor.pk:
        raise PermissionDenied("own account")
    if user.pk is not None and is_administrator(User.objects.get(pk=user.pk)):
        raise PermissionDenied("administrator account")


def one_time_password_generate(user: User) -> str:
    """Four groups of four from unambiguous letters and digits, checked against the password policy."""
    import secrets

    from django.contrib.auth.password_validation import validate_password

    while True:
        chars = [secrets.choice(alphabet) for alphabet in ONE_TIME_ALPHABETS]
        chars += [secrets.choice("".join(ONE_TIME_ALPHABETS)) for _ in range(16 - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "-".join("".join(chars[i : i + 4]) for i in range(0, 16, 4))
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def _set_one_time_password(user: User, password: str) -> None:
    user.set_password(password)
    user.must_change_password = True
    user.one_time_password_until = timezone.now() + timedelta(hours=settings.ONE_TIME_PASSWORD_HOURS)


@transaction.atomic
def account_create(*, actor: User, password: str = "", **fields) -> tuple[User, str]:
    """A new account with no role (it opens nothing) and a one-time password, typed or generated."""
    require(actor, "accounts.manage")
    unknown = set(fields) - (set(ACCOUNT_FIELDS) - {"is_active"})
    if unknown:
        raise ValueError(f"not an account field: {sorted(unknown)}")
    user = User(role="", is_staff=False, is_superuser=False, **fields)
    user.full_clean(exclude=["password"])
    password = password or one_time_password_generate(user)
    _set_one_time_password(user, password)
    user.save()
    audit(actor=actor, action="user.create", obj=user, changes=diff({}, snapshot(user, ACCOUNT_FIELDS)))
    return user, password


@transaction.atomic
def account_update(*, actor: User, user: User, **fields) -> User:
    """Name, phone, username and active flag; never role, scope, password or administrator flags."""
    require(actor, "accounts.manage")
    _editable_account(actor=actor, user=user)
    current = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(current, ACCOUNT_FIELDS)
    for name, value in fields.items():
        if name not in ACCOUNT_FIELDS:
            raise ValueError(f"not an account field: {name}")
        setattr(current, name, value)
    current.full_clean(exclude=["password"])
    current.save(update_fields=list(fields))
    changes = diff(before, snapshot(current, ACCOUNT_FIELDS))
    if changes:
        audit(actor=actor, action="user.update", obj=current, changes=changes)
    if not current.is_active:
        sessions_end_for(current)
    return current


@transaction.atomic
def account_password_reset(*, actor: User, user: User, password: str = "") -> str:
    """Set a one-time password: it expires after ONE_TIME_PASSWORD_HOURS and only opens the change form.

    The account's second factor stays: whoever holds the one-time password still needs the owner's code.
    """
    require(actor, "accounts.manage")
    _editable_account(actor=actor, user=user)
    current = User.objects.select_for_update().get(pk=user.pk)
    password = password or one_time_password_generate(current)
    _set_one_time_password(current, password)
    current.save()
    sessions_end_for(current)
    audit(
        actor=actor,
        action="user.password_reset",
        obj=current,
        changes={"one_time_password_until": [None, current.one_time_password_until.isoformat()]},
    )
    return password


def _scope_label(user: User) -> str:
    if user.workstation_id:
        return user.workstation.name
    if user.org_unit_id:
        return user.org_unit.name
    return ""


@transaction.atomic
def role_assign(*, actor: User, user: User, role: str, workstation=None, org_unit=None) -> User:
    """The security administrator gives a non-administrator role and its scope (or takes it away)."""
    from .roles import ASSIGNABLE_ROLES

    require(actor, "accounts.assign_role")
    _editable_account(actor=actor, user=user)
    if role and role not in ASSIGNABLE_ROLES:
        raise PermissionDenied("administrator role")
    current = User.objects.select_for_update().get(pk=user.pk)
    before = {**snapshot(current, ROLE_FIELDS), "scope": _scope_label(current)}
    current.role, current.workstation, current.org_unit = role, workstation, org_unit
    current.full_clean(exclude=["password"])
    current.save(update_fields=ROLE_FIELDS)
    changes = diff(before, {**snapshot(current, ROLE_FIELDS), "scope": _scope_label(current)})
    if changes:
        audit(actor=actor, action="user.role", obj=current, changes=changes)
    return current


def account_notices(*, user: User) -> list[str]:
    """What others changed on this account (role, scope, password) since the owner last saw it."""
    from django.utils.formats import date_format

    entries = AuditEntry.objects.filter(
        object_type=User._meta.label, object_id=str(user.pk), action__in=NOTICE_ACTIONS, result=AuditResult.OK
    ).exclude(actor_id=user.pk)
    if user.notices_seen_at:
        entries = entries.filter(created_at__gt=user.notices_seen_at)
    notices = []
    for entry in entries.order_by("pk"):
        role_label = label_of_role(entry.role)
        values = {
            "when": date_format(timezone.localtime(entry.created_at), "Y-m-d H:i"),
            "by": " ".join(filter(None, [role_label, entry.actor_username])),
        }
        if entry.action == "user.password_reset":
            notices.append(_("您的密码于 %(when)s 由%(by)s 重置。如非本人申请，请立即联系安全管理员。") % values)
        else:
            role = (entry.changes.get("role") or [None, None])[1]
            scope = (entry.changes.get("scope") or [None, None])[1]
            values["role"] = label_of_role(role) or _("无角色")
            values["scope"] = scope or _("无")
            notices.append(_("您的角色于 %(when)s 由%(by)s 更改为“%(role)s”（范围：%(scope)s）。") % values)
    return notices


def account_notices_seen(*, user: User) -> None:
    user.notices_seen_at = timezone.now()
    User.objects.filter(pk=user.pk).update(notices_seen_at=user.notices_seen_at)


def administrator_create(
    *, role: str, username: str, last_name: str = "", first_name: str = "", by: str
) -> tuple[User, str]:
    """`manage.py create_administrator`: the only way to an administrator account (AC-4), audited."""
    from .roles import ADMIN_ROLES

    if role not in ADMIN_ROLES:
        raise ValidationError(_("只能创建系统管理员、安全管理员或审计管理员。"))
    existing = User.objects.filter(username__iexact=username).first()
    if existing is not None:
        audit(
            actor=None,
            username=by,
            action="user.create_administrator",
            obj=existing,
            result=AuditResult.DENIED,
            changes={"role": [existing.role or None, role]},
        )
        raise ValidationError(
            _("账户 %(u)s 已存在（角色：%(r)s），不能再授予管理员角色：每个账户只能担任一种角色。")
            % {"u": existing.username, "r": existing.get_role_display() or _("无")}
        )
    with transaction.atomic():
        user = User(username=username, last_name=last_name, first_name=first_name, role=role)
        user.full_clean(exclude=["password"])
        password = one_time_password_generate(user)
        _set_one_time_password(user, password)
        user.save()
        audit(actor=None, username=by, action="user.create_administrator", obj=user, changes={"role": [None, role]})
    return user, password


@transaction.atomic
def administrator_reset(*, role: str, username: str, by: str) -> tuple[User, str]:
    """A lost administrator password: new one-time password, second factor removed (re-enrol), audited."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.select_for_update().filter(username__iexact=username).first()
    if user is None or not holds_role(user, role):
        raise ValidationError(_("没有该角色的管理员账户 %(u)s。") % {"u": username})
    password = one_time_password_generate(user)
    _set_one_time_password(user, password)
    user.save()
    sessions_end_for(user)
    devices = TOTPDevice.objects.filter(user=user)
    removed = sorted(devices.values_list("pk", flat=True))
    devices.delete()
    audit(
        actor=None,
        username=by,
        action="user.password_reset",
        obj=user,
        changes={
            "one_time_password_until": [None, user.one_time_password_until.isoformat()],
            "totp_devices": [removed, []],
        },
    )
    return user, password


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
    User.objects.filter(pk=user.pk).update(
        must_change_password=False, password_changed_at=timezone.now(), one_time_password_until=None
    )
    user.must_change_password = False
    user.one_time_password_until = None
    sessions_end_for(user, keep_session_key=session_key)
    audit(actor=user, action="user.password_change", obj=user)
