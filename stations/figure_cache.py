"""Figures of the units above the county, kept between requests (issue 15 §3, docs/decisions.md).

A province or city dashboard sums years of a whole province's records: seconds of database work that
no page can spend per request. `cached(name, *key)` keeps such a result in a `FigureSnapshot` row with the
*generation* of the figure data it was computed from: the highest `FigureChange` id. Every committed write
to data that figures read adds a `FigureChange` row (signals on those models, and the bulk paths of the
scoped querysets), so:

- a snapshot whose generation is still the newest is exact, and served as is;
- a snapshot older than the data is served with its time ("数据截至 …") while one background job
  recomputes it: at most once every `FIGURE_SNAPSHOT_REFRESH_SECONDS` per snapshot (a province's
  stations write all day; a province dashboard costs seconds), however old the snapshot (the first
  visitor of the morning is not made to wait for it); only when a refresh queued
  `FIGURE_SNAPSHOT_WORKER_WAIT_SECONDS` ago has still not been done (no worker is doing it) does the
  request compute the snapshot itself;
- without a broker (development, tests) a stale snapshot is recomputed in the request: always exact;
- inside a transaction that has written figure data the cache is bypassed (read your own writes).

A builder is a module-level function marked `@builder`, called with ints and strings only, so a Celery
worker can recompute a snapshot from its dotted name and key alone. It returns figures, never a person.
"""

import hashlib
import pickle
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .models import FigureChange, FigureSnapshot
from .scope_guard import bulk_written

# Apps whose data figures read, and the models among them that no figure reads (they change on every
# sign-in, notification or export, and would void every snapshot for nothing).
FIGURE_APPS = {"stations", "volunteers", "mentoring", "activities", "inspections"}
NOT_FIGURE_DATA = {
    "stations.User",
    "stations.PasswordHistory",
    "stations.AuditEntry",
    "stations.ExportJob",
    "stations.ImportMapping",
    "stations.Notification",
    "stations.FigureChange",
    "stations.FigureSnapshot",
}
PRUNE_EVERY = 500  # every 500th change deletes the rows before it


class Cached:
    """A cached result and how old it is: `as_of` is when it was computed; `stale` when newer data exists
    (a refresh is then under way). A stored snapshot's value is unpickled when first read: a page whose
    rendering is kept (`rendered`) does not read it."""

    def __init__(self, value: Any, as_of: datetime, stale: bool = False):
        self.as_of, self.stale = as_of, stale
        if value is not _STORED:
            self.value = value

    @classmethod
    def stored(cls, snapshot: FigureSnapshot, *, stale: bool = False) -> "Cached":
        cached = cls(_STORED, snapshot.computed_at, stale)
        cached._data = snapshot.data
        return cached

    @cached_property
    def value(self) -> Any:
        return pickle.loads(self._data)  # noqa: S301 - our own rows


_STORED = object()


def rendered(as_of: Cached, template_name: str, *key) -> str:
    """The HTML of `template_name` over a kept value, rendered once per snapshot (its time is in the key)
    and process: a province's tables are thousands of cells, the same for every visitor of the unit until
    the snapshot changes. Rendered without the request: nothing of the visitor enters the shared HTML."""
    full_key = "rendered:" + _key(template_name, (*key, as_of.as_of.isoformat(), get_language()))
    html = cache.get(full_key)
    if html is None:
        html = render_to_string(template_name, as_of.value)
        cache.set(full_key, html, timeout=RENDERED_SECONDS)
    return mark_safe(html)  # rendered by our template, which escaped what it shows


RENDERED_SECONDS = 24 * 3600


