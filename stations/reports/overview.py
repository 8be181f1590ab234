"""Reporting progress by unit (issue 16 §2): the home page of a province or city officer, and the same
table one level down for any unit in scope (the stations are one click away, never a page of them).

For each unit below the root it shows, like DHIS2's reporting rates: last year's annual checklists on
time, late and missing; this half-year's inspections done and not done; this year's rectifications
verified, open and overdue; youth whose visits are overdue; stations whose rule documents are
incomplete; unmet staffing rules. Every number is a named figure (`stations.figures`) and links to the
list its figure counts, so the table agrees with its lists by the same property test as the dashboards.
The stations app names the other apps' figures by key only: a figure that is not registered is left out.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stations.figure_cache import builder, cached
from stations.figures import FIGURES, Figure, Period
from stations.mixins import reverse_plain
from stations.models import OrgKind, OrgUnit

from .dashboards import figure_href
from .summary import Row, build_summary

ACTIVE = "stations.status_active"


@dataclass(frozen=True)
class Column:
    """A group of figures over one period, with the rate the units are ranked by."""

    key: str
    label: str
    period: str  # "last_year", "half", "year"
    figures: tuple[str, ...]
    short: tuple[str, ...] = ()  # the figures' column headings under the group's
    rate_of: str = ""  # the figure whose share of the active stations is the group's rate
    lower_is_better: bool = False  # ranking without a rate: the fewer (the sum of the figures) the better


COLUMNS = (
    Column(
        "checklist",
        _("年度台账"),
        "last_year",
        ("inspections.checklist_on_time", "inspections.checklist_late", "inspections.checklist_missing"),
        short=(_("按时"), _("逾期"), _("未交")),
        rate_of="inspections.checklist_on_time",
    ),
    Column(
        "inspection",
        _("半年督查"),
        "half",
        ("inspections.stations_done", "inspections.stations_missing"),
        short=(_("已督查"), _("未督查")),
        rate_of="inspections.stations_done",
    ),
    Column(
        "rectification",
        _("整改"),
        "year",
        (
            "inspections.rectifications_verified",
            "inspections.rectifications_open",
            "inspections.rectifications_overdue",
        ),
        short=(_("已验收"), _("未验收"), _("逾期")),
        lower_is_better=True,
    ),
    Column("visits", _("走访逾期对象"), "year", ("mentoring.overdue_contacts",), lower_is_better=True),
    Column("documents", _("制度文件不全"), "year", ("stations.documents_missing",), lower_is_better=True),
    Column("staffing", _("人员配备未达标项"), "year", ("volunteers.staffing_failures",), lower_is_better=True),
)
RANK_DEFAULT = "checklist"


@dataclass
class Cell:
    figure: Figure
    value: float
    href: str
    label: str = ""  # the column heading under the group's


@dataclass
class Group:
    column: Column
    period: Period
    cells: list[Cell]
    rate: float | None = None  # percent of the active stations
    href: str = ""  # the table ranked by this group

    @property
    def rank_value(self) -> float:
        if self.column.rate_of:
            return self.rate if self.rate is not None else -1.0
        return -sum(float(cell.value or 0) for cell in self.cells)


@dataclass
class UnitLine:
    name: str
    href: str  # one level down: the unit's own table, or the station's page
    active: int
    groups: list[Group] = field(default_factory=list)
    rank: int = 0


def periods_of(today: date) -> dict[str, Period]:
    """Last year's checklists (due by 31 January), this half-year's inspections, this year's follow-up."""
    return {
        "last_year": Period(today.year - 1),
        "half": Period(today.year, 1 if today.month <= 6 else 2),
        "year": Period(today.year),
    }


def overview_href(unit_pk: int, rank: str = "") -> str:
    query = {"org": unit_pk, **({"rank": rank} if rank and rank != RANK_DEFAULT else {})}
    return f"{reverse_plain('reports:overview')}?{urlencode(query)}"


@dataclass
class Levels:
    """One period's summary as the table needs it: the root's total and the rows of the level below."""

    total: Row
    rows: list[Row]


