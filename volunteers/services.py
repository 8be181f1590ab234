"""Writes of the volunteers app. `service_log_add` / `service_log_sync` are the service-hours ledger that
activities and mentoring call (DESIGN §2: the lower app offers a service, the higher app calls it)."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from stations.audit import audit
from stations.periods import ensure_period_open
from stations.roles import require
from stations.scoping import ensure_in_scope

from .models import ServiceKind, ServiceLog, Volunteer


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
    existing = ServiceLog.objects.filter(source_type=source_type, source_id=source.pk).select_related("volunteer")
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
