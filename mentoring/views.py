"""Views of the mentoring app: thin — capability (403), selector (scope: 404), form, service, template."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from stations.confirm import Step, confirmation
from stations.forms import add_service_errors
from stations.imports import views as import_views
from stations.mixins import CapabilityRequired, NoStore
from stations.reasons import AccessReasonForm, Purpose
from stations.reports import jobs
from stations.roles import has_capability
from stations.views import paginate

from . import exports, forms, importing, selectors, services
from .filters import CallFilterSet, EncounterFilterSet, YouthFilterSet
from .models import TRANSITIONS, Stage


class YouthList(CapabilityRequired, NoStore, View):
    capability = "mentoring.view"

    def get(self, request):
        filterset = YouthFilterSet(request.GET, queryset=selectors.youth_list(user=request.user), user=request.user)
        form = filterset.form
        # the list's count and the sealed count beside it, in one query over the same filters
        cases = YouthFilterSet(request.GET, queryset=selectors.cases_to_count(user=request.user), user=request.user)
        listed, sealed = selectors.listed_and_sealed(cases.qs)
        page, query = paginate(request, filterset.qs, count=listed)
        today = timezone.localdate()
        rows = [selectors.present(y, user=request.user, today=today) for y in page]
        return render(
            request,
            "mentoring/youth_list.html",
            {
                "form": form,
                "page": page,
                "sealed_count": sealed,
                "rows": rows,
                "query": query,
                "can_edit": has_capability(request.user, "mentoring.edit"),
                "can_sealed": has_capability(request.user, "mentoring.view_sealed"),
                "can_export_named": has_capability(request.user, "mentoring.export_named"),
            },
        )


class YouthCreate(CapabilityRequired, NoStore, View):
    capability = "mentoring.edit"

    def get(self, request):
        today = timezone.localdate()
        form = forms.IntakeForm(initial={"intake_on": today, "risk_assessed_on": today})
        return render(request, "mentoring/youth_form.html", {"form": form})

    def post(self, request):
        form = forms.IntakeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            categories = data.pop("categories_list")
            guardian = {k: data.pop(f"guardian_{k}") for k in ("relation", "name", "phone")}
            station = request.user.workstation
            warning = services.duplicate_warning(
                actor=request.user, workstation=station, id_number=data.get("id_number", "")
            )
            try:
                youth = services.youth_intake(
                    actor=request.user,
                    workstation=station,
                    categories=categories,
                    guardians=[guardian] if guardian["name"] else [],
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if warning:
                    messages.warning(request, warning)
                messages.success(request, _("已接收建档：案件编号 %(n)d") % {"n": youth.pk})
                return redirect("mentoring:youth-detail", pk=youth.pk)
        return render(request, "mentoring/youth_form.html", {"form": form})


def _detail_context(request, youth, *, full=False):
    user = request.user
    row = selectors.present(youth, user=user, full=full)
    identity = not row.masked
    can_edit = has_capability(user, "mentoring.edit")
    return {
        "row": row,
        "youth": youth,
        "identity": identity,
        "guardians": selectors.guardians_for(youth, user=user, full=full),
        "teams": selectors.teams_of(youth) if identity else [],
        "timeline": selectors.timeline(youth) if identity else [],
        "visit_count": youth.visits.count(),
        "followup_dues": selectors.followup_dues_of(youth),
        "needs_consent": services.needs_consent(youth),
        "can_edit": can_edit,
        "can_full": row.masked and has_capability(user, "mentoring.view_identity_logged"),
        "can_approve": has_capability(user, "mentoring.approve_close"),
        "can_seal": has_capability(user, "mentoring.seal") and identity,
        # what a user who cannot close or seal is told: who does it
        "head_closes": can_edit and not has_capability(user, "mentoring.approve_close"),
        "next_stages": [s for s in TRANSITIONS[youth.stage] if s != Stage.CLOSED] if can_edit else [],
        "can_close": can_edit and Stage.CLOSED in TRANSITIONS[youth.stage],
        "reason_form": forms.ReasonForm(),
        "transition_form": forms.TransitionForm(),
        "ground_form": forms.GroundForm(),
    }


class YouthDetail(CapabilityRequired, NoStore, View):
    capability = "mentoring.view"

    def get(self, request, pk):
        youth = selectors.youth_get(user=request.user, pk=pk)
        return render(request, "mentoring/youth_detail.html", _detail_context(request, youth))


class YouthFull(CapabilityRequired, NoStore, View):
    """County officers: the full file, shown only after a stated reason, each opening logged."""

    capability = "mentoring.view_identity_logged"

    def get(self, request, pk):
        youth = selectors.youth_get(user=request.user, pk=pk)
        row = selectors.present(youth, user=request.user)
        form = AccessReasonForm(purpose=Purpose.FULL_FILE)
        return render(request, "mentoring/reason_form.html", {"form": form, "row": row})

    def post(self, request, pk):
        youth = selectors.youth_get(user=request.user, pk=pk)
        form = AccessReasonForm(request.POST, purpose=Purpose.FULL_FILE)
        if not form.is_valid():
            row = selectors.present(youth, user=request.user)
            return render(request, "mentoring/reason_form.html", {"form": form, "row": row})
        logged = services.log_full_view(
            actor=request.user, youth=youth, reason_code=form.code, reason=form.cleaned_data["reason"]
        )
        context = _detail_context(request, youth, full=True)
        context["full_view_reason"] = logged
        return render(request, "mentoring/youth_detail.html", context)


class YouthFormView(CapabilityRequired, NoStore, View):
    """A small form about one youth, saved by one service; back to the case page on success."""

    capability = "mentoring.edit"
    form_class = None
    title = ""

    def get_form(self, youth, data=None):
        return self.form_class(data)

    def save(self, youth, data):  # pragma: no cover - abstract
        raise NotImplementedError

    def confirm_step(self, youth, data) -> Step | None:
        """An irreversible save first shows what it changes (stations.confirm); most saves are not."""
        return None

    def get(self, request, pk):
        youth = selectors.youth_get(user=request.user, pk=pk)
        return self.render(youth, self.get_form(youth))

    def post(self, request, pk):
        youth = selectors.youth_get(user=request.user, pk=pk)
        form = self.get_form(youth, request.POST)
        if form.is_valid():
            step = self.confirm_step(youth, form.cleaned_data)
            if step is not None and (page := confirmation(request, step)):
                return page
            try:
                message = self.save(youth, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message or _("已保存"))
                return redirect("mentoring:youth-detail", pk=youth.pk)
        return self.render(youth, form)

    def render(self, youth, form):
        row = selectors.present(youth, user=self.request.user)
        return render(
            self.request,
            "mentoring/small_form.html",
            {
                "form": form,
                "row": row,
                "title": self.title,
                "needs_consent": services.needs_consent(youth),
                "compact": getattr(self, "compact", False),
                "offline_kind": getattr(self, "offline_kind", ""),
            },
        )


class YouthEdit(YouthFormView):
    title = _("修改基本情况")

    def get_form(self, youth, data=None):
        initial = {name: getattr(youth, name) for name in services.EDITABLE_FIELDS}
        initial["categories"] = youth.category_list
        return forms.YouthEditForm(data, initial=initial)

    def save(self, youth, data):
        services.youth_update(actor=self.request.user, youth=youth, **data)


class ConsentRecord(YouthFormView):
    form_class = forms.ConsentForm
    title = _("登记监护人同意")

    def save(self, youth, data):
        services.youth_consent_record(actor=self.request.user, youth=youth, **data)


class ConsentWithdraw(YouthFormView):
    form_class = forms.WithdrawForm
    title = _("撤回监护人同意")

    def save(self, youth, data):
        services.youth_consent_withdraw(actor=self.request.user, youth=youth, **data)


class YouthAssess(YouthFormView):
    form_class = forms.AssessForm
    title = _("风险评估")

    def save(self, youth, data):
        services.youth_assess(actor=self.request.user, youth=youth, **data)


class GuardianAdd(YouthFormView):
    form_class = forms.GuardianForm
    title = _("添加监护人")

    def save(self, youth, data):
        services.guardian_add(actor=self.request.user, youth=youth, **data)


class MilestoneAdd(YouthFormView):
    form_class = forms.MilestoneForm
    title = _("登记复学/就业/升学")

    def save(self, youth, data):
        services.milestone_record(actor=self.request.user, youth=youth, **data)


class ReinvolvementAdd(YouthFormView):
    form_class = forms.ReinvolvementForm
    title = _("登记重新违法犯罪")

    def save(self, youth, data):
        services.reinvolvement_record(actor=self.request.user, youth=youth, **data)


class FollowUpAdd(YouthFormView):
    form_class = forms.FollowUpForm
    title = _("登记结案回访")

    def save(self, youth, data):
        services.followup_record(actor=self.request.user, youth=youth, **data)


class TeamCreate(YouthFormView):
    title = _("结对帮教")

    def get_form(self, youth, data=None):
        initial = {"formed_on": timezone.localdate()}
        return forms.TeamForm(data, user=self.request.user, youth=youth, initial=initial)

    def save(self, youth, data):
        _team, warnings = services.team_create(actor=self.request.user, youth=youth, **data)
        for warning in warnings:
            messages.warning(self.request, warning)
        return _("已建立帮教小组")


class VisitCreate(YouthFormView):
    """Quick visit entry: one column, large controls, usable on a phone-width screen."""

    title = _("登记走访")
    compact = True
    offline_kind = "visit"  # works offline: queued on the phone, sent through stations.offline

    def get_form(self, youth, data=None):
        initial = {"visited_on": timezone.localdate(), "hours": "1.0"}
        return forms.VisitRecordForm(data, user=self.request.user, youth=youth, initial=initial)

    def save(self, youth, data):
        visit = services.visit_record(actor=self.request.user, youth=youth, **data)
        return _("已登记 %(year)d 年第 %(n)d 次走访") % {"year": visit.visited_on.year, "n": visit.sequence}


class YouthClose(YouthFormView):
    """Staff propose a closure (the head approves); the head closes directly."""

    form_class = forms.CloseForm
    title = _("结案")

    def confirm_step(self, youth, data):
        if not has_capability(self.request.user, "mentoring.approve_close"):
            return None  # a proposal: the head approves it (and confirms then)
        return close_step(youth, outcome=data["outcome"], closed_on=data["closed_on"])

    def save(self, youth, data):
        if has_capability(self.request.user, "mentoring.approve_close"):
            services.youth_close(actor=self.request.user, youth=youth, **data)
            return _("已结案")
        services.youth_close_propose(actor=self.request.user, youth=youth, **data)
        return _("已提交结案申请，待站长审批")


def close_step(youth, *, outcome, closed_on) -> Step:
    from .models import Outcome

    return Step(
        title=_("结案：案件 %(n)d") % {"n": youth.pk},
        effects=[
            _("结案结果“%(outcome)s”，结案日期 %(day)s；") % {"outcome": Outcome(outcome).label, "day": closed_on},
            _("该对象移出在帮名单，不再提醒走访；转入结案回访，按期提醒回访。"),
        ],
        undo=_("结案不能撤销。如对象再次出现问题，请登记重新违法犯罪或重新登记为帮教对象（原档案保留）。"),
        button=_("确认结案"),
        back=reverse("mentoring:youth-detail", kwargs={"pk": youth.pk}),
    )


class YouthCloseApprove(CapabilityRequired, View):
    capability = "mentoring.approve_close"

    def post(self, request, pk):
        youth = selectors.youth_get(user=request.user, pk=pk)
        if youth.needs_close_approval:
            step = close_step(youth, outcome=youth.proposed_outcome, closed_on=youth.proposed_closed_on)
            if page := confirmation(request, step):
                return page
        try:
            services.youth_close_approve(actor=request.user, youth=youth)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已批准结案"))
        return redirect("mentoring:youth-detail", pk=youth.pk)


class YouthTransition(CapabilityRequired, View):
    capability = "mentoring.edit"

    def post(self, request, pk):
        youth = selectors.youth_get(user=request.user, pk=pk)
        form = forms.TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写原因"))
        else:
            try:
                services.youth_transition(actor=request.user, youth=youth, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("阶段已更新"))
        return redirect("mentoring:youth-detail", pk=youth.pk)


class YouthSeal(CapabilityRequired, View):
    capability = "mentoring.seal"

    def post(self, request, pk):
        youth = selectors.youth_get(user=request.user, pk=pk)
        form = forms.GroundForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写封存的法律依据"))
            return redirect("mentoring:youth-detail", pk=youth.pk)
        step = Step(
            title=_("封存档案：案件 %(n)d") % {"n": youth.pk},
            effects=[
                _("档案封存：名单、统计明细和导出中不再显示该对象的任何信息，只计入数量；"),
                _("此后只能通过“封存档案查阅”凭案件编号和事由查阅，每次查阅记入审计日志；"),
                _("封存依据：%(ground)s") % {"ground": form.cleaned_data["ground"]},
            ],
            undo=_("解除封存须由站长提出申请并写明依据，经县级关工委批准后解除；申请和批准都记入审计日志。"),
            button=_("确认封存"),
            back=reverse("mentoring:youth-detail", kwargs={"pk": youth.pk}),
        )
        if page := confirmation(request, step):
            return page
        services.youth_seal(actor=request.user, youth=youth, ground=form.cleaned_data["ground"])
        messages.success(
            request, _("档案已封存，案件编号 %(n)d；此后只能通过“封存档案查阅”凭事由查阅。") % {"n": youth.pk}
        )
        return redirect("mentoring:youth-list")


class SealedView(CapabilityRequired, NoStore, View):
    """The one view of a sealed file: case number and a mandatory reason, each opening logged."""

    capability = "mentoring.view_sealed"

    def get(self, request):
        return render(request, "mentoring/sealed.html", {"form": forms.SealedLookupForm()})

    def post(self, request):
        form = forms.SealedLookupForm(request.POST)
        if not form.is_valid():
            return render(request, "mentoring/sealed.html", {"form": form})
        youth = selectors.sealed_youth_get(user=request.user, pk=form.cleaned_data["case"])
        services.log_sealed_view(
            actor=request.user, youth=youth, reason_code=form.code, reason=form.cleaned_data["reason"]
        )
        return render(
            request,
            "mentoring/sealed.html",
            {
                "form": forms.SealedLookupForm(),
                "youth": youth,
                "guardians": selectors.guardians_for(youth, user=request.user, full=True),
                "timeline": selectors.timeline(youth),
                "ground_form": forms.GroundForm(),
                "can_request_unseal": has_capability(request.user, "mentoring.seal") and not youth.unseal_requested_on,
            },
        )


class UnsealRequest(CapabilityRequired, View):
    capability = "mentoring.seal"

    def post(self, request, pk):
        youth = selectors.sealed_youth_get(user=request.user, pk=pk)
        form = forms.GroundForm(request.POST)
        if form.is_valid():
            services.youth_unseal_request(actor=request.user, youth=youth, ground=form.cleaned_data["ground"])
            messages.success(request, _("解封申请已提交，待县级关工委审批"))
        else:
            messages.error(request, _("请填写解封的法律依据"))
        return redirect("mentoring:sealed-view")


class UnsealList(CapabilityRequired, NoStore, View):
    capability = "mentoring.approve_unseal"

    def get(self, request):
        page, query = paginate(request, selectors.unseal_requests(user=request.user))
        return render(request, "mentoring/unseal_list.html", {"page": page, "query": query, "form": forms.ReasonForm()})


class UnsealApprove(CapabilityRequired, View):
    capability = "mentoring.approve_unseal"

    def post(self, request, pk):
        youth = selectors.sealed_youth_get(user=request.user, pk=pk)
        form = forms.ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.youth_unseal_approve(actor=request.user, youth=youth, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("已批准解封：案件编号 %(n)d") % {"n": youth.pk})
        else:
            messages.error(request, _("请填写审批意见"))
        return redirect("mentoring:unseal-list")


class OverdueList(CapabilityRequired, NoStore, View):
    """Open cases past their contact or reassessment date: the station's, or all of the county's (masked)."""

    capability = "mentoring.view"

    def get(self, request):
        data = request.GET.copy()
        data["overdue"] = "on"  # this page is the overdue list
        youth = selectors.youth_list(user=request.user, team=False)  # no team column on this page
        filterset = YouthFilterSet(data, queryset=youth, user=request.user)
        # the list's count and the sealed count beside it, in one query over the same filters
        cases = YouthFilterSet(data, queryset=selectors.cases_to_count(user=request.user), user=request.user).qs
        listed, sealed = selectors.listed_and_sealed(cases)
        page, query = paginate(request, filterset.qs, count=listed)
        form = filterset.form
        form.fields.pop("overdue", None)  # validated above; not offered on this page
        today = timezone.localdate()
        rows = [selectors.present(y, user=request.user, today=today) for y in page]
        calls = selectors.overdue_calls(user=request.user, now=timezone.now())
        followups = selectors.followup_items(user=request.user, today=today, overdue_only=True)[:50]
        return render(
            request,
            "mentoring/overdue_list.html",
            {
                "form": form,
                "page": page,
                "sealed_count": sealed,
                "rows": rows,
                "query": query,
                "calls": calls,
                "followups": followups,
            },
        )


class FollowUpList(CapabilityRequired, NoStore, View):
    capability = "mentoring.view"

    def get(self, request):
        items = selectors.followup_items(user=request.user, filters=request.GET)
        if request.GET.get("overdue"):
            items = [i for i in items if i["overdue"]]
        page, query = paginate(request, items)
        return render(request, "mentoring/followup_list.html", {"page": page, "query": query})


class CallList(CapabilityRequired, NoStore, View):
    capability = "mentoring.view"

    def get(self, request):
        filterset = CallFilterSet(request.GET, queryset=selectors.call_list(user=request.user), user=request.user)
        page, query = paginate(request, filterset.qs)
        now = timezone.now()
        from . import due

        rows = [
            {
                "call": c,
                "due": due.call_followup_due(called_at=c.called_at),
                "overdue": not c.followup_on and due.is_overdue(due.call_followup_due(called_at=c.called_at), now=now),
            }
            for c in page
        ]
        return render(
            request,
            "mentoring/call_list.html",
            {
                "form": filterset.form,
                "page": page,
                "rows": rows,
                "query": query,
                "can_edit": has_capability(request.user, "mentoring.edit"),
            },
        )


class CallCreate(CapabilityRequired, NoStore, View):
    capability = "mentoring.edit"

    def get(self, request):
        return render(request, "mentoring/call_form.html", {"form": forms.CallForm(), "title": _("登记110警情")})

    def post(self, request):
        form = forms.CallForm(request.POST)
        if form.is_valid():
            try:
                services.call_record(actor=request.user, workstation=request.user.workstation, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("警情已登记，请在48小时内回访"))
                return redirect("mentoring:call-list")
        return render(request, "mentoring/call_form.html", {"form": form, "title": _("登记110警情")})


class CallFollowUp(CapabilityRequired, NoStore, View):
    capability = "mentoring.edit"

    def get(self, request, pk):
        call = selectors.call_get(user=request.user, pk=pk)
        form = forms.CallFollowUpForm(user=request.user, call=call, initial={"followup_on": timezone.localdate()})
        return render(request, "mentoring/call_form.html", {"form": form, "call": call, "title": _("警情回访")})

    def post(self, request, pk):
        call = selectors.call_get(user=request.user, pk=pk)
        form = forms.CallFollowUpForm(request.POST, user=request.user, call=call)
        if form.is_valid():
            try:
                services.call_followup(actor=request.user, call=call, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("回访已登记"))
                return redirect("mentoring:call-list")
        return render(request, "mentoring/call_form.html", {"form": form, "call": call, "title": _("警情回访")})


class EncounterList(CapabilityRequired, NoStore, View):
    capability = "mentoring.view"

    def get(self, request):
        filterset = EncounterFilterSet(
            request.GET, queryset=selectors.encounter_list(user=request.user), user=request.user
        )
        page, query = paginate(request, filterset.qs)
        return render(
            request,
            "mentoring/encounter_list.html",
            {
                "form": filterset.form,
                "page": page,
                "query": query,
                "suggestions": selectors.encounter_suggestions(user=request.user),
                "can_edit": has_capability(request.user, "mentoring.edit"),
            },
        )


class EncounterCreate(CapabilityRequired, NoStore, View):
    capability = "mentoring.edit"

    def get(self, request):
        form = forms.EncounterForm()
        return render(request, "mentoring/call_form.html", {"form": form, "title": _("登记夜间游荡劝返")})

    def post(self, request):
        form = forms.EncounterForm(request.POST)
        if form.is_valid():
            try:
                services.encounter_record(actor=request.user, workstation=request.user.workstation, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已登记"))
                return redirect("mentoring:encounter-list")
        return render(request, "mentoring/call_form.html", {"form": form, "title": _("登记夜间游荡劝返")})


# --- the named list: filters, reason, encrypted file, password shown once ---------------------------------

SESSION_KEY = "named_export"


class YouthExport(CapabilityRequired, NoStore, View):
    capability = "mentoring.export_named"

    def get(self, request):
        # The list page's filters carry over (`?stage=…&workstation=…`); nothing is exported on GET.
        keys = ("workstation", "stage", "risk", "category", "overdue")
        initial = {key: request.GET[key] for key in keys if request.GET.get(key)}
        return self.render(forms.NamedExportForm(user=request.user, initial=initial))

    def post(self, request):
        form = forms.NamedExportForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                job, password = exports.named_export_create(
                    actor=request.user, filters=form.filters, reason_code=form.code, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                # Kept only until the next page shows it once; never in the job, the file name or the log.
                request.session[SESSION_KEY] = {"job": job.pk, "password": password}
                return redirect("mentoring:youth-export-done")
        return self.render(form)

    def render(self, form):
        return render(
            self.request,
            "mentoring/youth_export.html",
            {"form": form, "max_rows": settings.NAMED_EXPORT_MAX_ROWS, "ttl_hours": settings.EXPORT_TTL_HOURS},
        )


class YouthExportDone(CapabilityRequired, NoStore, View):
    """The latest named list and its password, once: a reload, another tab or the back button finds it gone.

    The file itself is downloaded through the one job download view (`reports:job-download`: the report's
    capability, the requester only, audited, expired after EXPORT_TTL_HOURS).
    """

    capability = "mentoring.export_named"

    def get(self, request):
        latest = request.session.get(SESSION_KEY) or {}
        if "job" not in latest:
            return redirect("mentoring:youth-export")
        job = jobs.export_job_get(user=request.user, pk=latest["job"])
        if job.report != exports.NAMED_SLUG:
            raise Http404("not a named list")
        password = latest.pop("password", None)
        request.session[SESSION_KEY] = latest
        return render(request, "mentoring/youth_export_done.html", {"job": job, "password": password})


# --- import ---------------------------------------------------------------------------------------


class _YouthImport:
    importer = importing.IMPORTER
    url_name = "mentoring:youth-import"
    confirm_url_name = "mentoring:youth-import-confirm"
    errors_url_name = "mentoring:youth-import-errors"
    done_url_name = "mentoring:youth-list"
    title = gettext_lazy("帮教对象 Excel 导入")


class YouthImport(_YouthImport, import_views.ImportSteps):
    """Upload, map the columns, preview every file through the intake form; nothing written here."""


class YouthImportConfirm(_YouthImport, import_views.ImportConfirm):
    pass


class YouthImportErrors(_YouthImport, import_views.ImportErrors):
    pass
