"""Forms of the inspections app (errors in plain Chinese next to the field)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.filters import PERIOD_RANGE_MESSAGE, STATION_MESSAGE, PeriodField, ScopedModelChoiceField
from stations.forms import BootstrapFormMixin, CleanTextMixin, DateInput
from stations.models import OrgKind, OrgUnit, Workstation
from stations.scoping import ScopedFormMixin, visible_to
from stations.uploads import CheckedMultipleFileField

from .models import METHODS, AwardStatus, ChecklistStatus, Half, Severity, TemplateItem


def _year_choices():
    this = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this, this - 6, -1)]


def _not_past(deadline):
    """A deadline set now lies today or later (the service checks it again)."""
    if deadline and deadline < timezone.localdate():
        raise forms.ValidationError(_("整改期限不能早于今天"))
    return deadline


class RoundOpenForm(BootstrapFormMixin, ScopedFormMixin, forms.Form):
    county = forms.ModelChoiceField(label=_("县/区"), queryset=OrgUnit.objects.filter(kind=OrgKind.COUNTY))
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    half = forms.TypedChoiceField(label=_("半年"), coerce=int, choices=Half.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["half"].initial = 1 if today.month <= 6 else 2
        if self.fields["county"].queryset.count() == 1:
            self.fields["county"].initial = self.fields["county"].queryset.first()


class InspectionHeaderForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    methods = forms.MultipleChoiceField(
        label=_("督查方式"),
        choices=METHODS,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    inspected_on = forms.DateField(label=_("督查日期"), required=False, widget=DateInput())
    summary = forms.CharField(
        label=_("总体评价"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_inspected_on(self):
        value = self.cleaned_data.get("inspected_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("督查日期不能晚于今天"))
        return value


class RectificationForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("考评项目"), queryset=TemplateItem.objects.none(), required=False)
    finding = forms.CharField(label=_("存在问题"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.NORMAL)
    due_on = forms.DateField(
        label=_("整改期限"), required=False, widget=DateInput(), help_text=_("留空：一般问题 30 天，严重问题 15 天")
    )
    responsible = forms.CharField(label=_("责任人"), max_length=50)

    def __init__(self, *args, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        if template is not None:
            self.fields["item"].queryset = template.items.all()

    def clean_due_on(self):
        return _not_past(self.cleaned_data.get("due_on"))


class AnswerForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    answer = forms.CharField(label=_("整改情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    files = CheckedMultipleFileField(label=_("佐证材料（PDF、Word、Excel、图片）"), required=False)


class ReturnForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=300)
    due_on = forms.DateField(label=_("新的整改期限"), required=False, widget=DateInput())

    def clean_due_on(self):
        return _not_past(self.cleaned_data.get("due_on"))


class ReasonForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, min_length=2)


class InspectionFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("工作站"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("draft", _("待评分")), ("submitted", _("已提交"))]
    )


class ChecklistFilterForm(BootstrapFormMixin, ScopedFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    q = forms.CharField(label=_("工作站"), required=False)
    county = ScopedModelChoiceField(  # the shared unit message (stations.filters)
        label=_("县/区"), required=False, queryset=OrgUnit.objects.filter(kind=OrgKind.COUNTY)
    )
    state = forms.ChoiceField(
        label=_("台账"),
        required=False,
        choices=[
            ("", _("全部")),
            ("missing", _("未提交")),
            ("on_time", _("按时提交")),
            ("late", _("逾期提交")),
            *[c for c in ChecklistStatus.choices if c[0] != "draft"],
        ],
    )
    inspected = forms.ChoiceField(
        label=_("督查"),
        required=False,
        choices=[("", _("全部")), ("done", _("已督查")), ("missing", _("未督查"))],
        help_text=_("所选半年的督查已提交；按年度查看时，上下半年均已提交。"),
    )
    # The figure contract (hidden): a period (its year chooses the checklists, its half the inspection
    # round), a unit of any level, a station; a figure's link opens exactly the rows it counts.
    period = PeriodField(label=_("期间"), widget=forms.HiddenInput)
    org = ScopedModelChoiceField(
        label=_("单位"), required=False, queryset=OrgUnit.objects.all(), widget=forms.HiddenInput
    )
    workstation = ScopedModelChoiceField(
        label=_("工作站"),
        required=False,
        queryset=Workstation.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": STATION_MESSAGE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()

    def clean(self):
        data = super().clean()
        if period := data.get("period"):
            data["year"] = period.year  # a figure's link names the period; the year follows it
        return data


class ChecklistForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    highlights = forms.CharField(
        label=_("工作亮点"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    honours = forms.CharField(
        label=_("获得表彰"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    problems = forms.CharField(
        label=_("存在问题"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    plans = forms.CharField(
        label=_("下年度计划"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    filled_by = forms.CharField(label=_("填表人"), required=False, max_length=50)

    def __init__(self, *args, have_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.have_codes = []
        for item in have_items:
            name = f"have_{item['code']}"
            self.have_codes.append((name, item["code"]))
            self.fields[name] = forms.BooleanField(
                label=item["label"], required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )

    def haves(self):
        return {code: self.cleaned_data.get(name, False) for name, code in self.have_codes}


class AwardFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("包含年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"min_value": PERIOD_RANGE_MESSAGE, "max_value": PERIOD_RANGE_MESSAGE},
    )
    status = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部")), *AwardStatus.choices])


class AwardOpenForm(BootstrapFormMixin, forms.Form):
    first_year = forms.IntegerField(label=_("起始年度"), min_value=2000, max_value=2100)
    min_each = forms.DecimalField(
        label=_("每次得分不低于"), initial=85, max_digits=4, decimal_places=1, min_value=0, max_value=100
    )
    min_mean = forms.DecimalField(
        label=_("平均分不低于"), initial=90, max_digits=4, decimal_places=1, min_value=0, max_value=100
    )
    quota_percent = forms.IntegerField(label=_("推荐名额（%）"), initial=10, min_value=1, max_value=100)
    notice_days = forms.IntegerField(label=_("公示天数"), initial=7, min_value=1, max_value=60)


class NominateForm(BootstrapFormMixin, CleanTextMixin, ScopedFormMixin, forms.Form):
    workstation = forms.ModelChoiceField(label=_("工作站"), queryset=Workstation.objects.none())
    reason = forms.CharField(label=_("推荐理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = stations if stations is not None else Workstation.objects.none()
        self.fields["workstation"].queryset = visible_to(chosen, self.user)


class ReviewForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("意见"),
        coerce=lambda v: v == "1",
        choices=[("1", _("同意")), ("0", _("不同意"))],
        error_messages={"required": _("请选择意见"), "invalid_choice": _("请选择意见")},
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class ObjectionForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput())

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("收到日期不能晚于今天"))
        return value


class HandleForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    handling = forms.CharField(label=_("处理结果"), max_length=2000)
    upheld = forms.BooleanField(label=_("异议成立"), required=False)


class AdvanceForm(BootstrapFormMixin, forms.Form):
    """The province moves a cycle on (or closes it); the stage comes from a hidden field."""

    to = forms.ChoiceField(
        choices=[("reviewing", ""), ("notice", ""), ("deciding", ""), ("closed", "")],
        error_messages={"invalid_choice": _("评选阶段不能这样变更"), "required": _("评选阶段不能这样变更")},
    )


class DecideForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    """The province's decision on one nomination: 授予 / 不授予 (two buttons named `award`)."""

    award = forms.TypedChoiceField(
        label=_("决定"),
        coerce=lambda v: v == "1",
        choices=[("1", _("授予")), ("0", _("不授予"))],
        error_messages={"required": _("请选择授予或不授予"), "invalid_choice": _("请选择授予或不授予")},
    )
    note = forms.CharField(label=_("意见"), required=False, max_length=300)


class ChecklistReviewForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    note = forms.CharField(label=_("审核意见"), required=False, max_length=300)


class ItemScoresForm(CleanTextMixin, forms.Form):
    """The item cards of the scoring page: values `v_<entry>_<index>`, notes `note_<entry>`, and
    whether the officer pressed 提交并锁定. Numbers and bounds are checked by the service, which
    knows the item rules; the form checks sizes and cleans the text."""

    submit = forms.BooleanField(required=False)

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            pk = row["entry"].pk
            if row["item"].kind in ("boolean", "veto"):
                self.fields[f"v_{pk}_0"] = forms.BooleanField(required=False)
            else:
                for i in row["inputs"]:
                    self.fields[f"v_{pk}_{i['index']}"] = forms.CharField(
                        required=False, max_length=20, error_messages={"max_length": _("数值过长")}
                    )
            self.fields[f"note_{pk}"] = forms.CharField(required=False, max_length=300)

    def values(self) -> dict[int, list[str]]:
        """{entry id: [typed value, ...]}; a yes/no item is "1" or "0"."""
        result = {}
        for row in self.rows:
            pk = row["entry"].pk
            if row["item"].kind in ("boolean", "veto"):
                result[pk] = ["1" if self.cleaned_data.get(f"v_{pk}_0") else "0"]
            else:
                result[pk] = [self.cleaned_data.get(f"v_{pk}_{i['index']}", "") for i in row["inputs"]]
        return result

    def notes(self) -> dict[int, str]:
        return {row["entry"].pk: self.cleaned_data.get(f"note_{row['entry'].pk}", "") for row in self.rows}

    def typed(self, row) -> tuple[list, str]:
        """What the officer typed into one card (shown again when the page comes back with errors)."""
        pk = row["entry"].pk
        if row["item"].kind in ("boolean", "veto"):
            values = ["1" if self[f"v_{pk}_0"].value() else ""]
        else:
            values = [self[f"v_{pk}_{i['index']}"].value() or "" for i in row["inputs"]]
        return values, self[f"note_{pk}"].value() or ""

    def item_errors(self) -> dict[int, list[str]]:
        """Field errors per card: {entry id: [message, ...]}."""
        result: dict[int, list[str]] = {}
        for name, errors in self.errors.items():
            if name.startswith(("v_", "note_")):
                result.setdefault(int(name.split("_")[1]), []).extend(errors)
        return result