def builder(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark `func(*key)` as a builder of snapshots (the worker refuses to run anything else)."""
    func.figure_snapshot_builder = True
    return func


def _name(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def _builder(name: str) -> Callable[..., Any]:
    func = import_string(name)
    if not getattr(func, "figure_snapshot_builder", False):
        raise ValueError(f"{name} is not a figure snapshot builder")
    return func


# --- the generation ---------------------------------------------------------------------------------


def is_figure_data(model) -> bool:
    return model._meta.app_label in FIGURE_APPS and model._meta.label not in NOT_FIGURE_DATA


def figures_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that figure data changed: at commit, or now outside a transaction."""
    connection = connections[using]
    if not connection.in_atomic_block:
        _bump(using)
        return
    connection.figures_dirty = True
    if not any(getattr(func, "figure_bump", False) for _sids, func, _robust in connection.run_on_commit):
        bump = lambda: _bump(using)  # noqa: E731
        bump.figure_bump = True
        transaction.on_commit(bump, using=using)


def _bump(using: str) -> None:
    connections[using].figures_dirty = False
    change = FigureChange.objects.using(using).create()
    if change.pk % PRUNE_EVERY == 0:
        FigureChange.objects.using(using).filter(pk__lt=change.pk).delete()


def generation() -> int:
    return FigureChange.objects.aggregate(n=Max("pk"))["n"] or 0


def _on_save(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    figures_changed(using)


def _on_m2m(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        figures_changed(using)


def _on_bulk(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if is_figure_data(sender):
        figures_changed(using)


def connect_signals() -> None:
    """Watch every model figures read (called once the app registry is ready)."""
    from django.apps import apps

    bulk_written.connect(_on_bulk, dispatch_uid="figure_cache_bulk")
    for model in apps.get_models():
        if not is_figure_data(model):
            continue
        post_save.connect(_on_save, sender=model, dispatch_uid=f"figure_cache_save_{model._meta.label}")
        post_delete.connect(_on_save, sender=model, dispatch_uid=f"figure_cache_delete_{model._meta.label}")
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"figure_cache_m2m_{through._meta.label}")


# --- reading ----------------------------------------------------------------------------------------


def _key(name: str, key: tuple) -> str:
    return ":".join([name, *map(str, key)])


def _own_writes_pending() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        connection.figures_dirty = False
        return False
    return getattr(connection, "figures_dirty", False)


def _eager() -> bool:
    return settings.CELERY_TASK_ALWAYS_EAGER


def cached(build: Callable[..., Any], *key) -> Cached:
    """`build(*key)`, from its snapshot when that is current (see the module)."""
    name = _name(build)
    _builder(name)  # a worker can find it by that name, and it is marked as a builder
    if _own_writes_pending():
        return Cached(build(*key), timezone.now())
    current = generation()
    snapshot = FigureSnapshot.objects.filter(key=_key(name, key)).first()
    if snapshot is not None:
        if snapshot.generation >= current:
            return Cached.stored(snapshot)
        now = timezone.now()
        queued = snapshot.refresh_queued_at
        wait = timedelta(seconds=settings.FIGURE_SNAPSHOT_WORKER_WAIT_SECONDS)
        if not _eager() and (queued is None or now - queued < wait):
            if now - snapshot.computed_at >= timedelta(seconds=settings.FIGURE_SNAPSHOT_REFRESH_SECONDS):
                _queue_refresh(snapshot, name, key)
            return Cached.stored(snapshot, stale=True)
    return _compute_once(name, key, current)


def refresh(name: str, key: list) -> None:
    """Recompute one snapshot (the background job of a stale one)."""
    _compute_once(name, tuple(key), generation())


def _compute_once(name: str, key: tuple, at_generation: int) -> Cached:
    """Compute a snapshot, one process at a time: when a dashboard's snapshot is missing, the requests that
    arrive while it is computed wait (asleep, on a PostgreSQL advisory lock) and take the result instead of
    computing the same seconds of aggregates side by side (the load test's cold start: a dozen province
    dashboards at once held both cores for half a minute)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return _compute(name, key, at_generation)
    full_key = _key(name, key)
    lock = _lock_id(full_key)
    # a session lock, not a transaction's: the build runs outside any transaction, so its reads may go to
    # the replica (stations.replica reads the primary inside one) and its snapshot commits before we let go
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
    try:
        done = FigureSnapshot.objects.filter(key=full_key, generation__gte=at_generation).first()
        if done is not None:  # computed by whoever held the lock before us
            return Cached.stored(done)
        return _compute(name, key, at_generation)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])


def _lock_id(full_key: str) -> int:
    """The advisory lock of one snapshot: 64 bits of a hash of its key."""
    return int.from_bytes(hashlib.blake2b(full_key.encode(), digest_size=8).digest(), "big", signed=True)


def _compute(name: str, key: tuple, at_generation: int) -> Cached:
    """Build and store; the generation is read before building, so a write during the build leaves the
    snapshot one generation behind (recomputed next time), never ahead of its data. The result carries the
    stored time: the page that computed it shows the time the next pages show (and keys what they keep)."""
    start = time.perf_counter()
    value = _builder(name)(*key)
    computed_at = timezone.now()
    FigureSnapshot.objects.bulk_create(
        [
            FigureSnapshot(
                key=_key(name, key),
                generation=at_generation,
                computed_at=computed_at,
                seconds=time.perf_counter() - start,
                data=pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
                refresh_queued_at=None,
            )
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["generation", "computed_at", "seconds", "data", "refresh_queued_at"],
    )
    return Cached(value, computed_at)


REFRESH_TASK = "stations.tasks.refresh_figure_snapshot"  # stations.reports.tasks


def _queue_refresh(snapshot: FigureSnapshot, name: str, key: tuple) -> None:
    """Queue one refresh per snapshot: a queued one older than the job time limit counts as lost."""
    now = timezone.now()
    lost = now - timedelta(seconds=settings.EXPORT_JOB_TIME_LIMIT)
    claimed = (
        FigureSnapshot.objects.filter(pk=snapshot.pk, generation=snapshot.generation)
        .exclude(refresh_queued_at__gt=lost)
        .update(refresh_queued_at=now)
    )
    if claimed:
        current_app.send_task(REFRESH_TASK, args=[name, list(key)])
