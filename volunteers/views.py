"""Views of the volunteers app: thin — permission, then form or selector, then template."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from stations.downloads import bytes_response, file_response
from stations.forms import add_service_errors
from stations.imports import views as import_views
from stations.mixins import CapabilityRequired, NoStore
from stations.roles import has_capability
from stations.views import paginate

from . import importing, selectors, services, training_importing
from .filters import StaffingFilterSet, TrainingFilterSet, VolunteerFilterSet
from .forms import (
    ImportForm,
    LeaveForm,
    ServiceLogForm,
    StatusForm,
    TrainingForm,
    TransferForm,
    VolunteerForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class VolunteerList(CapabilityRequired, NoStore, View):
    capability = "volunteers.view"

    def get(self, request):
        user = request.user
        filterset = VolunteerFilterSet(request.GET, queryset=selectors.volunteer_list(user=user), user=user)
        form, filters, qs = filterset.form, filterset.filters_used, filterset.qs
        page, query = paginate(request, selectors.volunteer_page_queryset(qs))
        rows = selectors.volunteer_rows(page.object_list, user=user)
        if rows and selectors.sees_identity(user):
            services.volunteer_identity_viewed(
                actor=user, object_repr=_("志愿者名单 第 %(n)d 页") % {"n": page.number}, count=len(rows)
            )
        station = filters.get("workstation")
        staffing = selectors.staffing_for(user=user, workstation=station) if station else None
        return render(
            request,
            "volunteers/volunteer_list.html",
            {
                "form": form,
                "page": page,
                "rows": rows,
                "query": query,
                "count": page.paginator.count,
                "station": station,
                "staffing": staffing,
                "can_edit": has_capability(user, "volunteers.edit"),
                "can_import": has_capability(user, "volunteers.import"),
                "can_export": has_capability(user, "volunteers.export"),
            },
        )


class StaffingList(CapabilityRequired, View):
    """The items behind "人员配备未达标项": one row per unmet staffing rule of each active station."""

    capability = "volunteers.view"

    def get(self, request):
        user = request.user
        filterset = StaffingFilterSet(request.GET, queryset=selectors.stations_to_check(), user=user)
        items, stations = selectors.staffing_failing_items(user=user, stations=filterset.qs)
        page, query = paginate(request, items)
        return render(
            request,
            "volunteers/staffing_list.html",
            {"form": filterset.form, "page": page, "query": query, "stations": stations},
        )


class VolunteerDetail(CapabilityRequired, NoStore, View):
    capability = "volunteers.view"

    def get(self, request, pk):
        user = request.user
        volunteer = selectors.volunteer_get(user=user, pk=pk)
        row = selectors.volunteer_rows([volunteer], user=user)[0]
        this_year = timezone.localdate().year
        history = selectors.volunteer_history(user=user, volunteer=volunteer)  # stations and dates only
        page, query = paginate(request, selectors.service_log_list(user=user, volunteer=volunteer))
        if selectors.sees_identity(user):
            services.volunteer_identity_viewed(actor=user, obj=volunteer)
        return render(
            request,
            "volunteers/volunteer_detail.html",
            {
                "v": row,
                "history": history,
                "page": page,
                "query": query,
                "trainings": selectors.trainings_of(user=user, volunteer=volunteer),
                "hours_by_year": selectors.hours_by_year(volunteer=volunteer, years=(this_year, this_year - 1)),
                "can_edit": has_capability(user, "volunteers.edit") and volunteer.is_current,
            },
        )


class VolunteerCreate(CapabilityRequired, NoStore, View):
    capability = "volunteers.edit"

    def get(self, request):
        return self.render(VolunteerForm(user=request.user, creating=True))

    def post(self, request):
        form = VolunteerForm(request.POST, user=request.user, creating=True)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                volunteer = services.volunteer_create(actor=request.user, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已登记：%(name)s") % {"name": volunteer.name})
                return redirect("volunteers:volunteer-detail", pk=volunteer.pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, "volunteers/volunteer_form.html", {"form": form, "creating": True})


class VolunteerEdit(CapabilityRequired, NoStore, View):
    capability = "volunteers.edit"

    def get(self, request, pk):
        volunteer = selectors.volunteer_get(user=request.user, pk=pk)
        if volunteer.id_number or volunteer.mobile:  # the form shows them in full
            services.volunteer_identity_viewed(actor=request.user, obj=volunteer)
        return self.render(volunteer, VolunteerForm(instance=volunteer, user=request.user))

    def post(self, request, pk):
        volunteer = selectors.volunteer_get(user=request.user, pk=pk)
        form = VolunteerForm(request.POST, instance=volunteer, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or volunteer.version
            try:
                services.volunteer_update(actor=request.user, volunteer=volunteer, version=version, **data)
            except services.EditConflict as conflict:
                messages.error(request, _("保存失败：其他用户已修改此记录，请刷新后重新编辑。"))
                return self.render(volunteer, form, conflict=conflict.changed)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("volunteers:volunteer-detail", pk=volunteer.pk)
        return self.render(volunteer, form)

    def render(self, volunteer, form, conflict=None):
        return render(
            self.request,
            "volunteers/volunteer_form.html",
            {"form": form, "volunteer": volunteer, "conflict": conflict},
        )


class _VolunteerAction(CapabilityRequired, NoStore, View):
    """A small form about one volunteer (leave, status, transfer)."""

    capability = "volunteers.edit"
    title = ""

    def make_form(self, volunteer, data=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def perform(self, volunteer, cleaned):  # pragma: no cover - abstract
        raise NotImplementedError

    def get(self, request, pk):
        volunteer = selectors.volunteer_get(user=request.user, pk=pk)
        return self.render(volunteer, self.make_form(volunteer))

    def post(self, request, pk):
        volunteer = selectors.volunteer_get(user=request.user, pk=pk)
        form = self.make_form(volunteer, request.POST)
        if form.is_valid():
            try:
                result = self.perform(volunteer, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已办理"))
                return redirect("volunteers:volunteer-detail", pk=result.pk)
        return self.render(volunteer, form)

    def render(self, volunteer, form):
        return render(
            self.request,
            "volunteers/volunteer_action.html",
            {
                "form": form,
                "volunteer": volunteer,
                "title": self.title,
                "offline_kind": getattr(self, "offline_kind", ""),
            },
        )


class VolunteerLeave(_VolunteerAction):
    title = _("办理退出")

    def make_form(self, volunteer, data=None):
        return LeaveForm(data)

    def perform(self, volunteer, cleaned):
        return services.volunteer_leave(actor=self.request.user, volunteer=volunteer, **cleaned)


class VolunteerStatusChange(_VolunteerAction):
    title = _("状态变更")

    def make_form(self, volunteer, data=None):
        return StatusForm(data)

    def perform(self, volunteer, cleaned):
        return services.volunteer_set_status(actor=self.request.user, volunteer=volunteer, **cleaned)


class VolunteerTransfer(_VolunteerAction):
    title = _("调动到其他工作站")

    def make_form(self, volunteer, data=None):
        return TransferForm(data, user=self.request.user, volunteer=volunteer)

    def perform(self, volunteer, cleaned):
        return services.volunteer_transfer(actor=self.request.user, volunteer=volunteer, **cleaned)


class ServiceLogAdd(_VolunteerAction):
    title = _("登记服务时长")
    offline_kind = "service"  # works offline: queued on the phone, sent through stations.offline

    def make_form(self, volunteer, data=None):
        return ServiceLogForm(data)

    def perform(self, volunteer, cleaned):
        services.service_log_add(actor=self.request.user, volunteer=volunteer, **cleaned)
        return volunteer


# --- trainings ------------------------------------------------------------------------------------


class TrainingList(CapabilityRequired, NoStore, View):
    capability = "volunteers.view"

    def get(self, request):
        user = request.user
        filterset = TrainingFilterSet(request.GET, queryset=selectors.training_list(user=user), user=user)
        form, qs = filterset.form, filterset.qs
        page, query = paginate(request, qs)
        totals = selectors.training_counts(trainings=qs, sessions=page.paginator.count)
        return render(
            request,
            "volunteers/training_list.html",
            {
                "form": form,
                "page": page,
                "query": query,
                "count": page.paginator.count,
                "totals": totals,
                "can_edit": has_capability(user, "volunteers.edit"),
            },
        )


class TrainingCreate(CapabilityRequired, NoStore, View):
    capability = "volunteers.edit"

    def form(self, data=None, files=None):
        attendees = selectors.attendee_choices(user=self.request.user)
        return TrainingForm(data, files, user=self.request.user, attendee_queryset=attendees)

    def get(self, request):
        return render(request, "volunteers/training_form.html", {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                training = services.training_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("培训已登记"))
                return redirect("volunteers:training-detail", pk=training.pk)
        return render(request, "volunteers/training_form.html", {"form": form})


class TrainingDetail(CapabilityRequired, NoStore, View):
    capability = "volunteers.view"

    def get(self, request, pk):
        training = selectors.training_get(user=request.user, pk=pk)
        return render(request, "volunteers/training_detail.html", {"training": training})


class TrainingCertificate(CapabilityRequired, View):
    capability = "volunteers.view"

    def get(self, request, pk):
        training = selectors.training_get(user=request.user, pk=pk)
        response = file_response(training.certificate)  # a file gone from disk: 404, nothing audited
        from stations.audit.log import audit

        audit(actor=request.user, action="file.download", obj=training, object_repr=f"{training} / 证书")
        return response


# --- import ---------------------------------------------------------------------------------------

SESSION_KEY = "volunteer_import"
ERRORS_KEY = "volunteer_import_errors"


class ImportTemplate(CapabilityRequired, View):
    capability = "volunteers.import"

    def get(self, request):
        template = importing.build_template(user=request.user)
        return bytes_response(template, filename="志愿者导入模板.xlsx", content_type=XLSX)


class ImportUpload(CapabilityRequired, NoStore, View):
    """Upload → the column-mapping step with the first rows as they will be read → preview with every
    row error (all in one page; a changed mapping is checked again). Nothing is written here."""

    capability = "volunteers.import"

    def get(self, request):
        return render(request, "volunteers/import.html", {"form": ImportForm()})

    def post(self, request):
        if request.POST.get("step") == "map":
            return self.remap(request)
        form = ImportForm(request.POST, request.FILES)
        context = {"form": form}
        if not form.is_valid():
            return render(request, "volunteers/import.html", context)
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error(
                "file",
                _("文件过大：%(size).1f MB，上限 %(limit)d MB。")
                % {"size": upload.size / 1048576, "limit": settings.UPLOAD_MAX_BYTES // 1048576},
            )
            return render(request, "volunteers/import.html", context)
        try:
            sheet = importing.parse_file(upload.name, upload.read())
        except importing.ImportRefused as refused:
            form.add_error("file", refused.message)
            return render(request, "volunteers/import.html", context)
        mapping = importing.suggested_mapping(user=request.user, sheet=sheet)
        token = import_views.store_sheet(request, SESSION_KEY, sheet, upload.name, mapping, sha256=sheet.checksum)
        return self.preview(request, form, sheet, mapping, token, upload.name)

    def remap(self, request):
        pending, sheet = import_views.pending_sheet(request, SESSION_KEY, request.POST.get("token", ""))
        if sheet is None:
            messages.error(request, _("没有待确认的导入，请重新上传文件。"))
            return redirect("volunteers:import")
        mapping = importing.mapping_from_post(request.POST, sheet)
        pending["mapping"] = {str(p): key for p, key in mapping.items()}
        request.session.modified = True
        return self.preview(request, ImportForm(), sheet, mapping, pending["token"], pending["name"])

    def preview(self, request, form, sheet, mapping, token, name):
        labels = [(f.key, f.label + ("*" if f.required else "")) for f in importing.FIELDS]
        context = {
            "form": form,
            "sheet": sheet,
            "filename": name,
            "sheet_token": token,
            "field_choices": labels,
            "columns": [
                {"position": p, "letter": sheet.letter(p), "header": h, "selected": mapping.get(p, "")}
                for p, h in enumerate(sheet.headers)
            ],
            "preview_rows": importing.preview_rows(user=request.user, sheet=sheet, mapping=mapping),
        }
        problems = importing.mapping_problems(user=request.user, mapping=mapping)
        if problems:
            context["mapping_problems"] = problems
            return render(request, "volunteers/import.html", context)
        try:
            plan = importing.validate_rows(user=request.user, name=name, parsed=sheet, mapping=mapping)
        except importing.ImportRefused as refused:
            context["mapping_problems"] = [refused.message]
            return render(request, "volunteers/import.html", context)
        context["plan"] = plan
        request.session[ERRORS_KEY] = {
            "name": name,
            "errors": [[e.row, e.column, e.value, e.message] for e in plan.errors[: import_views.MAX_ERRORS_KEPT]],
        }
        if plan.is_valid:
            context["token"] = token
        return render(request, "volunteers/import.html", context)


class ImportErrors(CapabilityRequired, View):
    """The last preview's row report as xlsx (IN-4), written by the formula-safe XlsxWriter (OUT-3)."""

    capability = "volunteers.import"

    def get(self, request):
        from stations.exports.xlsx import XlsxWriter

        report = request.session.get(ERRORS_KEY) or {"name": "", "errors": []}
        writer = XlsxWriter(title=_("志愿者导入错误报告"), user=request.user, filters={_("文件"): report["name"]})
        writer.sheet(
            _("导入错误"),
            [_("行"), _("列"), _("内容"), _("问题")],
            report["errors"],
            widths=[6, 14, 30, 60],
            key_columns=1,
        )
        return bytes_response(writer.to_bytes(), filename="志愿者导入错误报告.xlsx", content_type=XLSX)


