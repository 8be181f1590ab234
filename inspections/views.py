"""Views of the inspections app: thin — capability (403), scoped selector (404), form, service."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from stations.confirm import Step, confirmation
from stations.downloads import file_response
from stations.forms import add_service_errors
from stations.mixins import CapabilityRequired, NoStore
from stations.reports.selectors import year_highlights
from stations.roles import has_capability
from stations.views import paginate

from . import selectors, services
from .exports import round_chart
from .filters import RectificationFilterSet, RoundFilterSet
from .forms import (
    AdvanceForm,
    AnswerForm,
    AwardFilterForm,
    AwardOpenForm,
    ChecklistFilterForm,
    ChecklistForm,
    ChecklistReviewForm,
    DecideForm,
    HandleForm,
    InspectionFilterForm,
    InspectionHeaderForm,
    ItemScoresForm,
    NominateForm,
    ObjectionForm,
    ReasonForm,
    RectificationForm,
    ReturnForm,
    ReviewForm,
    RoundOpenForm,
)
from .models import AwardStatus, ChecklistStatus, RectStatus
from .progress import checklist_due, due_end


def _message_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _has_field_errors(form) -> bool:
    return any(name != NON_FIELD_ERRORS for name in form.errors)


# --- rounds ---------------------------------------------------------------------------------


class RoundList(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def get(self, request, open_form=None):
        filterset = RoundFilterSet(request.GET, queryset=selectors.round_list(user=request.user), user=request.user)
        form = filterset.form
        page, query = paginate(request, filterset.qs)
        page.object_list = selectors.with_inspection_counts(user=request.user, rounds=page.object_list)
        can_open = has_capability(request.user, "inspections.manage_round")
        return render(
            request,
            "inspections/round_list.html",
            {
                "form": form,
                "page": page,
                "query": query,
                "count": page.paginator.count,
                "open_form": open_form or (RoundOpenForm(user=request.user) if can_open else None),
            },
        )


class RoundOpen(CapabilityRequired, NoStore, View):
    capability = "inspections.manage_round"

    def post(self, request):
        form = RoundOpenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                round = services.round_open(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已开启督查轮次：%(r)s") % {"r": round})
                return redirect("inspections:round-detail", pk=round.pk)
        return RoundList(request=request).get(request, open_form=form)


class RoundDetail(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def get(self, request, pk):
        round = selectors.round_get(user=request.user, pk=pk)
        form = InspectionFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        page, query = paginate(request, selectors.inspection_list(user=request.user, round=round, filters=filters))
        chart = None
        if has_capability(request.user, "reports.export_aggregate"):  # supervisors see every station's bar
            chart = round_chart(selectors.inspection_list(user=request.user, round=round))
        return render(
            request,
            "inspections/round_detail.html",
            {
                "round": round,
                "form": form,
                "page": page,
                "query": query,
                "count": page.paginator.count,
                "chart": chart,
                "can_score": has_capability(request.user, "inspections.score"),
                "can_report": has_capability(request.user, "inspections.manage_round")
                or has_capability(request.user, "reports.export_aggregate"),
            },
        )


# --- inspections ----------------------------------------------------------------------------


class InspectionDetail(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def get(self, request, pk, rect_form=None, correct_form=None):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        can_score = has_capability(request.user, "inspections.score")
        return render(
            request,
            "inspections/inspection_detail.html",
            {
                "inspection": inspection,
                "rows": selectors.inspection_rows(inspection),
                "rectifications": selectors.inspection_rectifications(inspection),
                "history": selectors.history_for(inspection),
                "can_score": can_score,
                "rect_form": rect_form or (RectificationForm(template=inspection.template) if can_score else None),
                "correct_form": correct_form or (ReasonForm() if can_score else None),
            },
        )


class InspectionScore(CapabilityRequired, NoStore, View):
    """The phone-width scoring page: one card per item, system figures shown beside the input."""

    capability = "inspections.score"

    def get(self, request, pk):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        if inspection.is_locked:
            messages.info(request, _("该督查已提交并锁定。"))
            return redirect("inspections:inspection-detail", pk=pk)
        header = InspectionHeaderForm(
            initial={
                "methods": inspection.methods,
                "inspected_on": inspection.inspected_on or timezone.localdate(),
                "summary": inspection.summary,
            }
        )
        return self.render(inspection, header, selectors.inspection_rows(inspection), {})

    def post(self, request, pk):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        rows = selectors.inspection_rows(inspection)
        if request.htmx and request.POST.get("item"):
            return self.save_item(inspection, rows)
        header = InspectionHeaderForm(request.POST)
        items = ItemScoresForm(request.POST, rows=rows)
        item_errors = {}
        header_valid, items_valid = header.is_valid(), items.is_valid()
        if header_valid and items_valid:
            submit = items.cleaned_data["submit"]
            try:
                services.inspection_score(
                    actor=request.user,
                    inspection=inspection,
                    values=items.values(),
                    notes=items.notes(),
                    methods=header.cleaned_data["methods"],
                    inspected_on=header.cleaned_data["inspected_on"],
                    summary=header.cleaned_data["summary"],
                )
                if submit:
                    inspection.refresh_from_db()
                    if page := confirmation(request, self.submit_step(inspection)):
                        return page  # the scores are saved; the lock waits for the confirmation
                    services.inspection_submit(actor=request.user, inspection=inspection)
            except ValidationError as exc:
                for field, errors in (
                    exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
                ):
                    if field.startswith("item_"):
                        item_errors[int(field[5:])] = errors
                    else:
                        header.add_error(field if field in header.fields else None, errors)
            else:
                if submit:
                    messages.success(request, _("督查已提交并锁定。"))
                    return redirect("inspections:inspection-detail", pk=pk)
                messages.success(request, _("已保存评分。"))
                return redirect("inspections:inspection-score", pk=pk)
        else:
            item_errors = items.item_errors()
        # show what the officer typed, not the stored values
        for row in rows:
            typed, note = items.typed(row)
            for i in row["inputs"]:
                i["value"] = typed[i["index"]] if i["index"] < len(typed) else ""
            row["entry"].note = note
        return self.render(inspection, header, rows, item_errors)

    @staticmethod
    def submit_step(inspection) -> Step:
        missing = [] if inspection.summary.strip() else [_("督查意见未填写")]
        return Step(
            title=_("提交并锁定 %(station)s 的督查评分") % {"station": inspection.workstation.name},
            effects=[
                _("评分锁定：得分 %(score)s 分，等次“%(grade)s”，计入半年度和年度考评；")
                % {"score": "—" if inspection.score is None else inspection.score, "grade": inspection.grade or "—"},
                _("工作站可以看到评分和整改要求；以前轮次的整改项记为已“回头看”。"),
            ],
            missing=missing,
            undo=_(
                "提交后不能直接修改。如有错误，由县级督查员在督查页点“更正”并填写原因（记入审计日志），更正后重新提交。"
            ),
            button=_("确认提交并锁定"),
            back=reverse("inspections:inspection-score", kwargs={"pk": inspection.pk}),
        )

    def save_item(self, inspection, rows):
        """htmx: save one item's values and answer with its card and the running total only. (Without
        JavaScript the same button submits the whole form, which `post` saves as a whole.)"""
        row = next((r for r in rows if str(r["entry"].pk) == self.request.POST["item"]), None)
        if row is None:
            raise Http404("item of another inspection")
        form = ItemScoresForm(self.request.POST, rows=[row])
        errors = form.item_errors().get(row["entry"].pk, []) if not form.is_valid() else []
        if not errors:
            try:
                inspection = services.inspection_score(
                    actor=self.request.user, inspection=inspection, values=form.values(), notes=form.notes()
                )
            except ValidationError as exc:
                errors = (
                    [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
                )
        if errors:
            typed, note = form.typed(row)  # show what the officer typed
            for i in row["inputs"]:
                i["value"] = typed[i["index"]] if i["index"] < len(typed) else ""
            row["entry"].note = note
            row["errors"], saved = errors, False
        else:
            row = next(r for r in selectors.inspection_rows(inspection) if r["entry"].pk == row["entry"].pk)
            row["errors"], saved = [], True
        context = {"inspection": inspection, "row": row, "saved": saved, "oob": True}
        return render(self.request, "inspections/_score_item.html", context)

    def render(self, inspection, header, rows, item_errors):
        for row in rows:
            row["errors"] = item_errors.get(row["entry"].pk, [])
        return render(
            self.request,
            "inspections/inspection_score.html",
            {
                "inspection": inspection,
                "header": header,
                "rows": rows,
                "history": selectors.history_for(inspection),
                "offline_kind": "score",  # scored offline too (stations.offline): the phone keeps this page
            },
        )


class InspectionCorrect(CapabilityRequired, NoStore, View):
    capability = "inspections.score"

    def post(self, request, pk):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                new = services.inspection_correct(
                    actor=request.user, inspection=inspection, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已创建更正版本，请修改后重新提交。"))
                return redirect("inspections:inspection-score", pk=new.pk)
        return InspectionDetail(request=request).get(request, pk, correct_form=form)


class RectificationRaise(CapabilityRequired, NoStore, View):
    capability = "inspections.score"

    def post(self, request, pk):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        form = RectificationForm(request.POST, template=inspection.template)
        if form.is_valid():
            try:
                services.rectification_raise(actor=request.user, inspection=inspection, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已下达整改事项。"))
                return redirect("inspections:inspection-detail", pk=pk)
        return InspectionDetail(request=request).get(request, pk, rect_form=form)


# --- rectifications -------------------------------------------------------------------------


class RectificationList(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def get(self, request):
        filterset = RectificationFilterSet(
            request.GET, queryset=selectors.rectification_list(user=request.user), user=request.user
        )
        form, qs = filterset.form, filterset.qs
        if (filterset.is_bound and not form.is_valid()) or filterset.filters_used:
            count, overdue = None, selectors.rectification_overdue_count(user=request.user)
        else:  # the whole list: its count and its overdue badge in one query
            count, overdue = selectors.rectification_counts(user=request.user)
        page, query = paginate(request, selectors.rectification_ids(qs), count=count)
        page.object_list = selectors.rectification_page(user=request.user, ids=page.object_list)
        return render(
            request,
            "inspections/rectification_list.html",
            {"form": form, "page": page, "query": query, "count": page.paginator.count, "overdue": overdue},
        )


class RectificationDetail(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def get(self, request, pk, answer_form=None, return_form=None):
        rect = selectors.rectification_get(user=request.user, pk=pk)
        can_answer = has_capability(request.user, "inspections.answer") and rect.status in (
            RectStatus.OPEN,
            RectStatus.RETURNED,
        )
        can_verify = has_capability(request.user, "inspections.verify") and rect.status == RectStatus.ANSWERED
        return render(
            request,
            "inspections/rectification_detail.html",
            {
                "rect": rect,
                "answer_form": answer_form or (AnswerForm(initial={"answer": rect.answer}) if can_answer else None),
                "return_form": return_form or (ReturnForm() if can_verify else None),
                "can_verify": can_verify,
            },
        )


class RectificationAnswer(CapabilityRequired, NoStore, View):
    capability = "inspections.answer"

    def post(self, request, pk):
        rect = selectors.rectification_get(user=request.user, pk=pk)
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.rectification_answer(
                    actor=request.user,
                    rectification=rect,
                    answer=form.cleaned_data["answer"],
                    files=form.cleaned_data["files"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已反馈整改情况，等待县级验收。"))
                return redirect("inspections:rectification-detail", pk=pk)
        return RectificationDetail(request=request).get(request, pk, answer_form=form)


class RectificationVerify(CapabilityRequired, NoStore, View):
    capability = "inspections.verify"

    def post(self, request, pk):
        rect = selectors.rectification_get(user=request.user, pk=pk)
        try:
            services.rectification_verify(actor=request.user, rectification=rect)
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("已验收。"))
        return redirect("inspections:rectification-detail", pk=pk)


class RectificationReturn(CapabilityRequired, NoStore, View):
    capability = "inspections.verify"

    def post(self, request, pk):
        rect = selectors.rectification_get(user=request.user, pk=pk)
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.rectification_return(actor=request.user, rectification=rect, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已退回，请工作站重新整改。"))
                return redirect("inspections:rectification-detail", pk=pk)
        return RectificationDetail(request=request).get(request, pk, return_form=form)


class EvidenceFile(CapabilityRequired, View):
    capability = "inspections.view"

    def get(self, request, pk, evidence):
        rect = selectors.rectification_get(user=request.user, pk=pk)
        item = selectors.evidence_get(rect, evidence)
        response = file_response(item.file, filename=item.name)  # a file gone from disk: 404, nothing audited
        services.evidence_download(actor=request.user, rectification=rect, evidence=item)
        return response


# --- annual checklist and yearly review -----------------------------------------------------


class ChecklistList(CapabilityRequired, NoStore, View):
    """Yearly review: per station the half-year scores, grade, and the checklist status."""

    capability = "inspections.view"

    def get(self, request):
        data = request.GET.copy()
        data.setdefault("year", str(timezone.localdate().year - 1))
        form = ChecklistFilterForm(data, user=request.user)
        filters = form.cleaned_data if form.is_valid() else {"year": timezone.localdate().year - 1}
        qs = selectors.checklist_list(user=request.user, year=filters["year"], filters=filters)
        page, query = paginate(request, qs)
        selectors.with_year_results(page)
        missing = selectors.checklist_missing_count(user=request.user, year=filters["year"])
        return render(
            request,
            "inspections/checklist_list.html",
            {
                "form": form,
                "page": page,
                "query": query,
                "count": page.paginator.count,
                "year": filters["year"],
                "missing": missing,
                "due": checklist_due(filters["year"]),
                "due_end": due_end(filters["year"]),
                "period": filters.get("period"),
            },
        )


class ChecklistDetail(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def _load(self, request, station, year):
        workstation = selectors.workstation_for(user=request.user, pk=station)
        if not 2000 <= year <= timezone.localdate().year:
            raise Http404
        return workstation, selectors.checklist_or_draft(user=request.user, workstation=workstation, year=year)

    def get(self, request, station, year, form=None, reason_form=None, review_form=None):
        workstation, checklist = self._load(request, station, year)
        have_items = selectors.have_items_for(workstation=workstation, year=year)
        editable = checklist.status == ChecklistStatus.DRAFT and has_capability(request.user, "checklist.fill")
        if form is None and editable:
            initial = {f: getattr(checklist, f) for f in services.CHECKLIST_FIELDS}
            initial["highlights"] = year_highlights(workstation, year)
            inferred = selectors.have_defaults(workstation=workstation, year=year, items=have_items)
            initial.update({f"have_{code}": value for code, value in {**inferred, **checklist.haves}.items()})
            form = ChecklistForm(initial=initial, have_items=have_items)
        user = request.user
        return render(
            request,
            "inspections/checklist_detail.html",
            {
                "station": workstation,
                "checklist": checklist,
                "year": year,
                "highlights": year_highlights(workstation, year),
                "sections": selectors.checklist_sections(checklist),
                "have_items": have_items,
                "form": form if editable else None,
                "can_submit": checklist.status == ChecklistStatus.DRAFT
                and checklist.pk
                and has_capability(user, "checklist.submit"),
                "can_review": checklist.status == ChecklistStatus.SUBMITTED
                and has_capability(user, "checklist.review"),
                # a user who fills the checklist but cannot submit it is told who does
                "who_submits": (workstation.head_name or _("本站站长"))
                if checklist.status == ChecklistStatus.DRAFT
                and has_capability(user, "checklist.fill")
                and not has_capability(user, "checklist.submit")
                else "",
                "can_reopen": checklist.status != ChecklistStatus.DRAFT and has_capability(user, "checklist.reopen"),
                "reason_form": reason_form or ReasonForm(),
                "review_form": review_form or ChecklistReviewForm(),
            },
        )

    def post(self, request, station, year):
        from stations.roles import require

        require(request.user, "checklist.fill")
        workstation, checklist = self._load(request, station, year)
        form = ChecklistForm(request.POST, have_items=selectors.have_items_for(workstation=workstation, year=year))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k in [*services.CHECKLIST_FIELDS, "highlights"]}
            try:
                checklist = services.checklist_for(actor=request.user, workstation=workstation, year=year)
                services.checklist_save(actor=request.user, checklist=checklist, haves=form.haves(), **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("inspections:checklist-detail", station=station, year=year)
        return self.get(request, station, year, form=form)


class ChecklistAction(CapabilityRequired, NoStore, View):
    """submit (head), review (county/city/province), reopen (county, with a reason)."""

    capabilities = {"submit": "checklist.submit", "review": "checklist.review", "reopen": "checklist.reopen"}

    def get_capability(self):
        if self.kwargs["action"] not in self.capabilities:
            raise Http404("unknown action")
        return self.capabilities[self.kwargs["action"]]

    def post(self, request, station, year, action):
        workstation = selectors.workstation_for(user=request.user, pk=station)
        checklist = selectors.checklist_of_year(user=request.user, workstation=workstation, year=year)
        if action == "submit":
            back = reverse("inspections:checklist-detail", kwargs={"station": station, "year": year})
            step = Step(
                title=_("站长提交 %(year)d 年度台账") % {"year": year},
                effects=[
                    _("台账中的系统数据固定为现在的数值，年度工作报告的数据随之固定；"),
                    _("本站 %(year)d 年度的所有记录（活动、走访、志愿服务、经费等）锁定，不能再新增或修改；")
                    % {"year": year},
                    _("县级关工委收到提交，可以审核。"),
                ],
                missing=selectors.submission_missing(checklist, highlights=year_highlights(workstation, year)),
                undo=_(
                    "提交后本站不能自行撤回。如需更正，请联系县级关工委（县/区督查员）“重新开放”并填写原因；重新开放后修改并再次提交。"
                ),
                button=_("确认提交并锁定 %(year)d 年度") % {"year": year},
                back=back,
            )
            if page := confirmation(request, step):
                return page
            try:
                services.checklist_submit(actor=request.user, checklist=checklist)
            except ValidationError as exc:
                _message_errors(request, exc)
            else:
                messages.success(request, _("年度台账已提交，%(year)d 年度数据已锁定。") % {"year": year})
            return redirect("inspections:checklist-detail", station=station, year=year)
        if action == "review":
            form, done = ChecklistReviewForm(request.POST), _("已审核。")
            service, field, page_kwarg = services.checklist_review, "note", "review_form"
        else:
            form, done = ReasonForm(request.POST), _("已重新开放，工作站可修改后重新提交。")
            service, field, page_kwarg = services.checklist_reopen, "reason", "reason_form"
        if form.is_valid():
            try:
                service(actor=request.user, checklist=checklist, **{field: form.cleaned_data[field]})
            except ValidationError as exc:
                add_service_errors(form, exc)
                if not _has_field_errors(form):
                    _message_errors(request, exc)
                    return redirect("inspections:checklist-detail", station=station, year=year)
            else:
                messages.success(request, done)
                return redirect("inspections:checklist-detail", station=station, year=year)
        return ChecklistDetail(request=request).get(request, station, year, **{page_kwarg: form})


# --- biennial award -------------------------------------------------------------------------


class AwardList(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def get(self, request, form=None):
        can_open = has_capability(request.user, "award.decide")
        filter_form = AwardFilterForm(request.GET or None)
        filters = filter_form.cleaned_data if filter_form.is_valid() else {}
        page, query = paginate(request, selectors.award_cycles(user=request.user, filters=filters))
        return render(
            request,
            "inspections/award_list.html",
            {
                "page": page,
                "query": query,
                "count": page.paginator.count,
                "form": form
                or (AwardOpenForm(initial={"first_year": timezone.localdate().year - 2}) if can_open else None),
            },
        )


class AwardOpen(CapabilityRequired, NoStore, View):
    capability = "award.decide"

    def post(self, request):
        form = AwardOpenForm(request.POST)
        province = selectors.province_of(user=request.user)
        if form.is_valid() and province is not None:
            try:
                cycle = services.award_cycle_open(actor=request.user, province=province, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("inspections:award-detail", pk=cycle.pk)
        return AwardList(request=request).get(request, form=form)


class AwardDetail(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def get(self, request, pk, nominate_form=None, row_error=None):
        """`row_error`: {"kind", "pk", "form"} of a table row's form that came back with errors."""
        cycle = selectors.award_cycle_get(user=request.user, pk=pk)
        user = request.user
        nominations = list(selectors.nominations(user=user, cycle=cycle))
        candidates = []
        if has_capability(user, "award.nominate") and cycle.status == AwardStatus.NOMINATING:
            candidates, eligible = selectors.award_candidates(user=user, cycle=cycle, nominations=nominations)
            nominate_form = nominate_form or NominateForm(user=user, stations=eligible)
        return render(
            request,
            "inspections/award_detail.html",
            {
                "cycle": cycle,
                "nominations": nominations,
                "candidates": candidates,
                "nominate_form": nominate_form if candidates else None,
                "can_review": has_capability(user, "award.review")
                and cycle.status in (AwardStatus.NOMINATING, AwardStatus.REVIEWING),
                "can_decide": has_capability(user, "award.decide"),
                "next_stage": {"nominating": "reviewing", "reviewing": "notice", "notice": "deciding"}.get(
                    cycle.status
                ),
                "objection_form": ObjectionForm(initial={"received_on": timezone.localdate()}),
                "handle_form": HandleForm(),
                "review_form": ReviewForm(),
                "row_error": row_error,
            },
        )


