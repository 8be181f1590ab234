"""Views of the stations app: thin — permission, then form or selector, then template."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import selectors, services
from .audit.log import audit
from .downloads import file_response
from .filters import WorkstationFilterSet
from .forms import (
    AccountForm,
    FundingForm,
    PasswordResetForm,
    RoleForm,
    SystemDocumentForm,
    WorkstationForm,
    WorkstationStatusForm,
    add_service_errors,
)
from .mixins import CapabilityRequired, NoStore
from .models import StationStatus, WorkSystem
from .panels import home_panels, station_panels
from .replica import report_reads
from .roles import has_capability, has_role, supervises_units
from .uploads import keep_field_errors, pop_field_errors

PAGE_SIZE = 25


def paginate(request, queryset, per_page=PAGE_SIZE, count: int | None = None):
    """A page of `queryset` and the query string of its links; `count` when the caller has the number of
    rows already (from a query that counts more than one thing), saving the paginator's COUNT."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


class Home(LoginRequiredMixin, TemplateView):
    """Each role's home: what is due in its scope. Apps add panels through `home_panels`."""

    template_name = "stations/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["panels"] = home_panels(self.request)
        context["no_role"] = not has_role(user)
        if supervises_units(user) and has_capability(user, "reports.dashboard"):
            # above the county the home page shows units, not stations (issue 16 §2)
            from .reports.overview import build_overview

            with report_reads():
                context["overview"] = build_overview(root=user.org_unit, user=user, today=timezone.localdate())
        if has_capability(user, "stations.overview"):
            counts = selectors.workstation_status_counts(user=user)
            context["status_counts"] = [(label, counts[value], value) for value, label in StationStatus.choices]
        return context


# --- workstation registry -----------------------------------------------------------------


class StationLookup(CapabilityRequired, NoStore, View):
    """The options of a station filter's search box (htmx fills its <datalist> as the user types)."""

    capability = "stations.view"

    def get(self, request):
        term = request.GET.get("q") or request.GET.get("workstation") or ""
        stations = selectors.station_search(user=request.user, term=term)
        return render(request, "stations/station_options.html", {"stations": stations})


class WorkstationList(CapabilityRequired, NoStore, View):
    capability = "stations.view"

    def get(self, request):
        filterset = WorkstationFilterSet(
            request.GET, queryset=selectors.workstation_list(user=request.user), user=request.user
        )
        form, qs = filterset.form, filterset.qs
        page, query = paginate(request, qs)
        return render(
            request,
            "stations/workstation_list.html",
            {
                "form": form,
                "page": page,
                "query": query,
                "count": page.paginator.count,
                "can_create": has_capability(request.user, "stations.manage"),
                "can_export": has_capability(request.user, "stations.export_roster"),
            },
        )


class WorkstationDetail(CapabilityRequired, NoStore, View):
    capability = "stations.view"

    def get(self, request, pk):
        station = selectors.workstation_get(user=request.user, pk=pk)
        user = request.user
        return render(
            request,
            "stations/workstation_detail.html",
            {
                "station": station,
                "systems": selectors.system_document_status(station),
                "can_edit": has_capability(user, "stations.edit_profile"),
                "can_manage": has_capability(user, "stations.manage"),
                "can_files": has_capability(user, "stations.view_profile_files"),
                "document_form": SystemDocumentForm(),
                "document_errors": pop_field_errors(request, "system_document"),
                "funding_form": FundingForm(),
                "panels": station_panels(request, station),
            },
        )


