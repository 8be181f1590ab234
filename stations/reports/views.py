"""Views of reports and dashboards: thin — capability, selector or service, template."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from stations.downloads import file_response
from stations.exports import get_report
from stations.figures import Period
from stations.filters import PERIOD_RANGE_MESSAGE, parse_period
from stations.mixins import CapabilityRequired, NoStore
from stations.models import ExportJobState, OrgKind
from stations.replica import report_reads
from stations.roles import has_capability
from stations.views import paginate

from . import jobs, selectors, services
from .dashboards import build_dashboard, key_figures
from .overview import build_overview
from .summary import summary_root


def _default_year() -> int:
    return timezone.localdate().year


def _period(request) -> tuple[Period, str]:
    """The dashboard's period, and the one message of a bad one (then the default period is shown)."""
    try:
        return parse_period(request.GET.get("period")) or Period(_default_year()), ""
    except ValidationError as exc:
        return Period(_default_year()), exc.messages[0]


def period_choices(selected: Period) -> list[tuple[str, str, bool]]:
    this_year = _default_year()
    choices = []
    for year in range(this_year, this_year - 5, -1):
        for period in (Period(year), Period(year, 1), Period(year, 2)):
            choices.append((str(period), period.label, period == selected))
    return choices


# --- dashboards ------------------------------------------------------------------------------------


class Dashboard(CapabilityRequired, NoStore, View):
    capability = "reports.dashboard"

    def get(self, request):
        kinds = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.SYSTEM, OrgKind.COUNTY)
        root = summary_root(user=request.user, params=request.GET, kinds=kinds)
        period, period_error = _period(request)
        with report_reads():
            context = build_dashboard(root=root, period=period, rank_key=request.GET.get("rank"), user=request.user)
        user = request.user
        if root.kind == OrgKind.PROVINCE:
            export_slug = "province-summary" if has_capability(user, "reports.export_province") else ""
        else:
            export_slug = "area-summary"
        context.update(
            {
                "periods": period_choices(period),
                "period_error": period_error,
                "key_figures": key_figures(),
                "export_slug": export_slug,
                "batches": _batches(root),
                "year": period.year,
                "recent_jobs": jobs.export_job_list(user=user)[:5],
            }
        )
        return render(request, "reports/dashboard.html", context)


def _batches(root) -> list[tuple[str, str]]:
    """The ZIP downloads a dashboard offers (background jobs): a county's documents, or every county's summary."""
    if root.kind == OrgKind.COUNTY:
        return [
            ("county-checklists", _("打包下载全县年度台账（PDF）")),
            ("county-annual-reports", _("打包下载全县工作站年度报告（PDF）")),
        ]
    return [("county-summaries", _("打包下载各县（区）汇总（PDF）"))]


class Overview(CapabilityRequired, NoStore, View):
    """Reporting progress one level down from a unit in scope (a county: its stations), ranked."""

    capability = "reports.dashboard"

    def get(self, request):
        kinds = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.SYSTEM, OrgKind.COUNTY)
        root = summary_root(user=request.user, params=request.GET, kinds=kinds)
        with report_reads():
            context = build_overview(
                root=root, user=request.user, today=timezone.localdate(), rank=request.GET.get("rank", "")
            )
        return render(request, "reports/overview.html", context)


# --- background export jobs --------------------------------------------------------------------------


