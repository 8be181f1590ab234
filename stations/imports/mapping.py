"""The column-mapping step: which column of the file holds which field. Suggested from the station's
remembered choice for the same header, then from the fields' names; the user corrects it; a confirmed
import remembers it for the station's next file of the same kind."""

from django.db import transaction
from django.utils.translation import gettext as _

from stations.models import ImportMapping
from stations.roles import works_at_station
from stations.scoping import for_station

from .reader import Field, Sheet, header_key


def _station_of(user) -> int | None:
    return user.workstation_id if works_at_station(user) else None


def mapping_remembered(*, user, kind: str) -> dict[str, str]:
    """The user's station's remembered choices: header key → field key ("" for a column left out)."""
    station = _station_of(user)
    if station is None:
        return {}
    found = for_station(ImportMapping.objects.filter(kind=kind), station).first()
    return dict(found.columns) if found else {}


def suggest(sheet: Sheet, fields, remembered: dict[str, str]) -> dict[int, str]:
    """Column position → field key; each field at most once, the leftmost column wins."""
    keys = {f.key for f in fields}
    names = {name: f.key for f in fields for name in f.names}
    result: dict[int, str] = {}
    taken: set[str] = set()
    for position, header in enumerate(sheet.headers):
        key = header_key(header)
        if not key:
            continue
        choice = remembered.get(key) if key in remembered else names.get(key)
        if choice and choice in keys and choice not in taken:
            result[position] = choice
            taken.add(choice)
    return result


def check(mapping: dict[int, str], fields, *, optional: set[str] = frozenset()) -> list[str]:
    """Chinese messages for a mapping that cannot be used: a field chosen twice, a required field missing."""
    by_key = {f.key: f for f in fields}
    messages, seen = [], set()
    for key in mapping.values():
        if key in seen:
            messages.append(_("“%(label)s”对应了多列，请只选一列。") % {"label": by_key[key].label})
        seen.add(key)
    missing = [f.label for f in fields if f.required and f.key not in seen and f.key not in optional]
    if missing:
        messages.append(_("表头缺少必填列：%(cols)s。请在下面为它们选择对应的列。") % {"cols": "、".join(missing)})
    return messages


def from_post(data, sheet: Sheet, fields: list[Field]) -> dict[int, str]:
    """The mapping as posted by the mapping form (`col-<position>` = field key or "")."""
    keys = {f.key for f in fields}
    result = {}
    for position in range(len(sheet.headers)):
        value = data.get(f"col-{position}", "")
        if value in keys:
            result[position] = value
    return result


@transaction.atomic
def mapping_remember(*, actor, kind: str, sheet: Sheet, mapping: dict[int, str]) -> None:
    """Keep the confirmed choices of the actor's station for its next file (other headers kept too)."""
    station = _station_of(actor)
    if station is None:
        return
    found = for_station(ImportMapping.objects.select_for_update().filter(kind=kind), station).first()
    columns = dict(found.columns) if found else {}
    for position, header in enumerate(sheet.headers):
        key = header_key(header)
        if key:
            columns[key] = mapping.get(position, "")
    if found is None:
        ImportMapping.objects.create(workstation_id=station, kind=kind, columns=columns, updated_by=actor)
    else:
        found.columns, found.updated_by = columns, actor
        found.save(update_fields=["columns", "updated_by", "updated_at"])
