"""Reads of the stations app: scoped querysets and small aggregates. Views call these, not the ORM."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from .forms import CONTROL_CHARS
from .models import (
    Funding,
    OrgKind,
    OrgUnit,
    StationStatus,
    SystemDocument,
    User,
    Workstation,
    WorkSystem,
)
from .scoping import for_stations, visible_to


def org_unit_list(*, user, kind: str | None = None) -> QuerySet[OrgUnit]:
    qs = visible_to(OrgUnit.objects.all(), user)
    return qs.filter(kind=kind) if kind else qs


def station_search(*, user, term: str, limit: int = 20) -> list[Workstation]:
    """Stations in scope whose code or name contains `term` (the station filters' search-as-you-type):
    at most `limit`, codes that start with the term first."""
    term = CONTROL_CHARS.sub("", term).strip()[:50]  # typed text only (PostgreSQL refuses NUL bytes)
    if not term:
        return []
    qs = visible_to(Workstation.objects.all(), user).filter(Q(code__icontains=term) | Q(name__icontains=term))
    rows = list(qs.select_related("county").order_by("org_path", "code")[: limit * 3])
    rows.sort(key=lambda s: (not s.code.upper().startswith(term.upper()), s.org_path, s.code))
    return rows[:limit]


def workstation_list(*, user) -> QuerySet[Workstation]:
    """Workstations in the user's scope with county and city joined (a fixed number of queries); list
    filters are `stations.filters.WorkstationFilterSet`."""
    qs = visible_to(Workstation.objects.all(), user).select_related("county", "county__parent", "merged_into")
    return qs.order_by("org_path", "code")


def workstation_get(*, user, pk: int) -> Workstation:
    """One workstation in scope, with its profile children; Http404 when out of scope."""
    from django.shortcuts import get_object_or_404

    qs = workstation_list(user=user).prefetch_related(
        Prefetch("system_documents", queryset=SystemDocument.objects.order_by("system")),
        Prefetch("fundings", queryset=Funding.objects.order_by("-year")),
        "name_history",
        "merged",
    )
    return get_object_or_404(qs, pk=pk)


def system_document_status(workstation: Workstation) -> list[dict]:
    """The six systems in order, each with its document (or None when missing)."""
    documents = {doc.system: doc for doc in workstation.system_documents.all()}
    rows = []
    for value, label in WorkSystem.choices:
        doc = documents.get(value)
        rows.append({"system": value, "label": label, "document": doc if doc and doc.on_file else None})
    return rows


def workstation_status_counts(*, user) -> dict[str, int]:
    rows = visible_to(Workstation.objects.all(), user).values("status").annotate(n=Count("pk"))
    counts = {value: 0 for value in StationStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def counting_station_ids(*, on: date) -> dict[int, int]:
    """Merged stations → the station their records count under on `on` (merge date onwards).

    Records stay attached to the old station (history), reports add them to the successor.
    """
    merged = dict(
        Workstation.objects.unscoped("merge_map")
        .filter(status=StationStatus.MERGED, merged_into__isnull=False, status_changed_on__lte=on)
        .values_list("pk", "merged_into_id")
    )
    resolved = {}
    for source in merged:
        target = merged[source]
        seen = {source}
        while target in merged and target not in seen:
            seen.add(target)
            target = merged[target]
        resolved[source] = target
    return resolved


def user_list(*, user, filters: dict | None = None) -> QuerySet[User]:
    from .roles import require

    require(user, "accounts.view")
    qs = User.objects.select_related("org_unit", "workstation").order_by("username")
    filters = filters or {}
    if term := (filters.get("q") or "").strip():
        qs = qs.filter(Q(username__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term))
    if role := filters.get("role"):
        qs = qs.filter(role=role)
    return qs


def editable_accounts(*, user) -> QuerySet[User]:
    """Accounts an account administrator may change: never an administrator's, never their own (AC-4)."""
    from .roles import ADMIN_ROLES, require

    require(user, "accounts.view")
    return User.objects.exclude(role__in=ADMIN_ROLES).exclude(is_superuser=True).exclude(pk=user.pk)


def editable_account_ids(*, user, among: list[int]) -> set[int]:
    return set(editable_accounts(user=user).filter(pk__in=among).values_list("pk", flat=True))


def county_units(*, user) -> QuerySet[OrgUnit]:
    return org_unit_list(user=user, kind=OrgKind.COUNTY).select_related("parent")


def deferred_due_for_review(*, user, on: date) -> QuerySet[Workstation]:
    """Deferred (缓建) stations whose review date has come (DOMAIN §2: review after 12 months)."""
    return workstation_list(user=user).filter(status=StationStatus.DEFERRED, review_on__lte=on)


def active_stations(*, user) -> list[Workstation]:
    """The active stations in scope, with county and city, in registry order: read once per request (kept on
    the user) for the home page's panels, which each check them (documents, staffing, coverage)."""
    kept = getattr(user, "_active_stations", None)
    if kept is None:
        kept = user._active_stations = list(workstation_list(user=user).filter(status=StationStatus.ACTIVE))
    return kept


def missing_system_documents(*, user) -> list[tuple[Workstation, list[str]]]:
    """Active stations in scope with rule documents missing, and which ones (two queries)."""
    stations = active_stations(user=user)
    on_file: dict[int, set[str]] = {}
    documents = for_stations(SystemDocument.objects.filter(document__gt=""), [s.pk for s in stations])
    for station_id, system in documents.values_list("workstation_id", "system"):
        on_file.setdefault(station_id, set()).add(system)
    labels = dict(WorkSystem.choices)
    return [
        (station, [labels[s] for s in WorkSystem.values if s not in on_file.get(station.pk, set())])
        for station in stations
        if len(on_file.get(station.pk, set())) < len(WorkSystem.values)
    ]


def system_document_get(*, station: Workstation, system: str):
    """A station's document of one working system (`station` from `workstation_get`, prefetched), or None."""
    return next((d for d in station.system_documents.all() if d.system == system), None)
