"""Reads of the station annual report (DESIGN §7): the station's year in figures, charts, highlights, scores.

Figures come from the named-figure registry only. Once the station head submits the report for a year,
the printed figures are kept in a ReportSnapshot (`reports.services`): re-printing uses them, and a later
correction of the records shows to the county as a difference list. The PDF is in `reports.pdf`.
"""

from collections import OrderedDict
from decimal import Decimal

from django.utils.translation import gettext as _

from stations.figures import FIGURES, Period, all_figures
from stations.models import ReportSnapshot, StationYearHighlight, Workstation, subtree_q
from stations.scoping import for_station, visible_to
from stations.selectors import counting_station_ids, system_document_status, workstation_get

from .charts import Bar, bar_chart, column_chart
from .summary import build_summary

SCORE_KEYS = ("inspections.score_h1", "inspections.score_h2")


def _plain(value):
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value == int(value):
        return int(value)
    return round(value, 2) if isinstance(value, float) else (value or 0)


def counted_ids(station: Workstation, year: int) -> list[int]:
    """The station and every station merged into it by the end of the year."""
    folded = counting_station_ids(on=Period(year).end)
    return [station.pk, *sorted(src for src, dst in folded.items() if dst == station.pk)]


def current_figures(station: Workstation, year: int) -> list[dict]:
    """Every registered figure for the station's year (one query per figure)."""
    ids = counted_ids(station, year)
    period = Period(year)
    return [
        {
            "key": fig.key,
            "label": str(fig.label),
            "unit": str(fig.unit),
            "group": str(fig.group or _("其他")),
            "value": _plain(fig.total_for(station_ids=ids, period=period)),
        }
        for fig in all_figures()
    ]


def snapshot_of(station: Workstation, year: int) -> ReportSnapshot | None:
    return for_station(ReportSnapshot.objects.filter(year=year), station).first()


def report_figures(station: Workstation, year: int) -> tuple[list[dict], ReportSnapshot | None]:
    snapshot = snapshot_of(station, year)
    if snapshot is not None:
        return snapshot.figures, snapshot
    return current_figures(station, year), None


def differences(station: Workstation, year: int) -> list[dict]:
    """Figures whose current value differs from the submitted snapshot."""
    snapshot = snapshot_of(station, year)
    if snapshot is None:
        return []
    now = {row["key"]: row for row in current_figures(station, year)}
    rows = []
    for row in snapshot.figures:
        current = now.get(row["key"], {}).get("value", 0)
        if float(current or 0) != float(row["value"] or 0):
            rows.append({**row, "current": current, "delta": _plain(float(current or 0) - float(row["value"] or 0))})
    return rows


# The stations app's own figures (status, joint-build type, funding) belong to the profile section.
PROFILE_PREFIXES = ("stations.",)


def grouped(figures: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: OrderedDict[str, list[dict]] = OrderedDict()
    for row in figures:
        if row["key"] in SCORE_KEYS or row["key"].startswith(PROFILE_PREFIXES):
            continue
        groups.setdefault(row["group"], []).append(row)
    return list(groups.items())


def group_chart(group: str, rows: list[dict]):
    """A bar chart of the group's figures that share its most common unit (None when not worth drawing)."""
    units = [r["unit"] for r in rows]
    unit = max(units, key=units.count)
    bars = [Bar(r["label"], r["value"]) for r in rows if r["unit"] == unit]
    if len(bars) >= 2 and any(b.value for b in bars):
        return bar_chart(bars, title=f"{group}（{unit}）", unit="")
    return None


def sections(figures: list[dict]) -> list[dict]:
    return [{"group": group, "rows": rows, "chart": group_chart(group, rows)} for group, rows in grouped(figures)]


MONTH_FIGURE = "activities.sessions"


def month_series(station: Workstation, year: int) -> list[float]:
    """Activities of each month of the year (12 values; empty when the activities app is absent)."""
    figure = FIGURES.get(MONTH_FIGURE)
    if figure is None:
        return []
    return [
        _plain(figure.for_stations(station_ids=[station.pk], period=Period.of_month(year, month))[station.pk])
        for month in range(1, 13)
    ]


def month_chart(months: list[float]):
    if not months or not any(months):
        return None
    unit = FIGURES[MONTH_FIGURE].unit if MONTH_FIGURE in FIGURES else ""
    bars = [Bar(_("%(m)d月") % {"m": month}, value) for month, value in enumerate(months, start=1)]
    return column_chart(bars, title=_("各月活动场次（%(unit)s）") % {"unit": unit}, unit="")


def highlight_of(station: Workstation, year: int) -> str:
    row = for_station(StationYearHighlight.objects.filter(year=year), station).first()
    return row.text if row else ""


def year_highlights(station: Workstation, year: int) -> str:
    """The 工作亮点 every output prints: the submitted copy once the year is submitted, else the live text."""
    snapshot = snapshot_of(station, year)
    return snapshot.highlights if snapshot is not None else highlight_of(station, year)


def annual_context(station: Workstation, year: int) -> dict:
    figures, snapshot = report_figures(station, year)
    scores = [row for row in figures if row["key"] in SCORE_KEYS]
    months = snapshot.months if snapshot is not None else month_series(station, year)
    return {
        "month_chart": month_chart(months),
        "station": station,
        "year": year,
        "figures": figures,
        "sections": sections(figures),
        "scores": scores,
        "funding": next((row for row in figures if row["key"] == "stations.funding_yuan"), None),
        "snapshot": snapshot,
        "highlights": snapshot.highlights if snapshot is not None else highlight_of(station, year),
        "systems": system_document_status(station),
    }


def station_for(*, user, pk: int) -> Workstation:
    return workstation_get(user=user, pk=pk)


def snapshots_in_scope(*, user):
    return visible_to(ReportSnapshot.objects.select_related("workstation"), user)


def corrections(*, user, root, year: int, term: str = "") -> list[dict]:
    """Submitted reports of `root`'s subtree whose figures have changed since: one row per figure.

    Current values come from the yearly summary (a fixed number of queries for the whole subtree).
    """

    snapshots = list(
        snapshots_in_scope(user=user)
        .filter(subtree_q("workstation__org_path", root.path), year=year)
        .order_by("workstation__org_path", "workstation__code")
    )
    if term:
        snapshots = [s for s in snapshots if term in s.workstation.name]
    if not snapshots:
        return []
    summary = build_summary(root=root, period=Period(year))
    current = {row.pk: row.values for row in summary.stations}
    rows = []
    for snapshot in snapshots:
        now = current.get(snapshot.workstation_id, {})
        for item in snapshot.figures:
            if item["key"] not in now:
                continue
            value = _plain(now[item["key"]])
            if float(value or 0) != float(item["value"] or 0):
                rows.append(
                    {
                        "station": snapshot.workstation,
                        "snapshot": snapshot,
                        **item,
                        "current": value,
                        "delta": _plain(float(value or 0) - float(item["value"] or 0)),
                    }
                )
    return rows
