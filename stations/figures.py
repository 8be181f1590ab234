"""Named figures: the registry that lets checklists and summaries use any app's numbers by key.

An app that owns data registers bulk selectors here (in its AppConfig.ready, via `<app>/figures.py`):

    @figure("activities.sessions", label="活动场次", unit="场", order=300)
    def sessions(*, station_ids, period):
        return {station_id: n, ...}          # one query for all stations, missing ids count as 0

Checklist items name a figure key as their computed source; the yearly summary makes one column per
figure. `stations` knows no other app: the dependency still points upwards only through registration.

Additivity: `additive=True` figures can be summed over stations to give a county/city/province total.
A figure that is not additive (a rate, a count of distinct people across stations, a joint activity
counted once per county) supplies `total(*, station_ids, period)` for any set of stations.
"""

import calendar
import functools
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise

from .scope_guard import unscoped


@dataclass(frozen=True)
class Period:
    """A calendar year or one of its halves (DESIGN §6); a month only for charts (`Period.of_month`)."""

    year: int
    half: int | None = None  # 1 = Jan–Jun, 2 = Jul–Dec, None = whole year
    month: int | None = None  # 1–12: one month (figures use start/end, so every figure works per month)

    @classmethod
    def of_month(cls, year: int, month: int) -> "Period":
        return cls(year, month=month)

    @property
    def start(self) -> date:
        if self.month:
            return date(self.year, self.month, 1)
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end(self) -> date:
        if self.month:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        if self.month:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年" + {None: "", 1: "上半年", 2: "下半年"}[self.half]

    def previous(self) -> "Period":
        if self.month:
            return Period.of_month(self.year - 1, 12) if self.month == 1 else Period.of_month(self.year, self.month - 1)
        if self.half is None:
            return Period(self.year - 1)
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def parse(cls, value: str) -> "Period":
        """'2025' → the year, '2025H1' / '2025H2' → a half; ValueError otherwise."""
        value = (value or "").strip().upper()
        if len(value) == 4 and value.isdigit():
            return cls(int(value))
        if len(value) == 6 and value[:4].isdigit() and value[4] == "H" and value[5] in "12":
            return cls(int(value[:4]), int(value[5]))
        raise ValueError(f"not a period: {value!r}")

    def __str__(self):
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}" + (f"H{self.half}" if self.half else "")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    unit: str | Promise
    order: int
    per_station: Callable[..., dict[int, float]]
    additive: bool = True
    total: Callable[..., float] | None = None
    group: str | Promise = ""
    # URL name of the list behind the figure; dashboards append ?period=<Period>&org=<OrgUnit id>
    link: str = ""
    # Non-additive figures: totals of many station sets at once, in a fixed number of queries
    # (`(*, groups: {key: [station ids]}, period) -> {key: value}`); without it, one `total` per set.
    total_many: Callable[..., dict] | None = None
    # Extra query parameters that make the linked list hold exactly the figure's rows (its definition:
    # a member type, "on the roll at period end", "overdue"…), as (name, value) pairs; the property test
    # tests/test_figure_agreement.py holds every linked figure to its list's row count.
    link_query: tuple[tuple[str, str], ...] = ()
    # False for figures where a rise is bad news (re-offending, overdue, open rectifications…): pages that
    # show a change colour it by this, not by its sign.
    higher_is_better: bool = True

    def change_meaning(self, change: float) -> str:
        """What a change of the figure by `change` means: "better", "worse" or "same"."""
        if not change:
            return "same"
        return "better" if (change > 0) == self.higher_is_better else "worse"

    def for_stations(self, *, station_ids: Iterable[int], period: Period) -> dict[int, float]:
        ids = list(station_ids)
        values = self.per_station(station_ids=ids, period=period)
        return {station_id: values.get(station_id, 0) for station_id in ids}

    def total_for(self, *, station_ids: Iterable[int], period: Period, per_station: dict | None = None):
        ids = list(station_ids)
        if self.total is not None:
            return self.total(station_ids=ids, period=period)
        values = per_station if per_station is not None else self.for_stations(station_ids=ids, period=period)
        return sum(values.get(station_id, 0) for station_id in ids)

    def totals_for_groups(self, *, groups: dict, period: Period) -> dict:
        """Totals for many sets of stations (e.g. every county and city of a summary)."""
        if self.total_many is not None:
            return self.total_many(groups=groups, period=period)
        if self.additive:
            values = self.for_stations(station_ids={i for ids in groups.values() for i in ids}, period=period)
            return {key: sum(values.get(i, 0) for i in ids) for key, ids in groups.items()}
        return {key: self.total_for(station_ids=ids, period=period) for key, ids in groups.items()}


FIGURES: dict[str, Figure] = {}


def figure(
    key: str,
    *,
    label,
    unit="",
    order=1000,
    additive=True,
    total=None,
    group="",
    link="",
    total_many=None,
    link_query: dict | None = None,
    higher_is_better=True,
):
    """Register a bulk selector as a named figure (see module docstring)."""

    def decorator(func):
        if key in FIGURES and FIGURES[key].per_station.__wrapped__ is not func:
            raise ValueError(f"figure {key!r} registered twice")
        FIGURES[key] = Figure(
            key,
            label,
            unit,
            order,
            _aggregate(func),
            additive,
            _aggregate(total),
            group,
            link,
            _aggregate(total_many),
            tuple(sorted((link_query or {}).items())),
            higher_is_better,
        )
        return func

    return decorator


def _aggregate(func):
    """Figures count rows of the stations they are given (chosen in scope by the caller) and return
    numbers, never rows: a reviewed unscoped read (stations.scope_guard, "aggregate_figure")."""
    if func is None:
        return None

    @functools.wraps(func)
    def counted(*args, **kwargs):
        with unscoped("aggregate_figure"):
            return func(*args, **kwargs)

    return counted


def get_figure(key: str) -> Figure:
    return FIGURES[key]


def all_figures() -> list[Figure]:
    return sorted(FIGURES.values(), key=lambda f: (f.order, f.key))


# --- shared work between figures ------------------------------------------------------------------
#
# Many figures are views of one aggregate (the activity totals per station and type, the service hours
# per volunteer): a summary or a dashboard asks for them a dozen times per period. Inside `shared_work()`
# the first figure computes the aggregate and the others reuse it; outside, nothing is kept, so no
# figure can ever be older than the request (or the summary job) that shows it.

_shared: ContextVar[dict | None] = ContextVar("figures_shared_work", default=None)


@contextmanager
def shared_work():
    """Let the figures computed inside share their aggregates (nested blocks share the outer one)."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared(name: str, period, station_ids: Iterable[int], compute: Callable[[frozenset], object]):
    """`compute(stations)` for these stations and period, or a result kept in `shared_work()` that was
    computed for a superset of them (the aggregates are per station, so a superset answers exactly)."""
    ids = frozenset(station_ids)
    memo = _shared.get()
    if memo is None:
        return compute(ids)
    for covered, result in memo.get((name, period), ()):
        if ids <= covered:
            return result
    result = compute(ids)
    memo.setdefault((name, period), []).append((ids, result))
    return result
