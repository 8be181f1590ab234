"""Scoping by construction (DESIGN §4, SECURITY AC-1): during a request, a query of a
workstation-owned model that did not go through `stations.scoping` raises `ScopeError`.

Every workstation-owned model uses `ScopedManager` (`objects = ScopedManager()`). Its querysets
carry a mark: `stations.scoping` sets it (`visible_to`, `for_stations`, …), `unscoped(reason)` sets
it for the few reviewed exceptions, and a query reached from a model instance (a foreign key,
a related manager, a prefetch: Django passes the instance as a hint) counts as scoped by the
object it starts from. An unmarked queryset evaluated while `ScopeGuardMiddleware` has a request
open raises. Outside requests (management commands, migrations, Celery workers, tests' own ORM
calls) nothing is checked: there is no user whose scope could be forgotten.
"""

import sys
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.dispatch import Signal

# The only reasons an unscoped read of a workstation-owned model may give (docs/decisions.md).
# `stations/tests/test_scope_guard.py` checks that every `unscoped("…")` in the code uses one.
UNSCOPED_REASONS: dict[str, str] = {
    "scope_rule": "stations/scoping.py itself, while it works out a user's scope "
    "(the stations merged into the user's station).",
    "aggregate_figure": "named figures and totals over stations the caller has already chosen in scope; "
    "they return numbers per station, never rows.",
    "identity_match": "a person (or a station code in an import) is looked up across the province so that "
    "a match in another station becomes an error, never a view or an update (one current membership, AC-6).",
    "scope_check": "a service fetches the row it is about to check with ensure_in_scope, "
    "or locks a row it has already checked.",
    "merge_map": "which station a merged station's records count under (station ids only, no rows).",
    "station_officers": "after a roster write under the writer's scope, the stations it touched get their "
    "head and deputy names copied from the roster (names of those stations' posts only).",
    "audit_masking": "the audit log asks which logged objects are sealed now, to withhold their values (ids only).",
}

# Django's own validation asks whether a value exists anywhere in the table: uniqueness (that is what a
# unique field means) and a foreign key's target (through the base manager, which is guarded for
# `Youth`). They answer yes or no and show no row.
_UNIQUENESS_CHECKS = frozenset(
    {
        models.Model._perform_unique_checks.__code__,
        models.UniqueConstraint.validate.__code__,
        models.ForeignKey.validate.__code__,
    }
)


def _called_by_uniqueness_check() -> bool:
    frame = sys._getframe(3)
    for _depth in range(3):
        if frame is None:
            return False
        if frame.f_code in _UNIQUENESS_CHECKS:
            return True
        frame = frame.f_back
    return False


class ScopeError(RuntimeError):
    """A workstation-owned model was queried during a request without the user's scope."""


_guarding: ContextVar[bool] = ContextVar("scope_guard_active", default=False)
_unscoped_reason: ContextVar[str | None] = ContextVar("scope_guard_unscoped", default=None)


def _check_reason(reason: str) -> str:
    if reason not in UNSCOPED_REASONS:
        raise ValueError(f"unknown unscoped reason {reason!r}; add it to UNSCOPED_REASONS with a review")
    return reason


@contextmanager
def guarding():
    """Check scope marks for everything evaluated inside (the middleware wraps each request in it)."""
    token = _guarding.set(True)
    try:
        yield
    finally:
        _guarding.reset(token)


@contextmanager
def unscoped(reason: str):
    """A block whose queries may read workstation-owned rows without a user's scope, for `reason`."""
    token = _unscoped_reason.set(_check_reason(reason))
    try:
        yield
    finally:
        _unscoped_reason.reset(token)


def is_guarding() -> bool:
    return _guarding.get() and _unscoped_reason.get() is None


class ScopedQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_mark: str | None = None

    def _clone(self):
        clone = super()._clone()
        clone._scope_mark = self._scope_mark
        return clone

    def unscoped(self, reason: str):
        """This queryset may read rows outside any user's scope, for one of UNSCOPED_REASONS."""
        return mark_scoped(self, f"unscoped:{_check_reason(reason)}")

    def _check_scope(self) -> None:
        if self._scope_mark is not None or "instance" in self._hints or not is_guarding():
            return
        if _called_by_uniqueness_check():
            return
        raise ScopeError(
            f"{self.model._meta.label} was queried during a request without the user's scope: "
            "pass the queryset through stations.scoping.visible_to() (or another stations.scoping "
            "function), or give a reviewed reason with .unscoped(reason)."
        )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def count(self):
        if self._result_cache is None:
            self._check_scope()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def iterator(self, *args, **kwargs):
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scope()
        rows = super().update(**kwargs)
        _bulk_written(self)
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        _bulk_written(self)
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        _bulk_written(self)
        return rows

    def delete(self):
        self._check_scope()
        return super().delete()

    def explain(self, **kwargs):
        self._check_scope()
        return super().explain(**kwargs)


# Sent after the writes that send no model signal (update, bulk_create, bulk_update): they change what
# figures count too (stations.figure_cache listens).
bulk_written = Signal()


def _bulk_written(queryset) -> None:
    bulk_written.send(sender=queryset.model, using=queryset.db)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """The default manager of every workstation-owned model (see the module docstring)."""


def mark_scoped(queryset, mark: str):
    """For `stations.scoping` only: record how `queryset` was limited. Plain querysets pass through."""
    if isinstance(queryset, ScopedQuerySet):
        queryset = queryset._chain()
        queryset._scope_mark = mark
    return queryset


def is_scoped_model(model) -> bool:
    return isinstance(model._default_manager, ScopedManager)


class ScopeGuardMiddleware:
    """Wraps each request (view and template rendering) in `guarding()`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with guarding():
            return self.get_response(request)
