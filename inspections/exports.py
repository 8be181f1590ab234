"""Documents of the inspections app: the annual checklist (PDF), the county half-year inspection
report (PDF with a server-drawn SVG chart) and the award certificate (PDF)."""

from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.exports import Report, ReportFile, register
from stations.exports.pdf import render_pdf
from stations.reports.charts import Bar, bar_chart
from stations.reports.selectors import year_highlights
from stations.scoping import for_station, for_stations

from . import selectors
from .models import AnnualChecklist, NominationStatus, Rectification, RectStatus

PDF = "application/pdf"


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("bad id") from exc


SCORE_BANDS = [0, 60, 80, 90, 100]


def score_colour(score) -> str:
    """优秀 ≥ 90 green, 良好 ≥ 80 blue, 合格 ≥ 60 amber, below red; no score: the chart's own colour."""
    if score is None:
        return ""
    return "#2e7d32" if score >= 90 else "#1f4e79" if score >= 80 else "#f9a825" if score >= 60 else "#c62828"


def round_chart(inspections) -> str:
    """The ranking chart of a round: the same SVG on the round page and in the report PDF."""
    ranked = sorted(inspections, key=lambda i: (i.score is None, -(i.score or 0), i.workstation.code))
    bars = [
        Bar(
            i.workstation.name.replace("关爱工作站", ""),
            i.score,
            colour="" if i.score is None else score_colour(i.score),
        )
        for i in ranked
    ]
    return bar_chart(bars, peak=100, ticks=SCORE_BANDS, decimals=1, label=_("得分排名"))


@register
class AnnualChecklistPdf(Report):
    slug = "annual-checklist"
    title = gettext_lazy("关爱工作站年度工作台账")
    capability = "inspections.view"

    def build(self, *, user, params) -> ReportFile:
        station = selectors.workstation_for(user=user, pk=_int(params.get("workstation")))
        year = _int(params.get("year"))
        checklist = for_station(AnnualChecklist.objects.filter(year=year), station).first() or AnnualChecklist(
            workstation=station, year=year
        )
        have_items = selectors.have_items_for(workstation=station, year=year)
        content = render_pdf(
            "inspections/pdf/annual_checklist.html",
            {
                "title": self.title,
                "station": station,
                "checklist": checklist,
                "year": year,
                "highlights": year_highlights(station, year),
                "sections": selectors.checklist_sections(checklist),
                "haves": [{"label": i["label"], "value": checklist.haves.get(i["code"])} for i in have_items],
                "printed_on": timezone.localdate(),
            },
            header_left=station.name,
            header_right=f"{year}年度 {self.title}",
        )
        return ReportFile(
            content, f"{station.name}_{year}年度台账.pdf", PDF, filters={_("工作站"): station.name, _("年度"): year}
        )


@register
class InspectionReportPdf(Report):
    slug = "inspection-report"
    title = gettext_lazy("半年督查考评情况报告")
    capability = "reports.export_aggregate"

    def build(self, *, user, params) -> ReportFile:
        round = selectors.round_get(user=user, pk=_int(params.get("round")))
        inspections = list(selectors.inspection_list(user=user, round=round).select_related("workstation"))
        ranked = sorted(inspections, key=lambda i: (i.score is None, -(i.score or 0), i.workstation.code))
        for rank, inspection in enumerate(ranked, start=1):
            inspection.rank = rank if inspection.score is not None else None
        findings = list(
            for_stations(
                Rectification.objects.filter(inspection__in=inspections), {i.workstation_id for i in inspections}
            )
            .select_related("workstation", "item")
            .order_by("workstation__code", "pk")
        )
        status_counts = {label: 0 for _value, label in RectStatus.choices}
        overdue = 0
        for rect in findings:
            status_counts[rect.get_status_display()] += 1
            overdue += rect.overdue
        scored = [i.score for i in inspections if i.score is not None and i.status == "submitted"]
        grades = {}
        for inspection in inspections:
            if inspection.status == "submitted":
                grades[inspection.grade] = grades.get(inspection.grade, 0) + 1
        content = render_pdf(
            "inspections/pdf/inspection_report.html",
            {
                "title": self.title,
                "round": round,
                "ranked": ranked,
                "findings": findings,
                "status_counts": status_counts,
                "overdue": overdue,
                "grades": grades,
                "mean": (sum(scored) / len(scored)).quantize(Decimal("0.1")) if scored else None,
                "submitted": len(scored),
                "chart": round_chart(ranked),
                "printed_on": timezone.localdate(),
            },
            header_left=f"{round.county.name}",
            header_right=f"{round.period_label} {self.title}",
        )
        return ReportFile(
            content, f"{round.county.name}_{round.year}H{round.half}_督查报告.pdf", PDF, filters={_("轮次"): str(round)}
        )


def _stylesheet_data_url(path: str) -> str:
    """An app stylesheet as a data: URL (the PDF fetcher reads only data: URLs and project-level static)."""
    import base64

    from django.contrib.staticfiles import finders

    found = finders.find(path)
    with open(found, "rb") as handle:
        return "data:text/css;base64," + base64.b64encode(handle.read()).decode()


@register
class AwardCertificatePdf(Report):
    slug = "award-certificate"
    title = gettext_lazy("优秀爱心工作站证书")
    capability = "inspections.view"

    def build(self, *, user, params) -> ReportFile:
        nomination = selectors.nomination_get(user=user, pk=_int(params.get("nomination")))
        if nomination.status != NominationStatus.AWARDED:
            raise Http404("not awarded")
        content = render_pdf(
            "inspections/pdf/award_certificate.html",
            {
                "title": self.title,
                "nomination": nomination,
                "cycle": nomination.cycle,
                "stylesheet": _stylesheet_data_url("inspections/certificate.css"),
            },
        )
        return ReportFile(
            content,
            f"{nomination.workstation.name}_优秀爱心工作站证书.pdf",
            PDF,
            filters={_("工作站"): nomination.workstation.name},
        )
