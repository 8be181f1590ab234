"""The station annual report (DESIGN §7): the station's year in figures, charts, highlights, scores.

Figures come from the named-figure registry only. Once the station head submits the report for a year,
the printed figures are kept in a ReportSnapshot: re-printing uses them, and a later correction of the
records shows to the county as a difference list.
"""

from collections import OrderedDict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import audit, diff
from .charts import Bar, bar_chart, column_chart
from .exports import Report, ReportFile, register
from .exports.pdf import render_pdf
from .figures import FIGURES, Period, all_figures
from .models import ReportSnapshot, StationYearHighlight, Workstation
from .periods import ensure_period_open
from .roles import require
from .scoping import ensure_in_scope, for_station, visible_to
from .selectors import counting_station_ids, system_document_status, workstation_get

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
        "highlights": snapshot.highlights if snapshot else highlight_of(station, year),
        "systems": system_document_status(station),
    }


# --- services --------------------------------------------------------------------------------------


@transaction.atomic
def highlight_save(*, actor, workstation: Workstation, year: int, text: str) -> StationYearHighlight:
    require(actor, "checklist.fill")
    ensure_in_scope(workstation, actor)
    ensure_period_open(workstation=workstation, on=date(year, 12, 31), field="text")
    if snapshot_of(workstation, year) is not None:
        raise ValidationError({"text": _("该年度报告已提交，不能再修改工作亮点")})
    text = (text or "").strip()
    if len(text) > 4000:
        raise ValidationError({"text": _("工作亮点不能超过 4000 字")})
    row = for_station(StationYearHighlight.objects.filter(year=year), workstation).first()
    before = {"text": row.text if row else ""}
    if row is None:
        row = StationYearHighlight(workstation=workstation, year=year)
    row.text = text
    row.updated_by = actor
    row.save()
    audit(actor=actor, action="report.highlight", obj=row, changes=diff(before, {"text": text}))
    return row


@transaction.atomic
def annual_report_submit(*, actor, workstation: Workstation, year: int) -> ReportSnapshot:
    """Freeze the figures the report prints for the year."""
    require(actor, "checklist.submit")
    ensure_in_scope(workstation, actor)
    if year > timezone.localdate().year:
        raise ValidationError(_("不能提交尚未开始的年度"))
    if snapshot_of(workstation, year) is not None:
        raise ValidationError(_("%(year)d 年度报告已提交") % {"year": year})
    snapshot = ReportSnapshot.objects.create(
        workstation=workstation,
        year=year,
        figures=current_figures(workstation, year),
        months=month_series(workstation, year),
        highlights=highlight_of(workstation, year),
        submitted_by=actor,
    )
    audit(
        actor=actor,
        action="report.submit",
        obj=snapshot,
        changes={"year": [None, year], "figures": [None, len(snapshot.figures)]},
    )
    return snapshot


# --- the PDF -----------------------------------------------------------------------------------------


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("bad year") from exc
    if not 2000 <= year <= 2100:
        raise Http404("bad year")
    return year


@register
class StationAnnualReport(Report):
    slug = "station-annual-report"
    title = gettext_lazy("关爱工作站年度工作报告")
    capability = "stations.export_profile"

    def build(self, *, user, params) -> ReportFile:
        try:
            pk = int(params.get("workstation"))
        except (TypeError, ValueError) as exc:
            raise Http404("bad id") from exc
        station = workstation_get(user=user, pk=pk)
        year = _year(params.get("year") or timezone.localdate().year - 1)
        context = annual_context(station, year)
        content = render_pdf(
            "reports/pdf/annual_report.html",
            {**context, "title": self.title, "printed_on": timezone.localdate()},
            header_left=station.name,
            header_right=f"{year}年度工作报告",
        )
        return ReportFile(
            content,
            f"{station.name}_{year}年度工作报告.pdf",
            "application/pdf",
            filters={_("工作站"): station.name, _("年度"): str(year)},
        )


def station_for(*, user, pk: int) -> Workstation:
    return workstation_get(user=user, pk=pk)


def snapshots_in_scope(*, user):
    return visible_to(ReportSnapshot.objects.select_related("workstation"), user)


def corrections(*, user, root, year: int, term: str = "") -> list[dict]:
    """Submitted reports of `root`'s subtree whose figures have changed since: one row per figure.

    Current values come from the yearly summary (a fixed number of queries for the whole subtree).
    """
    from .models import subtree_q
    from .summary import build_summary

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
