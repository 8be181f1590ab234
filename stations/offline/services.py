"""Applying one offline entry: the kind's own form and service inside a transaction, recorded under the
device's id so that a resend (the phone never heard the answer) returns the first result."""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from stations.roles import require

from .models import OfflineSubmission
from .registry import KINDS, Conflict


@dataclass
class Outcome:
    status: int
    body: dict = field(default_factory=dict)


def _query_dict(fields: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in (fields or {}).items():
        if isinstance(value, list):
            data.setlist(str(name), [str(v) for v in value])
        elif value is not None:
            data[str(name)] = str(value)
    return data


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: list(messages) for name, messages in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def _known(actor, client_id) -> Outcome | None:
    done = OfflineSubmission.objects.filter(user=actor, client_id=client_id).first()
    if done is None:
        return None
    return Outcome(200, {"state": "applied", "object_id": done.object_id, "message": done.message, "repeat": True})


def submission_apply(*, actor, client_id: str, kind: str, object_id, fields: dict, base_version=None) -> Outcome:
    """201 applied, 200 applied before (same device id), 409 conflict, 422 refused with reasons,
    403 not allowed, 404 out of scope (the object's existence is not revealed)."""
    require(actor, "offline.use")
    try:
        client_id = uuid.UUID(str(client_id))
    except ValueError:
        return Outcome(400, {"state": "refused", "errors": {"__all__": [_("设备记录编号无效")]}})
    spec = KINDS.get(kind)
    if spec is None:
        return Outcome(400, {"state": "refused", "errors": {"__all__": [_("不支持的离线录入类型")]}})
    if known := _known(actor, client_id):
        return known
    try:
        require(actor, spec.capability)
        with transaction.atomic():
            applied = spec.apply(actor, object_id, _query_dict(fields), base_version)
            OfflineSubmission.objects.create(
                user=actor, client_id=client_id, kind=kind, object_id=applied.object_id, message=applied.message[:300]
            )
    except IntegrityError:
        # the same entry arrived twice at once: the first one's transaction won, this one rolled back
        if known := _known(actor, client_id):
            return known
        raise
    except Conflict as exc:
        return Outcome(409, {"state": "conflict", "version": exc.version, "current": exc.current})
    except PermissionDenied:
        return Outcome(403, {"state": "refused", "errors": {"__all__": [_("您没有权限办理这项录入")]}})
    except Http404:
        return Outcome(404, {"state": "refused", "errors": {"__all__": [_("该记录不存在或不在您的管辖范围内")]}})
    except ValidationError as exc:
        return Outcome(422, {"state": "refused", "errors": _errors(exc)})
    return Outcome(201, {"state": "applied", "object_id": applied.object_id, "message": applied.message})
