"""County, city and province dashboards: key figures of a period against the previous one, a ranking of
the sub-units and server-drawn charts. Built on the yearly summary, so the page's query count depends on
the number of figures and sub-units, never on the number of stations."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch

from stations.figure_cache import builder, cached
from stations.figures import FIGURES, Figure, Period, all_figures, shared_work
from stations.mixins import may_open, reverse_plain
from stations.models import OrgKind, OrgUnit, StationStatus, WorkSystem
from stations.scoping import stations_under

from .charts import Bar, bar_chart, column_chart
from .summary import Row, build_summary

KEY_FIGURES = [
    "stations.status_active",
    "volunteers.active",
    "volunteers.service_hours",
    "activities.sessions",
    "activities.legal_audience",
    "mentoring.youth_under_mentoring",
    "mentoring.visits",
    "mentoring.reoffending_rate",
    "stations.funding_yuan",
]
OVERDUE_FIGURES = [
    "mentoring.overdue_contacts",
    "inspections.rectifications_overdue",
    "volunteers.staffing_failures",
    "mentoring.listed_without_team",
]
RANK_DEFAULTS = ["activities.sessions", "volunteers.active", "mentoring.youth_under_mentoring"]
SCORE_BANDS = [(0, 60, "<60"), (60, 70, "60–69"), (70, 80, "70–79"), (80, 90, "80–89"), (90, 101, "90–100")]


@dataclass
class Indicator:
    figure: Figure
    value: float
    previous: float
    href: str

    @property
    def change(self) -> float:
        return float(self.value or 0) - float(self.previous or 0)

    @property
    def meaning(self) -> str:
        """The figure's meaning of the change ("better", "worse", "same"), not its sign."""
        return self.figure.change_meaning(self.change)


def figure_href(fig: Figure, *, period: Period, org=None, station_id=None, user=None) -> str:
    """The list behind a figure, filtered to the period and the unit (empty when the list does not exist,
    or when `user` may not open it: a page does not offer a link that ends in a 403)."""
    if not fig.link or (user is not None and not may_open(user, fig.link)):
        return ""
    try:
        url = reverse_plain(fig.link)
    except NoReverseMatch:
        return ""
    query = {"period": str(period), **dict(fig.link_query)}
    if station_id:
        query["workstation"] = station_id
    elif org:
        query["org"] = org
    return f"{url}?{urlencode(query)}"


def key_figures() -> list[Figure]:
    chosen = [FIGURES[key] for key in KEY_FIGURES if key in FIGURES]
    return chosen or all_figures()[:6]


def build_dashboard(*, root, period: Period, rank_key: str | None = None, user=None) -> dict:
    """The dashboard of `root`, kept between requests (stations.figure_cache) and carrying its time as
    `as_of`: a county's as a city's or the province's (a county's costs 100–300 ms of aggregates, which ten
    county officers under load cannot spend per view; docs/decisions.md)."""
    as_of = cached(dashboard_snapshot, root.pk, str(period))
    data = as_of.value
    figures = key_figures()
    overdue = [FIGURES[key] for key in OVERDUE_FIGURES if key in FIGURES]
    sub_rows, sub_kind = data["rows"], data["sub_kind"]

    def href(fig, row: Row | None = None):
        if row is None:
            return figure_href(fig, period=period, org=root.pk, user=user)
        if sub_kind == "station":
            return figure_href(fig, period=period, station_id=row.pk, user=user)
        return figure_href(fig, period=period, org=row.pk, user=user)

    current, previous = data["total"], data["previous"]
    indicators = [Indicator(fig, current.get(fig.key, 0), previous.get(fig.key, 0), href(fig)) for fig in figures]
    overdue_items = [Indicator(fig, current.get(fig.key, 0), 0, href(fig)) for fig in overdue]
    rank_fig = FIGURES.get(rank_key) if rank_key in {f.key for f in figures} else default_rank(figures)
    ranked = sorted(sub_rows, key=lambda r: float(r.values.get(rank_fig.key, 0) or 0), reverse=True)
    ranking = [
        {"row": row, "cells": [(row.values.get(f.key, 0), href(f, row), f.unit) for f in figures]} for row in ranked
    ]
    charts = [
        bar_chart(
            [Bar(row.name, row.values.get(rank_fig.key, 0), href(rank_fig, row)) for row in ranked[:30]],
            title=f"{rank_fig.label}（{rank_fig.unit}）",
            unit="",
        )
    ]
    charts += [chart for chart in (data["coverage"], data["scores"]) if chart]
    return {
        "root": root,
        "period": period,
        "indicators": indicators,
        "overdue": overdue_items,
        "figures": figures,
        "rank_figure": rank_fig,
        "ranking": ranking,
        "sub_kind": sub_kind,
        "charts": charts,
        "as_of": as_of,
    }


