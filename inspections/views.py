"""Views of the inspections app: thin — capability (403), scoped selector (404), form, service."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from stations.audit import audit
from stations.downloads import file_response
from stations.forms import add_service_errors
from stations.mixins import CapabilityRequired, NoStore
from stations.roles import has_capability
from stations.views import paginate

from . import scoring, selectors, services
from .exports import round_chart
from .forms import (
    AdvanceForm,
    AnswerForm,
    AwardFilterForm,
    AwardOpenForm,
    ChecklistFilterForm,
    ChecklistForm,
    HandleForm,
    InspectionFilterForm,
    InspectionHeaderForm,
    NominateForm,
    ObjectionForm,
    ReasonForm,
    RectFilterForm,
    RectificationForm,
    ReturnForm,
    ReviewForm,
    RoundFilterForm,
    RoundOpenForm,
)
from .models import AwardStatus, ChecklistStatus, RectStatus


def _message_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- rounds ---------------------------------------------------------------------------------


class RoundList(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def get(self, request, open_form=None):
        form = RoundFilterForm(request.GET or None, user=request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        page, query = paginate(request, selectors.round_list(user=request.user, filters=filters))
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
                "rectifications": inspection.rectifications.select_related("item").order_by("pk"),
                "history": selectors.history_for(inspection),
                "can_score": can_score,
                "rect_form": rect_form or (RectificationForm(template=inspection.template) if can_score else None),
                "correct_form": correct_form or (ReasonForm() if can_score else None),
            },
        )


def _posted_values(request, rows):
    values, notes = {}, {}
    for row in rows:
        entry = row["entry"]
        values[entry.pk] = [request.POST.get(f"v_{entry.pk}_{i['index']}", "") for i in row["inputs"]]
        if row["item"].kind in ("boolean", "veto"):
            values[entry.pk] = ["1" if request.POST.get(f"v_{entry.pk}_0") else "0"]
        notes[entry.pk] = request.POST.get(f"note_{entry.pk}", "")
    return values, notes


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
        header = InspectionHeaderForm(request.POST)
        item_errors = {}
        values, notes = _posted_values(request, rows)
        if header.is_valid():
            try:
                services.inspection_score(
                    actor=request.user,
                    inspection=inspection,
                    values=values,
                    notes=notes,
                    methods=header.cleaned_data["methods"],
                    inspected_on=header.cleaned_data["inspected_on"],
                    summary=header.cleaned_data["summary"],
                )
                if request.POST.get("submit"):
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
                if request.POST.get("submit"):
                    messages.success(request, _("督查已提交并锁定。"))
                    return redirect("inspections:inspection-detail", pk=pk)
                messages.success(request, _("已保存评分。"))
                return redirect("inspections:inspection-score", pk=pk)
        # show what the officer typed, not the stored values
        for row in rows:
            for i in row["inputs"]:
                i["value"] = values[row["entry"].pk][i["index"]]
            row["entry"].note = notes[row["entry"].pk]
        return self.render(inspection, header, rows, item_errors)

    def render(self, inspection, header, rows, item_errors):
        for row in rows:
            row["errors"] = item_errors.get(row["entry"].pk, [])
        return render(
            self.request,
            "inspections/inspection_score.html",
            {"inspection": inspection, "header": header, "rows": rows, "history": selectors.history_for(inspection)},
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
        form = RectFilterForm(request.GET or None, user=request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        qs = selectors.rectification_list(user=request.user, filters=filters)
        page, query = paginate(request, qs)
        overdue = selectors.rectification_list(user=request.user, filters={"status": "overdue"}).count()
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
        item = next((e for e in rect.evidence.all() if e.pk == evidence), None)
        if item is None:
            raise Http404
        response = file_response(item.file, filename=item.name)  # a file gone from disk: 404, not a 500
        audit(actor=request.user, action="file.download", obj=rect, object_repr=f"{rect} / {item.name}")
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
        for station in page:
            scores = [s for s in (station.score_h1, station.score_h2) if s is not None]
            station.year_score = (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None
            station.year_grade = scoring.grade_for(station.year_score) if scores else ""
        missing = selectors.checklist_list(
            user=request.user, year=filters["year"], filters={"state": "missing"}
        ).count()
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
            },
        )


class ChecklistDetail(CapabilityRequired, NoStore, View):
    capability = "inspections.view"

    def _load(self, request, station, year):
        workstation = selectors.workstation_for(user=request.user, pk=station)
        if not 2000 <= year <= timezone.localdate().year:
            raise Http404
        return workstation, selectors.checklist_or_draft(workstation=workstation, year=year)

    def get(self, request, station, year, form=None, reason_form=None):
        workstation, checklist = self._load(request, station, year)
        have_items = selectors.have_items_for(workstation=workstation, year=year)
        editable = checklist.status == ChecklistStatus.DRAFT and has_capability(request.user, "checklist.fill")
        if form is None and editable:
            initial = {f: getattr(checklist, f) for f in services.CHECKLIST_FIELDS}
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
                "sections": selectors.checklist_sections(checklist),
                "have_items": have_items,
                "form": form if editable else None,
                "can_submit": checklist.status == ChecklistStatus.DRAFT
                and checklist.pk
                and has_capability(user, "checklist.submit"),
                "can_review": checklist.status == ChecklistStatus.SUBMITTED
                and has_capability(user, "checklist.review"),
                "can_reopen": checklist.status != ChecklistStatus.DRAFT and has_capability(user, "checklist.reopen"),
                "reason_form": reason_form or ReasonForm(),
            },
        )

    def post(self, request, station, year):
        from stations.roles import require

        require(request.user, "checklist.fill")
        workstation, checklist = self._load(request, station, year)
        form = ChecklistForm(request.POST, have_items=selectors.have_items_for(workstation=workstation, year=year))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k in services.CHECKLIST_FIELDS}
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
        try:
            if action == "submit":
                services.checklist_submit(actor=request.user, checklist=checklist)
                messages.success(request, _("年度台账已提交，%(year)d 年度数据已锁定。") % {"year": year})
            elif action == "review":
                services.checklist_review(actor=request.user, checklist=checklist, note=request.POST.get("note", ""))
                messages.success(request, _("已审核。"))
            else:
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return ChecklistDetail(request=request).get(request, station, year, reason_form=form)
                services.checklist_reopen(actor=request.user, checklist=checklist, reason=form.cleaned_data["reason"])
                messages.success(request, _("已重新开放，工作站可修改后重新提交。"))
        except ValidationError as exc:
            _message_errors(request, exc)
        return redirect("inspections:checklist-detail", station=station, year=year)


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

    def get(self, request, pk, nominate_form=None):
        cycle = selectors.award_cycle_get(user=request.user, pk=pk)
        user = request.user
        nominations = list(selectors.nominations(user=user, cycle=cycle))
        candidates = []
        if has_capability(user, "award.nominate") and cycle.status == AwardStatus.NOMINATING:
            stations = selectors.checklist_list(user=user, year=cycle.last_year)
            check = services.eligibility(cycle, [s.pk for s in stations])
            nominated = {n.workstation_id for n in nominations}
            candidates = [{"station": s, **check[s.pk], "nominated": s.pk in nominated} for s in stations]
            eligible = [c["station"].pk for c in candidates if c["eligible"] and not c["nominated"]]
            nominate_form = nominate_form or NominateForm(
                user=user, stations=stations.model.objects.filter(pk__in=eligible)
            )
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
            },
        )


class AwardNominate(CapabilityRequired, NoStore, View):
    capability = "award.nominate"

    def post(self, request, pk):
        cycle = selectors.award_cycle_get(user=request.user, pk=pk)
        stations = selectors.checklist_list(user=request.user, year=cycle.last_year)
        form = NominateForm(
            request.POST, user=request.user, stations=stations.model.objects.filter(pk__in=[s.pk for s in stations])
        )
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
            if request.POST.get("to") == "closed":
                services.award_close(actor=request.user, cycle=cycle)
            elif form.is_valid():
                services.award_advance(actor=request.user, cycle=cycle, to=form.cleaned_data["to"])
            else:
                raise ValidationError(_("评选阶段不能这样变更"))
        except ValidationError as exc:
            _message_errors(request, exc)
        return redirect("inspections:award-detail", pk=pk)


class NominationAction(CapabilityRequired, NoStore, View):
    """review (city), objection / decide (province)."""

    capabilities = {"review": "award.review", "objection": "award.decide", "decide": "award.decide"}

    def get_capability(self):
        if self.kwargs["action"] not in self.capabilities:
            raise Http404("unknown action")
        return self.capabilities[self.kwargs["action"]]

    def post(self, request, pk, action):
        nomination = selectors.nomination_get(user=request.user, pk=pk)
        try:
            if action == "review":
                form = ReviewForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("请选择意见"))
                services.award_city_review(actor=request.user, nomination=nomination, **form.cleaned_data)
            elif action == "objection":
                form = ObjectionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                services.award_objection_record(actor=request.user, nomination=nomination, **form.cleaned_data)
            else:
                services.award_decide(
                    actor=request.user,
                    nomination=nomination,
                    award=request.POST.get("award") == "1",
                    note=request.POST.get("note", ""),
                )
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("已保存。"))
        return redirect("inspections:award-detail", pk=nomination.cycle_id)


class ObjectionHandle(CapabilityRequired, NoStore, View):
    capability = "award.decide"

    def post(self, request, pk):
        objection = selectors.objection_get(user=request.user, pk=pk)
        form = HandleForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.award_objection_handle(actor=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as exc:
            _message_errors(request, exc)
        return redirect("inspections:award-detail", pk=objection.nomination.cycle_id)
