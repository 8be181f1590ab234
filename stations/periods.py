"""Period locking (DESIGN §6): every app's write services call `ensure_period_open` first."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit.log import audit
from .models import PeriodLock, User, Workstation
from .roles import require
from .scoping import ensure_in_scope, for_station


def is_locked(*, workstation: Workstation | int, year: int) -> bool:
    station_id = workstation if isinstance(workstation, int) else workstation.pk
    return for_station(PeriodLock.objects.filter(year=year, is_locked=True), station_id).exists()


def ensure_period_open(*, workstation: Workstation | int, on: date, field: str | None = None) -> None:
    """Refuse a write dated in a year whose checklist is submitted (message next to `field` if given)."""
    if on is not None and is_locked(workstation=workstation, year=on.year):
        message = _("%(year)d 年度台账已提交并锁定，不能再修改该年度的记录；如需更正请联系县级关工委重新开放。") % {
            "year": on.year
        }
        raise ValidationError({field: message} if field else message, code="period_locked")


@transaction.atomic
def period_lock(*, actor: User, workstation: Workstation, year: int) -> PeriodLock:
    """Called when the station head submits the year's checklist."""
    require(actor, "checklist.submit")
    ensure_in_scope(workstation, actor)
    lock, _created = for_station(PeriodLock.objects.all(), workstation).update_or_create(
        workstation=workstation,
        year=year,
        defaults={"is_locked": True, "locked_at": timezone.now(), "locked_by": actor},
    )
    audit(actor=actor, action="period.lock", obj=workstation, changes={"year": [None, year]})
    return lock


@transaction.atomic
def period_reopen(*, actor: User, workstation: Workstation, year: int, reason: str) -> PeriodLock:
    """The county reopens a locked year, with a logged reason."""
    require(actor, "checklist.reopen")
    ensure_in_scope(workstation, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写重新开放的原因")})
    lock = (
        PeriodLock.objects.unscoped("scope_check")
        .select_for_update()
        .filter(workstation=workstation, year=year, is_locked=True)
        .first()
    )
    if lock is None:
        raise ValidationError(_("该年度未锁定"))
    lock.is_locked = False
    lock.reopened_at = timezone.now()
    lock.reopened_by = actor
    lock.reopen_reason = reason
    lock.save()
    audit(actor=actor, action="period.reopen", obj=workstation, changes={"year": [year, None]}, reason=reason)
    return lock