@builder
def overview_snapshot(root_pk: int, today: str) -> dict[str, Levels]:
    return overview_figures(OrgUnit.objects.get(pk=root_pk), date.fromisoformat(today), available_columns())


def overview_figures(root, today: date, columns: list[Column]) -> dict[str, Levels]:
    """The summaries the table reads, one per period its columns use (and the year's, with the active
    stations), reduced to the root's total and the level below it."""
    periods = periods_of(today)
    level = {OrgKind.COUNTY: "stations", OrgKind.PROVINCE: "cities"}.get(root.kind, "counties")
    summaries = {}
    for name in {column.period for column in columns} | {"year"}:
        keys = [key for column in columns if column.period == name for key in column.figures]
        if name == "year":
            keys.append(ACTIVE)
        summary = build_summary(root=root, period=periods[name], figures=[FIGURES[key] for key in keys])
        summaries[name] = Levels(summary.total, getattr(summary, level))
    return summaries


def available_columns() -> list[Column]:
    """The columns whose figures are registered (an app left out leaves its column out)."""
    return [
        column
        for column in COLUMNS
        if all(key in FIGURES for key in column.figures) and (not column.rate_of or ACTIVE in FIGURES)
    ]


def build_overview(*, root, user, today: date, rank: str = "") -> dict:
    """Lines for the units one level below `root` (a county: its stations), ranked best first by `rank`."""
    columns = available_columns()
    periods = periods_of(today)
    rank = rank if rank in {column.key for column in columns} else RANK_DEFAULT
    as_of = None
    if root.kind == OrgKind.COUNTY:
        summaries = overview_figures(root, today, columns)
    else:  # a city's or the province's table is kept between requests (stations.figure_cache)
        as_of = cached(overview_snapshot, root.pk, today.isoformat())
        summaries = as_of.value
    year = summaries["year"]
    sub_kind = {OrgKind.COUNTY: "station", OrgKind.PROVINCE: "city"}.get(root.kind, "county")

    def line(row: Row, rows_by_period: dict[str, Row]) -> UnitLine:
        target = {"station_id": row.pk} if row.kind == "station" else {"org": row.pk}
        active = int(rows_by_period["year"].values.get(ACTIVE, 0) or 0)
        if row.kind == "station":
            href = reverse("stations:workstation-detail", args=[row.pk])
        elif row.kind == root.kind and row.pk == root.pk:
            href = ""
        else:
            href = overview_href(row.pk, rank)
        unit = UnitLine(name=row.name, href=href, active=active)
        for column in columns:
            period = periods[column.period]
            values = rows_by_period[column.period].values
            cells = [
                Cell(
                    FIGURES[key],
                    values.get(key, 0) or 0,
                    figure_href(FIGURES[key], period=period, user=user, **target),
                    column.short[index] if index < len(column.short) else FIGURES[key].unit,
                )
                for index, key in enumerate(column.figures)
            ]
            rate = None
            if column.rate_of and active:
                rate = round(100 * float(values.get(column.rate_of, 0) or 0) / active, 1)
            unit.groups.append(Group(column, period, cells, rate, overview_href(root.pk, column.key)))
        return unit

    by_period = {name: {row.pk: row for row in summary.rows} for name, summary in summaries.items()}

    def same_row(name, row):  # a station merged later than a period's end is its own row in that period
        return by_period[name].get(row.pk) or Row(name=row.name, kind=row.kind, pk=row.pk)

    lines = [line(row, {name: same_row(name, row) for name in summaries}) for row in year.rows]
    rank_index = next(i for i, column in enumerate(columns) if column.key == rank)
    lines.sort(key=lambda unit: (-unit.groups[rank_index].rank_value, unit.name))
    for position, unit in enumerate(lines, start=1):
        unit.rank = position
    total = line(year.total, {name: summary.total for name, summary in summaries.items()})
    return {
        "root": root,
        "columns": columns,
        "periods": periods,
        "lines": lines,
        "total": total,
        "rank": rank,
        "sub_kind": sub_kind,
        "as_of": as_of,
        # the unit above, when it is the user's scope too (the user's own unit has no way up)
        "parent_href": overview_href(root.parent_id, rank) if root.parent_id and root.pk != user.org_unit_id else "",
    }