class ImportConfirm(CapabilityRequired, NoStore, View):
    """Confirm the previewed file: validated again and written in one transaction."""

    capability = "volunteers.import"

    def post(self, request):
        pending, sheet = import_views.pending_sheet(request, SESSION_KEY, request.POST.get("token", ""))
        if sheet is None:
            messages.error(request, _("没有待确认的导入，请重新上传文件。"))
            return redirect("volunteers:import")
        mapping = {int(p): key for p, key in pending.get("mapping", {}).items()}
        try:
            plan = importing.volunteer_import(actor=request.user, name=pending["name"], parsed=sheet, mapping=mapping)
        except (importing.ImportRefused, ValidationError) as exc:
            plan = None
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        finally:
            import_views.drop_sheet(pending)
            request.session.pop(SESSION_KEY, None)
        if plan is None:
            return redirect("volunteers:import")
        if not plan.is_valid:
            return render(
                request, "volunteers/import.html", {"form": ImportForm(), "plan": plan, "filename": pending["name"]}
            )
        messages.success(
            request,
            _("导入完成：新增 %(c)d 人，更新 %(u)d 人，未变化 %(n)d 人。")
            % {"c": len(plan.creates), "u": len(plan.updates), "n": plan.unchanged},
        )
        return redirect("volunteers:volunteer-list")


# --- training import ------------------------------------------------------------------------------


class _TrainingImport:
    importer = training_importing.IMPORTER
    url_name = "volunteers:training-import"
    confirm_url_name = "volunteers:training-import-confirm"
    errors_url_name = "volunteers:training-import-errors"
    done_url_name = "volunteers:training-list"
    title = gettext_lazy("培训及签到 Excel 导入")


class TrainingImport(_TrainingImport, import_views.ImportSteps):
    """Upload, map the columns, preview every training through the entry form; nothing written here."""


class TrainingImportConfirm(_TrainingImport, import_views.ImportConfirm):
    pass


class TrainingImportErrors(_TrainingImport, import_views.ImportErrors):
    pass