class WorkstationCreate(CapabilityRequired, NoStore, View):
    capability = "stations.manage"

    def get(self, request):
        return self.render(WorkstationForm(user=request.user, creating=True))

    def post(self, request):
        form = WorkstationForm(request.POST, request.FILES, user=request.user, creating=True)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("version",)}
            data["logo_photo"] = data.get("logo_photo") or ""
            county = data.pop("county")
            try:
                station = services.workstation_create(actor=request.user, county=county, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已创建工作站：%(name)s") % {"name": station.name})
                return redirect("stations:workstation-detail", pk=station.pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, "stations/workstation_form.html", {"form": form, "creating": True})


class WorkstationEdit(CapabilityRequired, NoStore, View):
    capability = "stations.edit_profile"

    def get(self, request, pk):
        station = selectors.workstation_get(user=request.user, pk=pk)
        return self.render(station, WorkstationForm(instance=station, user=request.user))

    def post(self, request, pk):
        station = selectors.workstation_get(user=request.user, pk=pk)
        form = WorkstationForm(request.POST, request.FILES, instance=station, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or station.version
            if data.get("logo_photo") is False:
                data["logo_photo"] = ""
            try:
                services.workstation_update(actor=request.user, workstation=station, version=version, **data)
            except services.EditConflict as conflict:
                messages.error(request, _("保存失败：其他用户已修改此记录，请刷新后重新编辑。"))
                return self.render(station, form, conflict=conflict.changed)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("stations:workstation-detail", pk=station.pk)
        return self.render(station, form)

    def render(self, station, form, conflict=None):
        return render(
            self.request, "stations/workstation_form.html", {"form": form, "station": station, "conflict": conflict}
        )


class WorkstationStatus(CapabilityRequired, NoStore, View):
    capability = "stations.manage"

    def get(self, request, pk):
        station = selectors.workstation_get(user=request.user, pk=pk)
        form = WorkstationStatusForm(user=request.user, station=station, initial={"status": station.status})
        return render(request, "stations/workstation_status.html", {"form": form, "station": station})

    def post(self, request, pk):
        station = selectors.workstation_get(user=request.user, pk=pk)
        form = WorkstationStatusForm(request.POST, user=request.user, station=station)
        if form.is_valid():
            try:
                services.workstation_set_status(actor=request.user, workstation=station, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("状态已更新"))
                return redirect("stations:workstation-detail", pk=station.pk)
        return render(request, "stations/workstation_status.html", {"form": form, "station": station})


class SystemDocumentUpload(CapabilityRequired, View):
    capability = "stations.edit_profile"

    def post(self, request, pk):
        station = selectors.workstation_get(user=request.user, pk=pk)
        form = SystemDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            services.system_document_set(actor=request.user, workstation=station, **form.cleaned_data)
            messages.success(request, _("制度文件已更新"))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            keep_field_errors(request, "system_document", form.errors.get("document", []))
        return redirect("stations:workstation-detail", pk=station.pk)


class FundingAdd(CapabilityRequired, View):
    capability = "stations.edit_profile"

    def post(self, request, pk):
        station = selectors.workstation_get(user=request.user, pk=pk)
        form = FundingForm(request.POST)
        if form.is_valid():
            services.funding_record(actor=request.user, workstation=station, **form.cleaned_data)
            messages.success(request, _("经费已登记"))
        else:
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{form.fields[field].label if field in form.fields else ''}：{error}")
        return redirect("stations:workstation-detail", pk=station.pk)


class WorkstationFile(CapabilityRequired, View):
    """Logo photo or a system document, only through this checked and audited view (HDR-3)."""

    capability = "stations.view_profile_files"

    def get(self, request, pk, kind, system=None):
        station = selectors.workstation_get(user=request.user, pk=pk)
        if kind == "logo":
            field = station.logo_photo
        elif kind == "system" and system in WorkSystem.values:
            doc = selectors.system_document_get(station=station, system=system)
            field = doc.document if doc else None
        else:
            raise Http404
        response = file_response(field)  # no file, or gone from disk: 404 with a Chinese message
        audit(actor=request.user, action="file.download", obj=station, object_repr=f"{station} / {field.name}")
        return response


# --- accounts, lockouts -------------------------------------------------------------


class UserList(CapabilityRequired, NoStore, View):
    """Both the system and the security administrator list accounts; each sees only their own actions."""

    capability = "accounts.view"

    def get(self, request):
        page, query = paginate(request, selectors.user_list(user=request.user, filters=request.GET))
        editable = selectors.editable_account_ids(user=request.user, among=[account.pk for account in page])
        return render(
            request,
            "stations/user_list.html",
            {
                "page": page,
                "query": query,
                "count": page.paginator.count,
                "editable": editable,
                "can_manage": has_capability(request.user, "accounts.manage"),
                "can_assign": has_capability(request.user, "accounts.assign_role"),
            },
        )


class AccountView(CapabilityRequired, NoStore, View):
    def get_account(self, pk):
        """Administrator accounts and the user's own are not here: 404 (AC-4)."""
        return get_object_or_404(selectors.editable_accounts(user=self.request.user), pk=pk)

    def one_time_password_page(self, account, password, *, created: bool):
        from django.conf import settings

        return render(
            self.request,
            "stations/user_password_result.html",
            {"account": account, "password": password, "created": created, "hours": settings.ONE_TIME_PASSWORD_HOURS},
        )


class UserCreate(AccountView):
    """System administrator: a new account with no role and a one-time password."""

    capability = "accounts.manage"

    def get(self, request):
        return self.render(AccountForm(creating=True))

    def post(self, request):
        form = AccountForm(request.POST, creating=True)
        if form.is_valid():
            data = dict(form.cleaned_data)
            password = data.pop("password")
            try:
                account, password = services.account_create(actor=request.user, password=password, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self.one_time_password_page(account, password, created=True)
        return self.render(form)

    def render(self, form):
        return render(self.request, "stations/user_form.html", {"form": form, "title": _("新建账户")})


class UserEdit(AccountView):
    """System administrator: name, phone, username, active; never role, scope or password."""

    capability = "accounts.manage"

    def get(self, request, pk):
        account = self.get_account(pk)
        return self.render(account, AccountForm(instance=account))

    def post(self, request, pk):
        account = self.get_account(pk)
        form = AccountForm(request.POST, instance=account)
        if form.is_valid():
            try:
                services.account_update(actor=request.user, user=account, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("账户已保存"))
                return redirect("stations:user-list")
        return self.render(account, form)

    def render(self, account, form):
        return render(
            self.request, "stations/user_form.html", {"form": form, "account": account, "title": _("编辑账户")}
        )


class UserPasswordReset(AccountView):
    """System administrator: a one-time password that only opens the owner's password-change page."""

    capability = "accounts.manage"

    def get(self, request, pk):
        account = self.get_account(pk)
        return self.render(account, PasswordResetForm(account=account))

    def post(self, request, pk):
        account = self.get_account(pk)
        form = PasswordResetForm(request.POST, account=account)
        if form.is_valid():
            password = services.account_password_reset(
                actor=request.user, user=account, password=form.cleaned_data["password"]
            )
            return self.one_time_password_page(account, password, created=False)
        return self.render(account, form)

    def render(self, account, form):
        return render(
            self.request, "stations/user_form.html", {"form": form, "account": account, "title": _("重置密码")}
        )


class UserRole(AccountView):
    """Security administrator: a non-administrator role and its scope."""

    capability = "accounts.assign_role"

    def get(self, request, pk):
        account = self.get_account(pk)
        initial = {"role": account.role, "workstation": account.workstation_id, "org_unit": account.org_unit_id}
        return self.render(account, RoleForm(initial=initial, user=request.user))

    def post(self, request, pk):
        account = self.get_account(pk)
        form = RoleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.role_assign(actor=request.user, user=account, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已更新 %(u)s 的角色与范围") % {"u": account.username})
                return redirect("stations:user-list")
        return self.render(account, form)

    def render(self, account, form):
        return render(
            self.request, "stations/user_form.html", {"form": form, "account": account, "title": _("分配角色与范围")}
        )


class ToggleLargeType(View):
    """Large-type mode for elderly volunteers entering data (DESIGN §10)."""

    def post(self, request):
        request.session["large_type"] = not request.session.get("large_type", False)
        target = request.POST.get("next") or reverse("stations:home")
        if not target.startswith("/") or target.startswith("//"):
            target = reverse("stations:home")
        return HttpResponseRedirect(target)