class JobStart(CapabilityRequired, View):
    capability = "reports.export_aggregate"

    def post(self, request, slug):
        try:
            job = services.export_job_start(
                actor=request.user,
                report=slug,
                params=request.POST,
                reason=request.POST.get("reason", ""),
                reason_code=request.POST.get("reason_code", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("reports:dashboard")
        messages.info(request, _("已开始生成：%(title)s") % {"title": job.title})
        return redirect("reports:job-detail", pk=job.pk)


class JobFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    state = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部")), *ExportJobState.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class JobList(CapabilityRequired, NoStore, View):
    capability = "reports.export_aggregate"

    def get(self, request):
        form = JobFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        page, query = paginate(request, jobs.export_job_list(user=request.user, filters=filters))
        return render(request, "reports/job_list.html", {"form": form, "page": page, "query": query})


class JobDetail(CapabilityRequired, NoStore, View):
    capability = "reports.export_aggregate"

    def get(self, request, pk):
        job = jobs.export_job_get(user=request.user, pk=pk)
        return render(request, "reports/job_detail.html", {"job": job})


class JobProgress(CapabilityRequired, NoStore, View):
    """The htmx partial polled every second while the job runs (it stops polling once finished)."""

    capability = "reports.export_aggregate"

    def get(self, request, pk):
        job = jobs.export_job_get(user=request.user, pk=pk)
        return render(request, "reports/_job_progress.html", {"job": job})


class JobDownload(LoginRequiredMixin, View):
    """Any report's job file: `export_job_get` checks that report's capability (403) and the requester (404),
    so a station user downloads their own named list here too."""

    def get(self, request, pk):
        job = jobs.export_job_get(user=request.user, pk=pk)
        try:
            jobs.export_job_download(actor=request.user, job=job)
        except jobs.ExpiredJob:
            return HttpResponse(_("文件已过期删除，请重新生成。"), status=410, content_type="text/plain; charset=utf-8")
        return file_response(job.file, filename=job.filename, content_type=job.content_type)


# --- station annual report ---------------------------------------------------------------------------


class HighlightForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("亮点内容"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
        help_text=gettext_lazy("本年度的特色做法、典型事例、获得的表彰等，将印在年度工作报告中。"),
    )


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("bad year")
    return year


class StationAnnual(CapabilityRequired, NoStore, View):
    capability = "stations.view"

    def get(self, request, pk, year, form=None):
        station = selectors.station_for(user=request.user, pk=pk)
        year = _year(year)
        context = selectors.annual_context(station, year)
        user = request.user
        context.update(
            {
                "form": form or HighlightForm(initial={"text": context["highlights"]}),
                "can_edit": has_capability(user, "checklist.fill") and context["snapshot"] is None,
                "can_review": has_capability(user, "checklist.review"),
                "can_pdf": has_capability(user, "stations.export_profile"),
                "years": range(_default_year(), _default_year() - 5, -1),
            }
        )
        return render(request, "reports/station_annual.html", context)


class HighlightSave(CapabilityRequired, View):
    capability = "checklist.fill"

    def post(self, request, pk, year):
        station = selectors.station_for(user=request.user, pk=pk)
        form = HighlightForm(request.POST)
        if form.is_valid():
            try:
                services.highlight_save(
                    actor=request.user, workstation=station, year=_year(year), text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("text", message)
            else:
                messages.success(request, _("工作亮点已保存"))
                return redirect("reports:station-annual", pk=station.pk, year=year)
        return StationAnnual.get(self, request, pk, year, form=form)


class SnapshotDiff(CapabilityRequired, NoStore, View):
    capability = "checklist.review"

    def get(self, request, pk, year):
        station = selectors.station_for(user=request.user, pk=pk)
        year = _year(year)
        snapshot = selectors.snapshot_of(station, year)
        rows = selectors.differences(station, year)
        return render(
            request,
            "reports/snapshot_diff.html",
            {"station": station, "year": year, "snapshot": snapshot, "rows": rows},
        )


def report_title(slug: str) -> str:
    return str(get_report(slug).title)


class CorrectionFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("工作站"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    year = forms.IntegerField(
        label=gettext_lazy("年度"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"min_value": PERIOD_RANGE_MESSAGE, "max_value": PERIOD_RANGE_MESSAGE},
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class Corrections(CapabilityRequired, NoStore, View):
    """Submitted annual reports whose figures were corrected afterwards, for the whole subtree."""

    capability = "checklist.review"

    def get(self, request):
        kinds = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.SYSTEM, OrgKind.COUNTY)
        root = summary_root(user=request.user, params=request.GET, kinds=kinds)
        form = CorrectionFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        year = filters.get("year") or _default_year() - 1
        rows = selectors.corrections(user=request.user, root=root, year=year, term=(filters.get("q") or "").strip())
        page, query = paginate(request, rows)
        return render(
            request,
            "reports/corrections.html",
            {"form": form, "page": page, "query": query, "root": root, "year": year},
        )