class AwardNominate(CapabilityRequired, NoStore, View):
    capability = "award.nominate"

    def post(self, request, pk):
        cycle = selectors.award_cycle_get(user=request.user, pk=pk)
        form = NominateForm(request.POST, user=request.user, stations=selectors.award_stations(user=request.user))
        if form.is_valid():
            try:
                services.award_nominate(actor=request.user, cycle=cycle, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已推荐。"))
                return redirect("inspections:award-detail", pk=pk)
        return AwardDetail(request=request).get(request, pk, nominate_form=form)


class AwardAdvance(CapabilityRequired, NoStore, View):
    capability = "award.decide"

    def post(self, request, pk):
        cycle = selectors.award_cycle_get(user=request.user, pk=pk)
        form = AdvanceForm(request.POST)
        try:
            if not form.is_valid():  # a hidden field: nothing to show it next to
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            to = form.cleaned_data["to"]
            step = selectors.award_stage_step(user=request.user, cycle=cycle, to=to)
            confirm = Step(
                title=_("%(cycle)s：进入“%(stage)s”阶段") % {"cycle": cycle, "stage": AwardStatus(to).label},
                effects=step["effects"],
                missing=step["missing"],
                undo=_(
                    "评选阶段只能向前推进，不能退回；本步骤记入审计日志。确有错误时，由省关工委说明情况后请系统管理员处理。"
                ),
                button=_("确认进入“%(stage)s”") % {"stage": AwardStatus(to).label},
                back=reverse("inspections:award-detail", kwargs={"pk": pk}),
            )
            if page := confirmation(request, confirm):
                return page
            if to == "closed":
                services.award_close(actor=request.user, cycle=cycle)
            else:
                services.award_advance(actor=request.user, cycle=cycle, to=form.cleaned_data["to"])
        except ValidationError as exc:
            _message_errors(request, exc)
        return redirect("inspections:award-detail", pk=pk)


def _row_action(request, *, cycle_id, kind, pk, form, service, **service_kwargs):
    """A form in a row of the award page: errors go back next to its fields (the page re-rendered);
    an error about the whole step (wrong stage, already decided) is a message above the page."""
    if form.is_valid():
        try:
            service(actor=request.user, **service_kwargs, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            if not _has_field_errors(form):
                _message_errors(request, exc)
                return redirect("inspections:award-detail", pk=cycle_id)
        else:
            messages.success(request, _("已保存。"))
            return redirect("inspections:award-detail", pk=cycle_id)
    return AwardDetail(request=request).get(request, cycle_id, row_error={"kind": kind, "pk": pk, "form": form})


class NominationAction(CapabilityRequired, NoStore, View):
    """review (city), objection / decide (province)."""

    capabilities = {"review": "award.review", "objection": "award.decide", "decide": "award.decide"}
    forms = {"review": ReviewForm, "objection": ObjectionForm, "decide": DecideForm}
    handlers = {
        "review": services.award_city_review,
        "objection": services.award_objection_record,
        "decide": services.award_decide,
    }

    def get_capability(self):
        if self.kwargs["action"] not in self.capabilities:
            raise Http404("unknown action")
        return self.capabilities[self.kwargs["action"]]

    def post(self, request, pk, action):
        nomination = selectors.nomination_get(user=request.user, pk=pk)
        if action == "decide":
            form = DecideForm(request.POST)
            award = form.is_valid() and form.cleaned_data["award"]
            step = Step(
                title=_("决定：%(station)s %(what)s“优秀爱心工作站”")
                % {"station": nomination.workstation.name, "what": _("授予") if award else _("不授予")},
                effects=[
                    _("生成证书编号，证书可以打印；获评计入 %(y)d 年度。") % {"y": nomination.cycle.last_year}
                    if award
                    else _("该推荐记为“未授予”，县（区）和工作站可以看到结果。"),
                ],
                undo=_("决定作出后不能更改，记入审计日志。"),
                button=_("确认授予") if award else _("确认不授予"),
                back=reverse("inspections:award-detail", kwargs={"pk": nomination.cycle_id}),
            )
            if form.is_valid() and (page := confirmation(request, step)):
                return page
        return _row_action(
            request,
            cycle_id=nomination.cycle_id,
            kind=action,
            pk=nomination.pk,
            form=self.forms[action](request.POST),
            service=self.handlers[action],
            nomination=nomination,
        )


class ObjectionHandle(CapabilityRequired, NoStore, View):
    capability = "award.decide"

    def post(self, request, pk):
        objection = selectors.objection_get(user=request.user, pk=pk)
        return _row_action(
            request,
            cycle_id=objection.nomination.cycle_id,
            kind="handle",
            pk=objection.pk,
            form=HandleForm(request.POST),
            service=services.award_objection_handle,
            objection=objection,
        )