@builder
def dashboard_snapshot(root_pk: int, period: str) -> dict:
    return dashboard_figures(OrgUnit.objects.get(pk=root_pk), Period.parse(period))


@shared_work()
def dashboard_figures(root, period: Period) -> dict:
    """The numbers of the dashboard (no links, nothing per user): the key and overdue figures of the root
    for the period and the previous one, the rows of the level below and the two distribution charts."""
    figures = key_figures()
    overdue = [FIGURES[key] for key in OVERDUE_FIGURES if key in FIGURES]
    current = build_summary(root=root, period=period, figures=figures + overdue)
    previous = build_summary(root=root, period=period.previous(), figures=figures)
    if root.kind == OrgKind.COUNTY:
        sub_rows, sub_kind = current.stations, "station"
    elif root.kind == OrgKind.PROVINCE:
        sub_rows, sub_kind = current.cities, "city"
    else:
        sub_rows, sub_kind = current.counties, "county"
    active_ids = _active_station_ids(root)
    return {
        "total": current.total.values,
        "previous": previous.total.values,
        "rows": sub_rows,
        "sub_kind": sub_kind,
        "coverage": _system_coverage(active_ids, period),
        "scores": _score_distribution(active_ids, period),
    }


def default_rank(figures: list[Figure]) -> Figure:
    keys = {fig.key: fig for fig in figures}
    for key in RANK_DEFAULTS:
        if key in keys:
            return keys[key]
    return figures[0]


def _active_station_ids(root) -> list[int]:
    return list(stations_under(root).filter(status=StationStatus.ACTIVE).values_list("pk", flat=True))


def _system_coverage(station_ids: list[int], period: Period):
    """Share of active stations that held at least one activity of each of the six systems."""
    bars = []
    for value, label in WorkSystem.choices:
        fig = FIGURES.get(f"activities.sessions_{value}")
        if fig is None:
            return None
        values = fig.for_stations(station_ids=station_ids, period=period)
        covered = sum(1 for v in values.values() if v)
        bars.append(Bar(str(label), round(100 * covered / len(station_ids), 1) if station_ids else 0))
    from django.utils.translation import gettext as _

    return bar_chart(bars, title=_("六项制度活动覆盖率（开展过活动的工作站占比）"), percent=True)


def _score_distribution(station_ids: list[int], period: Period):
    """Stations by half-year score; for a whole year, by the mean of the halves scored."""
    keys = {1: ["inspections.score_h1"], 2: ["inspections.score_h2"]}.get(
        period.half, ["inspections.score_h1", "inspections.score_h2"]
    )
    figures = [FIGURES[key] for key in keys if key in FIGURES]
    if not figures:
        return None
    from django.utils.translation import gettext as _

    scored: dict[int, list[float]] = {}
    for fig in figures:
        for station_id, value in fig.for_stations(station_ids=station_ids, period=period).items():
            if value:
                scored.setdefault(station_id, []).append(float(value))
    values = [sum(v) / len(v) for v in scored.values()]
    bars = [Bar(label, sum(1 for v in values if low <= v < high)) for low, high, label in SCORE_BANDS]
    return column_chart(bars, title=_("检查评分分布（工作站数）"), unit="")
