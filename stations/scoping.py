"""The single place that turns a user into a queryset filter (SECURITY AC-1, AC-2).

Every model that belongs to a workstation names the path to it in `scope_field`
(e.g. `scope_field = "workstation"` or `"youth__workstation"`); `Workstation` itself uses "",
`OrgUnit` uses its own `path`. Out-of-scope objects are simply absent from the queryset, so a view
that fetches through `visible_to` answers 404 and never reveals that the object exists.

Every scope rule lives here; each function that returns a queryset marks it as scoped, so the
request guard (`stations.scope_guard`) lets it through. Other apps call these functions and never
build a scope filter of their own.
"""

from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import OrgKind, OrgUnit, StationStatus, Workstation, subtree_q
from .roles import has_capability, supervises_org_unit, works_at_station
from .scope_guard import ScopedQuerySet, mark_scoped


class OutOfScope(Http404):
    """Raised by services when the actor may not touch the object; a view turns it into a 404."""


def station_ids(user) -> frozenset[int]:
    """The user's workstation plus those merged into it (their records stay readable, DESIGN §4)."""
    cached = getattr(user, "_scope_station_ids", None)
    if cached is not None:
        return cached
    ids: set[int] = set()
    if works_at_station(user):
        frontier = {user.workstation_id}
        while frontier:
            ids |= frontier
            frontier = set(
                Workstation.objects.unscoped("scope_rule")
                .filter(merged_into__in=frontier)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
    user._scope_station_ids = frozenset(ids)
    return user._scope_station_ids


def _prefix(field: str) -> str:
    return f"{field}__" if field else ""


def scope_q(user, model) -> Q | None:
    """A Q that limits `model` to what `user` may see, or None when the user sees nothing of it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if model is OrgUnit:
        return _org_unit_q(user)
    field = getattr(model, "scope_field", None)
    if field is None:
        raise TypeError(f"{model.__name__} has no scope_field: it cannot be scoped")
    if model is Workstation and has_capability(user, "stations.view_reference"):
        return Q()  # the system administrator assigns accounts to stations (reference data only)
    return _stations_q(user, field)


def _stations_q(user, field: str) -> Q | None:
    """The user's stations, reached through `field` (a path to a Workstation; "" for Workstation)."""
    prefix = _prefix(field)
    if works_at_station(user):
        ids = station_ids(user)
        return Q(**{f"{prefix}pk__in": ids}) if ids else None
    if supervises_org_unit(user):
        return subtree_q(f"{prefix}org_path", user.org_unit.path)
    return None


def _org_unit_q(user) -> Q | None:
    if has_capability(user, "stations.view_reference"):
        return Q()
    if supervises_org_unit(user):
        return subtree_q("path", user.org_unit.path)
    if works_at_station(user):
        path = user.workstation.org_path
        # A station user sees its own county and the units above it (names in headers), nothing beside.
        ancestors = [path[:i] for i in range(len(path) + 1) if i == len(path) or path[i] == "."]
        return Q(path__in=ancestors)
    return None


def visible_to(queryset: QuerySet, user) -> QuerySet:
    q = scope_q(user, queryset.model)
    return mark_scoped(queryset.none() if q is None else queryset.filter(q), "visible_to")


def shared_scope_q(user, model, *, shared_field: str) -> Q | None:
    """Rows shared with a station in scope through the many-to-many `shared_field` (a joint activity is
    visible to every participating station).

    The owning station is always one of the linked stations (`activities.services` sets the links to the
    organiser plus its partners), so the link table alone decides: `pk IN (SELECT … FROM link WHERE
    workstation_id IN …)` uses the link's station index and a station's page reads only that station's
    rows, whatever the size of the province (an `owner IN … OR pk IN …` filter could use no index)."""
    if scope_q(user, model) is None:
        return None
    relation = model._meta.get_field(shared_field)
    through = relation.remote_field.through
    ids = scope_station_ids(user)
    if ids is None:
        return scope_q(user, model)
    shared = through._default_manager.filter(**{f"{relation.m2m_reverse_field_name()}_id__in": ids})
    return Q(pk__in=shared.values(relation.m2m_field_name()))


def scope_station_ids(user) -> list[int] | None:
    """The ids of the stations a station user or a unit's officer sees, read once per request (kept on the
    user), or None for any other account. A list, which the planner estimates from a link table's
    statistics. (A supervisor's subtree as a join or subquery on `org_path` inside the link subquery made
    PostgreSQL scan every activity of the province for a county's 3,000: 173 ms against 68 ms.)"""
    if works_at_station(user):
        return sorted(station_ids(user))
    if not supervises_org_unit(user):
        return None
    cached = getattr(user, "_scope_subtree_ids", None)
    if cached is None:
        stations = Workstation.objects.unscoped("scope_rule").filter(subtree_q("org_path", user.org_unit.path))
        cached = user._scope_subtree_ids = list(stations.order_by("pk").values_list("pk", flat=True))
    return cached


def visible_or_shared(queryset: QuerySet, user, *, shared_field: str) -> QuerySet:
    """`visible_to`, widened to rows shared with the user's stations (see `shared_scope_q`)."""
    q = shared_scope_q(user, queryset.model, shared_field=shared_field)
    return mark_scoped(queryset.none() if q is None else queryset.filter(q), "visible_or_shared")


def within(queryset: QuerySet, field: str, parents: QuerySet) -> QuerySet:
    """Rows whose `field` points into `parents`, a queryset already limited by this module
    (e.g. the attachments of the activities a user may see)."""
    if isinstance(parents, ScopedQuerySet) and parents._scope_mark is None:
        raise TypeError("within() needs parents limited by stations.scoping")
    return mark_scoped(queryset.filter(**{f"{field}__in": parents.values("pk")}), "within")


def for_stations(
    queryset: QuerySet, station_ids, *, shared_field: str | None = None, shared_filter: dict | None = None
) -> QuerySet:
    """Rows of the given stations only: figures over stations the caller already chose in scope
    (the ids come from `visible_to(Workstation…)` or from a report the user may open).

    With `shared_field` (a many-to-many to Workstation), rows in which any of the stations takes part
    (a joint activity counts for every participating station). `shared_filter` puts conditions on the
    rows inside that link subquery (lookups from the link model, e.g. `activity__held_on__range`): with
    the conditions there rather than on the outer query, the planner starts from the stations' own rows
    instead of walking an index over the whole province's and testing each against the stations."""
    ids = list(station_ids)
    if shared_field is None:
        lookup = f"{_prefix(queryset.model.scope_field)}pk__in"
        return mark_scoped(queryset.filter(**{lookup: ids}), "for_stations")
    relation = queryset.model._meta.get_field(shared_field)
    through = relation.remote_field.through._default_manager.filter(
        **{f"{relation.m2m_reverse_field_name()}__in": ids}, **(shared_filter or {})
    ).values(relation.m2m_field_name())
    return mark_scoped(queryset.filter(pk__in=through), "for_stations")


def for_station(queryset: QuerySet, station: Workstation | int) -> QuerySet:
    """Rows of one station the caller already holds in scope (its page, its report, its lock)."""
    return for_stations(queryset, [station if isinstance(station, int) else station.pk])


def stations_under(unit: OrgUnit) -> QuerySet:
    """The workstations of `unit`'s subtree; the caller got `unit` through `visible_to(OrgUnit…)`."""
    return mark_scoped(Workstation.objects.filter(subtree_q("org_path", unit.path)), "stations_under")


def partner_stations(workstation: Workstation) -> QuerySet:
    """The stations a joint activity of `workstation` may name as partners: the other active stations
    of its county, which lie outside a station user's scope (their names only)."""
    stations = Workstation.objects.filter(county_id=workstation.county_id, status=StationStatus.ACTIVE)
    return mark_scoped(stations.exclude(pk=workstation.pk), "partner_stations")


def in_province_of(queryset: QuerySet, workstation: Workstation) -> QuerySet:
    """Rows of every station in `workstation`'s province. Only for counts shown to that station
    (the duplicate-file warning at intake): never rows, never names (docs/decisions.md)."""
    province_path = workstation.org_path.split(".")[0]
    q = subtree_q(f"{_prefix(queryset.model.scope_field)}org_path", province_path)
    return mark_scoped(queryset.filter(q), "in_province_of")


def province_of(user) -> OrgUnit | None:
    """The province above (or at) the user's scope: a station or county user sees its province's award."""
    if works_at_station(user):
        unit = user.workstation.county
    elif supervises_org_unit(user):
        unit = user.org_unit
    else:
        return None
    return unit.ancestor(OrgKind.PROVINCE) if unit else None


def is_visible(obj, user) -> bool:
    return visible_to(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def ensure_in_scope(obj, user) -> None:
    """For services: refuse an object outside the actor's scope (AC-6: hidden write paths)."""
    if obj is None or obj.pk is None or not is_visible(obj, user):
        raise OutOfScope("object outside the user's scope")


class ScopedFormMixin:
    """Forms: every model choice field offers only objects in the user's scope.

    A foreign id posted anyway is then a normal field error ("选择一个有效的选项"), never a write.
    """

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = visible_to(field.queryset, user)
