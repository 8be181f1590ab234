"""Views of the activities app: thin — capability, selector or form, service, template."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from stations.audit.log import audit
from stations.downloads import file_response
from stations.figure_cache import cached, rendered
from stations.figures import Period
from stations.forms import add_service_errors
from stations.imports import views as import_views
from stations.mixins import CapabilityRequired, NoStore
from stations.roles import has_capability, supervises_org_unit, supervises_units, works_at_station
from stations.uploads import keep_field_errors, pop_field_errors
from stations.views import paginate

from . import importing, selectors, services, snapshots
from .filters import ActivityFilterSet
from .forms import ActivityForm, ArchiveForm, AttachmentForm, month_from, month_weeks
from .models import SYSTEM_CHOICES


def _filters(request, *, data=None):
    filterset = ActivityFilterSet(
        request.GET if data is None else data, queryset=selectors.activity_list(user=request.user), user=request.user
    )
    return filterset, filterset.filters_used


def _own_station(user):
    if not works_at_station(user):
        raise PermissionDenied("no own station")
    return user.workstation


class ActivityList(CapabilityRequired, NoStore, View):
    capability = "activities.view"

    def get(self, request):
        filterset, filters = _filters(request)
        form, qs = filterset.form, filterset.qs
        user = request.user
        period = filters.get("period") or Period(timezone.localdate().year)
        as_of = None
        if _figures_kept(user, filterset, filters):
            # for a county and above, the totals of the unfiltered list (one period at most) are kept between
            # requests: they count every year of the unit's activities (docs/decisions.md)
            listed = str(filters["period"]) if "period" in filters else ""
            as_of = cached(snapshots.unit_list_snapshot, user.pk, listed, str(period))
            totals, coverage = as_of.value["totals"], as_of.value["coverage"]
        else:
            station_ids = selectors.station_ids_in_scope(user=user, workstation=filters.get("workstation"))
            totals = selectors.list_totals(qs)
            coverage = selectors.coverage(station_ids=station_ids, period=period) if len(station_ids) > 1 else None
        page, query = paginate(request, selectors.in_date_order(qs, count=totals["sessions"]), count=totals["sessions"])
        return render(
            request,
            "activities/activity_list.html",
            {
                "form": form,
                "page": page,
                "query": query,
                "export_query": request.GET.urlencode(),
                "can_edit": has_capability(user, "activities.edit"),
                "totals": totals,
                "period": period,
                "coverage": coverage,
                "as_of": as_of,
            },
        )


def _figures_kept(user, filterset, filters) -> bool:
    """The list's figures come from a kept snapshot: a county, city or province user, no filter but a year
    or half."""
    valid = not filterset.is_bound or filterset.form.is_valid()
    period = filters.get("period")
    unfiltered = set(filters) <= {"period"} and (period is None or not period.month)
    return valid and supervises_org_unit(user) and unfiltered


class ActivityCalendar(CapabilityRequired, NoStore, View):
    capability = "activities.view"

    def get(self, request):
        data = request.GET.copy()
        data.pop("period", None)  # the month is the period here
        data.pop("month", None)
        filterset, _used = _filters(request, data=data)
        form = filterset.form
        month = month_from(request.GET.get("month"))
        days = selectors.calendar_days(activities=filterset.qs, month=month)
        weeks = [[(day, days.get(day)) if day else (None, None) for day in week] for week in month_weeks(month)]
        query = request.GET.copy()
        query.pop("month", None)
        return render(
            request,
            "activities/activity_calendar.html",
            {
                "form": form,
                "month": month,
                "weeks": weeks,
                "count": sum(day.count for day in days.values()),
                "previous": (month - timedelta(days=1)).strftime("%Y-%m"),
                "next": (month + timedelta(days=32)).strftime("%Y-%m"),
                "query": query.urlencode(),
                "today": timezone.localdate(),
            },
        )


class ActivityCreate(CapabilityRequired, NoStore, View):
    capability = "activities.edit"

    def get(self, request):
        station = _own_station(request.user)
        form = ActivityForm(user=request.user, workstation=station)
        return self.render(form, station)

    def post(self, request):
        station = _own_station(request.user)
        form = ActivityForm(request.POST, user=request.user, workstation=station)
        if form.is_valid():
            try:
                activity = services.activity_create(actor=request.user, workstation=station, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if request.htmx:  # quick entry: confirm in place and offer a fresh form for the next one
                    return self.render(ActivityForm(user=request.user, workstation=station), station, saved=activity)
                messages.success(request, _("活动已登记：%(title)s") % {"title": activity.title})
                return redirect("activities:activity-detail", pk=activity.pk)
        return self.render(form, station)

    def render(self, form, station, source=None, saved=None):
        if self.request.htmx:  # only the entry block: the form with its errors, or the confirmation
            context = {"form": form, "station": station, "saved": saved}
            return render(self.request, "activities/_activity_entry.html", context)
        return render(
            self.request,
            "activities/activity_form.html",
            {
                "form": form,
                "station": station,
                "source": source,
                "recent": selectors.recent_by_type(user=self.request.user, workstation=station),
                "offline_kind": "activity",  # works offline too (stations.offline)
            },
        )


class ActivityCopy(ActivityCreate):
    """Copy-from-last: the create form prefilled from an earlier activity of the station, dated today."""

    def get(self, request, pk):
        station = _own_station(request.user)
        source = selectors.activity_get(user=request.user, pk=pk)
        if not selectors.activity_editable(user=request.user, activity=source):
            raise Http404
        initial = services.activity_copy_initial(actor=request.user, source=source)
        form = ActivityForm(user=request.user, workstation=station, initial=initial)
        return self.render(form, station, source=source)

    def post(self, request, pk):
        source = selectors.activity_get(user=request.user, pk=pk)  # another scope's activity: 404, as on GET
        if not selectors.activity_editable(user=request.user, activity=source):
            raise Http404
        return super().post(request)


class ActivityDetail(CapabilityRequired, NoStore, View):
    capability = "activities.view"

    def get(self, request, pk):
        activity = selectors.activity_get(user=request.user, pk=pk)
        editable = has_capability(request.user, "activities.edit") and selectors.activity_editable(
            user=request.user, activity=activity
        )
        return render(
            request,
            "activities/activity_detail.html",
            {
                "activity": activity,
                "can_edit": editable and not activity.is_archived,
                "attachment_form": AttachmentForm(),
                "attachment_errors": pop_field_errors(request, "attachment"),
                "archive_form": ArchiveForm(),
                "joint": selectors.joint_stations(activity),
                "system_label": dict(SYSTEM_CHOICES).get(activity.type.system),
            },
        )


def _editable_activity(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    if not selectors.activity_editable(user=request.user, activity=activity):
        raise Http404  # a participating station reads a joint activity; the organiser edits it
    return activity


class ActivityEdit(CapabilityRequired, NoStore, View):
    capability = "activities.edit"

    def get(self, request, pk):
        activity = _editable_activity(request, pk)
        form = ActivityForm(
            instance=activity,
            user=request.user,
            workstation=activity.workstation,
        )
        return self.render(form, activity)

    def post(self, request, pk):
        activity = _editable_activity(request, pk)
        form = ActivityForm(request.POST, instance=activity, user=request.user, workstation=activity.workstation)
        if form.is_valid():
            version = form.cleaned_data.get("version")
            try:
                services.activity_update(
                    actor=request.user, activity=activity, version=version, **form.service_kwargs()
                )
            except services.EditConflict:
                form.add_error(None, _("保存失败：其他用户已修改此活动，请刷新后重新编辑。"))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("activities:activity-detail", pk=activity.pk)
        return self.render(form, activity)

    def render(self, form, activity):
        return render(
            self.request,
            "activities/activity_form.html",
            {"form": form, "station": activity.workstation, "activity": activity},
        )


class ActivityArchive(CapabilityRequired, View):
    capability = "activities.edit"

    def post(self, request, pk):
        activity = _editable_activity(request, pk)
        form = ArchiveForm(request.POST)
        if form.is_valid():
            try:
                services.activity_archive(actor=request.user, activity=activity, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("活动已作废，不再计入统计"))
        else:
            messages.error(request, _("请填写作废原因"))
        return redirect("activities:activity-detail", pk=activity.pk)


class AttachmentUpload(CapabilityRequired, View):
    capability = "activities.edit"

    def post(self, request, pk):
        activity = _editable_activity(request, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachment_add(
                    actor=request.user,
                    activity=activity,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
        if form.errors:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, _("附件未上传：%(msg)s") % {"msg": error})
            keep_field_errors(request, "attachment", form.errors.get("file", []))
        else:
            messages.success(request, _("附件已上传"))
        return redirect("activities:activity-detail", pk=activity.pk)


class AttachmentDownload(CapabilityRequired, NoStore, View):
    """Attachments only through this checked and audited view, always as a download."""

    capability = "activities.view"

    def get(self, request, pk):
        attachment = selectors.attachment_get(user=request.user, pk=pk)
        response = file_response(attachment.file, filename=attachment.original_name)
        audit(
            actor=request.user,
            action="file.download",
            obj=attachment.activity,
            object_repr=f"{attachment.activity} / {attachment.original_name}",
        )
        return response


class ActivityStats(CapabilityRequired, NoStore, View):
    """Figures of the scope and period: by system, type, month, station and county; coverage, donations,
    lecturers. Joint activities count once per station and once in every total."""

    capability = "activities.view"

    def get(self, request):
        data = request.GET.copy()
        if not data.get("period"):  # figures are of one period: this year unless another is chosen
            data["period"] = str(Period(timezone.localdate().year))
        filterset, filters = _filters(request, data=data)
        form = filterset.form
        periods = form.fields["period"].widget
        periods.choices = [choice for choice in periods.choices if choice[0]]  # no 「全部」 here
        period = filters.get("period") or Period(timezone.localdate().year)
        user = request.user
        as_of = None
        if filters.get("workstation") is None and supervises_units(user) and period.month is None:
            as_of = cached(selectors.unit_stats_snapshot, user.org_unit_id, str(period))
            # the tables are rendered once per snapshot, not on every view (a province's are 1,500 stations)
            stats = {"body": rendered(as_of, "activities/_stats_body.html", user.org_unit_id, str(period))}
        else:
            stations = selectors.stations_with_county(user=user)
            if filters.get("workstation"):
                stations = [s for s in stations if s.pk == filters["workstation"].pk]
            stats = selectors.activity_stats(stations=stations, period=period)
        return render(
            request,
            "activities/activity_stats.html",
            {"form": form, "period": period, "as_of": as_of, **stats},
        )


# --- import ---------------------------------------------------------------------------------------


class _ActivityImport:
    importer = importing.IMPORTER
    url_name = "activities:import"
    confirm_url_name = "activities:import-confirm"
    errors_url_name = "activities:import-errors"
    done_url_name = "activities:activity-list"
    title = gettext_lazy("活动台账 Excel 导入")


class ActivityImport(_ActivityImport, import_views.ImportSteps):
    """Upload, map the columns, preview every row through the entry form; nothing written here."""


class ActivityImportConfirm(_ActivityImport, import_views.ImportConfirm):
    pass


class ActivityImportErrors(_ActivityImport, import_views.ImportErrors):
    pass
