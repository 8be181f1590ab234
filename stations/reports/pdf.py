"""PDF reports of the reports package: the station annual report and the county summary."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.exports import Report, ReportFile, register
from stations.exports.pdf import render_pdf
from stations.models import OrgKind
from stations.selectors import workstation_get

from .charts import Bar, bar_chart
from .dashboards import default_rank, key_figures
from .selectors import annual_context
from .summary import build_summary, period_from, summary_root


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


@register
class CountySummaryPdf(Report):
    """The county's yearly summary as a printable PDF: key figures per station, totals, a chart."""

    slug = "county-summary-pdf"
    title = gettext_lazy("工作汇总")
    capability = "reports.export_aggregate"

    def build(self, *, user, params):
        root = summary_root(user=user, params=params, kinds=(OrgKind.COUNTY,))
        period = period_from(params)
        figures = key_figures()
        summary = build_summary(root=root, period=period, figures=figures)
        rank = default_rank(figures)
        chart = bar_chart(
            [Bar(row.name, row.values.get(rank.key, 0)) for row in summary.stations],
            title=f"{rank.label}（{rank.unit}）",
        )
        content = render_pdf(
            "reports/pdf/county_summary.html",
            {
                "summary": summary,
                "figures": figures,
                "rows": [(row.name, [(row.values.get(f.key, 0), f.unit) for f in figures]) for row in summary.stations],
                "totals": [(summary.total.values.get(f.key, 0), f.unit) for f in figures],
                "chart": chart,
                "title": f"{root.name}{period.label}{self.title}",
                "printed_on": timezone.localdate(),
                "user": user,
            },
            header_left=root.name,
            header_right=f"{period.label}{self.title}",
        )
        return ReportFile(
            content,
            f"{root.name}_{period}_工作汇总.pdf",
            "application/pdf",
            filters={"年度": period.label, "汇总单位": root.name},
        )
