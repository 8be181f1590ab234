"""The single place that turns a user into a queryset filter (SECURITY AC-1, AC-2).

Every model that belongs to a workstation names the path to it in `scope_field`
(e.g. `scope_field = "workstation"` or `"youth__workstation"`); `Workstation` itself uses "",
`OrgUnit` uses its own `path`. Out-of-scope objects are simply absent from the queryset, so a view
that fetches through `visible_to` answers 404 and never reveals that the object exists.
"""

from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import ORG_ROLE_KIND, STATION_ROLES, OrgUnit, Workstation, subtree_q
from .roles import has_capability


class OutOfScope(Http404):
    """Raised by services when the actor may not touch the object; a view turns it into a 404."""


def station_ids(user) -> frozenset[int]:
    """The user's workstation plus those merged into it (their records stay readable, DESIGN §4)."""
    cached = getattr(user, "_scope_station_ids", None)
    if cached is not None:
        return cached
    ids: set[int] = set()
    if user.role in STATION_ROLES and user.workstation_id:
        frontier = {user.workstation_id}
        while frontier:
            ids |= frontier
            frontier = set(
                Workstation.objects.filter(merged_into__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
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
    prefix = _prefix(field)
    if user.role in STATION_ROLES:
        ids = station_ids(user)
        return Q(**{f"{prefix}pk__in": ids}) if ids else None
    if user.role in ORG_ROLE_KIND and user.org_unit_id:
        return subtree_q(f"{prefix}org_path", user.org_unit.path)
    return None


def _org_unit_q(user) -> Q | None:
    if has_capability(user, "stations.view_reference"):
        return Q()
    if user.role in ORG_ROLE_KIND and user.org_unit_id:
        return subtree_q("path", user.org_unit.path)
    if user.role in STATION_ROLES and user.workstation_id:
        path = user.workstation.org_path
        # A station user sees its own county and the units above it (names in headers), nothing beside.
        ancestors = [path[:i] for i in range(len(path) + 1) if i == len(path) or path[i] == "."]
        return Q(path__in=ancestors)
    return None


def visible_to(queryset: QuerySet, user) -> QuerySet:
    q = scope_q(user, queryset.model)
    return queryset.none() if q is None else queryset.filter(q)


def is_visible(obj, user) -> bool:
    return visible_to(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def ensure_in_scope(obj, user) -> None:
    """For services: refuse an object outside the actor's scope (AC-6: hidden write paths)."""
    if obj is None or obj.pk is None or not is_visible(obj, user):
        raise OutOfScope("object outside the user's scope")


class ScopedQuerysetMixin:
    """Views: every queryset is passed through `visible_to`, so out-of-scope objects are a 404."""

    def get_queryset(self):
        return visible_to(super().get_queryset(), self.request.user)


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
