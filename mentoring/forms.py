"""Forms of the mentoring app: input validation; scope-aware choice fields (AC-6)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stations import idnumbers
from stations.forms import BootstrapFormMixin, CleanTextMixin, DateInput
from stations.phones import normalise_phone
from stations.reasons import AccessReasonForm, Purpose
from stations.scoping import ScopedFormMixin, visible_to
from volunteers.models import CURRENT_STATUSES, Volunteer

from .models import (
    CallResult,
    Category,
    Kind,
    MilestoneKind,
    Outcome,
    PoliceCall,
    ReinvolvementKind,
    RiskLevel,
    SchoolStatus,
    Stage,
    TeamType,
    Visit,
    Youth,
)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes rendered by the shared form_fields include as a labelled group (label above, not after)."""

    input_type = "checkbox-list"

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["type"] = "checkbox"
        option["attrs"]["class"] = "form-check-input me-1"
        return option


class IntakeForm(CleanTextMixin, BootstrapFormMixin, forms.ModelForm):
    categories_list = forms.MultipleChoiceField(
        label=_("类别（可多选）"), choices=Category.choices, widget=CheckboxList, required=True
    )
    field_order = ["name", "gender", "birth_date", "id_number", "categories_list"]
    guardian_relation = forms.CharField(label=_("监护人关系"), max_length=20, required=False)
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    guardian_phone = forms.CharField(label=_("监护人电话"), max_length=20, required=False)

    class Meta:
        model = Youth
        fields = [
            "name",
            "gender",
            "birth_date",
            "id_number",
            "school_status",
            "home_area",
            "kind",
            "is_listed",
            "intake_source",
            "intake_on",
            "intake_reference",
            "risk_level",
            "risk_assessed_on",
            "legal_basis",
            "consent_by",
            "consent_relation",
            "consent_on",
            "consent_scope",
        ]
        widgets = {
            "birth_date": DateInput(),
            "intake_on": DateInput(),
            "risk_assessed_on": DateInput(),
            "consent_on": DateInput(),
        }
        field_classes = {"id_number": idnumbers.IdNumberField}

    def clean_guardian_phone(self):
        return normalise_phone(self.cleaned_data.get("guardian_phone", ""))

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if number:
            try:
                cleaned["id_number"] = idnumbers.validate(
                    number, birth_date=cleaned.get("birth_date"), gender=cleaned.get("gender")
                )
            except ValidationError as exc:
                self.add_error("id_number", exc)
        if cleaned.get("guardian_name") and not cleaned.get("guardian_relation"):
            self.add_error("guardian_relation", _("请填写监护人与本人的关系"))
        consent = [cleaned.get(f) for f in ("consent_by", "consent_relation", "consent_on", "consent_scope")]
        if any(consent) and not all(consent):
            self.add_error("consent_on", _("监护人同意须完整填写同意人、关系、日期和范围"))
        return cleaned

    def _post_clean(self):
        # The service validates the model (with the station set); skip the ModelForm's instance check.
        pass


class YouthEditForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    categories = forms.MultipleChoiceField(label=_("类别（可多选）"), choices=Category.choices, widget=CheckboxList)
    school_status = forms.ChoiceField(label=_("就学就业情况"), choices=SchoolStatus.choices)
    home_area = forms.CharField(label=_("居住区域"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("对象类型"), choices=Kind.choices)
    is_listed = forms.BooleanField(label=_("列管"), required=False)
    intake_reference = forms.CharField(label=_("来源编号/文书号"), max_length=60, required=False)


class ConsentForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    consent_by = forms.CharField(label=_("同意人"), max_length=50)
    consent_relation = forms.CharField(label=_("与本人关系"), max_length=20)
    consent_on = forms.DateField(label=_("同意日期"), widget=DateInput())
    consent_scope = forms.CharField(label=_("同意范围"), max_length=200)


class WithdrawForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("撤回日期"), widget=DateInput())
    reason = forms.CharField(label=_("说明"), max_length=300, required=False)


class AssessForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    assessed_on = forms.DateField(label=_("评估日期"), widget=DateInput())
    reason = forms.CharField(label=_("评估说明"), max_length=300, required=False)


class GuardianForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    relation = forms.CharField(label=_("关系"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("电话"), max_length=20, required=False)

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))


class TransitionForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("原因"), max_length=300)


class VolunteerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LeadChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class YouthChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"#{obj.pk} {obj.name}"


class TeamForm(BootstrapFormMixin, ScopedFormMixin, forms.Form):
    team_type = forms.ChoiceField(label=_("结对形式"), choices=TeamType.choices)
    lead = LeadChoice(label=_("主帮教人"), queryset=Volunteer.objects.all())
    members = VolunteerChoice(
        label=_("其他帮教人（多帮一）"),
        queryset=Volunteer.objects.all(),
        required=False,
        widget=CheckboxList,
    )
    other_youth = YouthChoice(
        label=_("同时结对的其他对象（一帮多）"),
        queryset=Youth.objects.all(),
        required=False,
        widget=CheckboxList,
    )
    formed_on = forms.DateField(label=_("结对日期"), widget=DateInput())

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        station = youth.workstation_id
        current = dict(workstation_id=station, status__in=CURRENT_STATUSES)
        self.fields["lead"].queryset = self.fields["lead"].queryset.filter(**current)
        self.fields["members"].queryset = self.fields["members"].queryset.filter(**current)
        self.fields["other_youth"].queryset = (
            self.fields["other_youth"].queryset.filter(workstation_id=station, stage__in=["intake", "active"])
        ).exclude(pk=youth.pk)


class VisitRecordForm(CleanTextMixin, BootstrapFormMixin, ScopedFormMixin, forms.ModelForm):
    participants = VolunteerChoice(
        label=_("参与人员"), queryset=Volunteer.objects.all(), required=False, widget=CheckboxList
    )

    class Meta:
        model = Visit
        fields = [
            "visited_on",
            "form",
            "place",
            "participants",
            "hours",
            "guardian_present",
            "summary",
            "situation",
            "difficulties_solved",
            "next_steps",
        ]
        widgets = {
            "visited_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "situation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = self.fields["participants"].queryset.filter(
            workstation_id=youth.workstation_id, status__in=CURRENT_STATUSES
        )
        self.fields["difficulties_solved"].required = False

    def clean_difficulties_solved(self):
        return self.cleaned_data.get("difficulties_solved") or 0

    def _post_clean(self):
        pass


class CloseForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("结案结果"), choices=[("", "---------"), *Outcome.choices])
    closed_on = forms.DateField(label=_("结案日期"), widget=DateInput())
    note = forms.CharField(
        label=_("结案说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    done_on = forms.DateField(label=_("回访日期"), widget=DateInput())
    summary = forms.CharField(label=_("回访情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=MilestoneKind.choices)
    on = forms.DateField(label=_("日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ReinvolvementForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ReinvolvementKind.choices)
    on = forms.DateField(label=_("日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class GroundForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    ground = forms.CharField(
        label=_("法律依据"),
        max_length=300,
        min_length=4,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：《刑事诉讼法》第二百八十六条；《预防未成年人犯罪法》第五十九条"),
    )


class ReasonForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    """The opinion on an unseal approval. Reasons that open data use stations.reasons.AccessReasonForm."""

    reason = forms.CharField(
        label=_("查阅事由"), max_length=300, min_length=4, widget=forms.Textarea(attrs={"rows": 2})
    )


class SealedLookupForm(AccessReasonForm):
    """Case number plus a reason allowed for sealed records (a legal query or a case being handled)."""

    case = forms.IntegerField(label=_("案件编号"), min_value=1)

    field_order = ["case", "reason_code", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, purpose=Purpose.SEALED, **kwargs)


class NamedExportForm(AccessReasonForm):
    """The named list's page: filters that narrow the list to the cases the reason covers, and the reason.

    Above the station the workstation is required (one station per file); the rules that depend on the
    reason (case numbers for ID numbers, the row cap) are the service's, shown next to the same fields.
    """

    stage = forms.ChoiceField(label=_("阶段"), choices=[("", _("全部")), *Stage.choices], required=False)
    risk = forms.ChoiceField(label=_("风险"), choices=[("", _("全部")), *RiskLevel.choices], required=False)
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("全部")), *Category.choices], required=False)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)
    cases = forms.CharField(
        label=_("案件编号"),
        required=False,
        max_length=400,
        help_text=_("可选：只导出这些案件，多个编号用逗号或空格分隔。事由为“案件办理需要”时必填，身份证号才完整导出。"),
    )

    field_order = ["workstation", "stage", "risk", "category", "overdue", "cases", "reason_code", "reason"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, purpose=Purpose.NAMED_EXPORT, **kwargs)
        from stations.models import Workstation

        from .selectors import sees_identity

        self.user = user
        if not sees_identity(user):
            self.fields["workstation"] = forms.ModelChoiceField(
                label=_("工作站"), queryset=visible_to(Workstation.objects.all(), user)
            )
            self.fields["workstation"].widget.attrs["class"] = "form-select"
            self.order_fields(self.field_order)

    def clean_cases(self):
        text = self.cleaned_data.get("cases", "").strip()
        parts = [p.lstrip("#") for p in re.split(r"[\s,，、;；]+", text) if p]
        if any(not p.isdigit() or len(p) > 9 for p in parts):
            raise ValidationError(_("案件编号只能是数字，多个编号用逗号或空格分隔。"))
        return sorted({int(p) for p in parts})

    @property
    def filters(self) -> dict:
        """The selector's filters (mentoring.selectors.youth_list) from the cleaned fields."""
        data = self.cleaned_data
        keys = ("workstation", "stage", "risk", "category", "overdue", "cases")
        return {key: data[key] for key in keys if data.get(key)}


class CallForm(CleanTextMixin, BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = PoliceCall
        fields = ["kind", "called_at", "reference"]
        widgets = {"called_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def _post_clean(self):
        pass


class CallFollowUpForm(CleanTextMixin, BootstrapFormMixin, ScopedFormMixin, forms.Form):
    followup_on = forms.DateField(label=_("回访日期"), widget=DateInput())
    result = forms.ChoiceField(label=_("回访结果"), choices=CallResult.choices)
    youth = forms.ModelChoiceField(label=_("转为帮教对象（如已建档）"), queryset=Youth.objects.all(), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = self.fields["youth"].queryset.filter(workstation_id=call.workstation_id)
        self.fields["youth"].label_from_instance = lambda obj: f"#{obj.pk} {obj.name}"


class EncounterForm(CleanTextMixin, BootstrapFormMixin, forms.Form):
    met_at = forms.DateTimeField(
        label=_("时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("地点"), max_length=100)
    measures = forms.CharField(label=_("处置措施"), max_length=300, help_text=_("如：供餐、抄写法条、观看警示片"))
    guardian_collected = forms.BooleanField(label=_("监护人领回"), required=False)
    id_number = idnumbers.IdNumberField(
        label=_("身份证号（可选）"),
        required=False,
        help_text=_("只保存不可逆的比对码和后四位，用于发现 90 天内多次游荡的未成年人"),
    )

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "")
        return idnumbers.validate(value) if value else ""
