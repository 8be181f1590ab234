"""Forms of the volunteers app: validation of user input, scope-aware choice fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations import idnumbers
from stations.forms import CleanTextMixin, DateInput, style_fields
from stations.models import StationStatus, Workstation
from stations.phones import normalise_phone
from stations.scoping import ScopedFormMixin
from stations.uploads import CheckedFileField

from .models import (
    VOLUNTEER_DETAILS,
    Gender,
    ServiceKind,
    StationRole,
    Volunteer,
    VolunteerStatus,
)


def _all(choices):
    return [("", _("全部")), *choices]


class VolunteerForm(CleanTextMixin, ScopedFormMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("站内角色"), choices=StationRole.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    mobile = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Volunteer
        fields = ["workstation", "name", "id_number", *VOLUNTEER_DETAILS]
        widgets = {"birth_date": DateInput(), "joined_on": DateInput()}
        field_classes = {"id_number": idnumbers.IdNumberField}
        help_texts = {"gender": _("可留空，按身份证号自动填写"), "birth_date": _("可留空，按身份证号自动填写")}

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstation"].queryset = self.fields["workstation"].queryset.filter(status=StationStatus.ACTIVE)
        self.fields["gender"].required = False
        self.fields["id_number"].required = True
        self.fields["gender"].choices = [("", "---------"), *Gender.choices]
        if creating:
            stations = list(self.fields["workstation"].queryset[:2])
            if len(stations) == 1:
                self.fields["workstation"].initial = stations[0].pk
        else:
            del self.fields["workstation"]
            self.fields["version"].initial = self.instance.version
            self.fields["roles"].initial = list(self.instance.roles.values_list("role", flat=True))
        style_fields(self)

    def clean_mobile(self):
        return normalise_phone(self.cleaned_data.get("mobile", ""), mobile=True)

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if number:
            try:
                cleaned["id_number"] = idnumbers.validate(
                    number, birth_date=cleaned.get("birth_date"), gender=cleaned.get("gender") or None
                )
            except ValidationError as exc:
                self.add_error("id_number", exc)
            else:
                cleaned["birth_date"] = cleaned.get("birth_date") or idnumbers.birth_date_of(cleaned["id_number"])
                cleaned["gender"] = cleaned.get("gender") or idnumbers.gender_of(cleaned["id_number"])
        today = timezone.localdate()
        if cleaned.get("joined_on") and cleaned["joined_on"] > today:
            self.add_error("joined_on", _("入列日期不能晚于今天"))
        return cleaned

    def _post_clean(self):
        # The service runs full_clean with the identity and duplicate checks.
        pass


class LeaveForm(CleanTextMixin, forms.Form):
    left_on = forms.DateField(label=_("退出日期"), widget=DateInput())
    reason = forms.CharField(label=_("退出原因"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()
        style_fields(self)


class StatusForm(CleanTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("新状态"),
        choices=[
            (VolunteerStatus.ACTIVE, VolunteerStatus.ACTIVE.label),
            (VolunteerStatus.PAUSED, VolunteerStatus.PAUSED.label),
            (VolunteerStatus.DECEASED, VolunteerStatus.DECEASED.label),
        ],
    )
    changed_on = forms.DateField(label=_("生效日期"), widget=DateInput())
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate()
        style_fields(self)


class TransferForm(CleanTextMixin, ScopedFormMixin, forms.Form):
    to = forms.ModelChoiceField(label=_("调入工作站"), queryset=Workstation.objects.filter(status=StationStatus.ACTIVE))
    transferred_on = forms.DateField(label=_("调动日期"), widget=DateInput())
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, volunteer: Volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = self.fields["to"].queryset.exclude(pk=volunteer.workstation_id).order_by("code")
        self.fields["transferred_on"].initial = timezone.localdate()
        style_fields(self)

    def clean_transferred_on(self):
        day = self.cleaned_data["transferred_on"]
        if day > timezone.localdate():
            raise ValidationError(_("调动日期不能晚于今天"))
        return day


class TrainingForm(CleanTextMixin, ScopedFormMixin, forms.Form):
    workstation = forms.ModelChoiceField(
        label=_("工作站"), queryset=Workstation.objects.filter(status=StationStatus.ACTIVE).order_by("code")
    )
    title = forms.CharField(label=_("培训主题"), max_length=100)
    held_on = forms.DateField(label=_("培训日期"), widget=DateInput())
    organiser = forms.CharField(label=_("组织单位"), max_length=100)
    hours = forms.DecimalField(label=_("学时（小时）"), min_value=0.5, max_value=200, max_digits=5, decimal_places=1)
    attendees = forms.ModelMultipleChoiceField(
        label=_("参训人员"), queryset=Volunteer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    certificate = CheckedFileField(label=_("证书/签到表"), required=False)

    def __init__(self, *args, attendee_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = attendee_queryset
        stations = list(self.fields["workstation"].queryset[:2])
        if len(stations) == 1:
            self.fields["workstation"].initial = stations[0].pk
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        station = cleaned.get("workstation")
        if cleaned.get("held_on") and cleaned["held_on"] > timezone.localdate():
            self.add_error("held_on", _("培训日期不能晚于今天"))
        if station:
            for person in cleaned.get("attendees") or []:
                if person.workstation_id != station.pk:
                    self.add_error("attendees", _("参训人员须为所选工作站的成员"))
                    break
        return cleaned


class ImportForm(forms.Form):
    file = CheckedFileField(
        label=_("Excel 或 CSV 文件"), kind="table", help_text=_("xlsx 或 csv，不超过 5 MB、5000 行")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ServiceLogForm(CleanTextMixin, forms.Form):
    served_on = forms.DateField(label=_("服务日期"), widget=DateInput())
    hours = forms.DecimalField(label=_("时长（小时）"), min_value=0.5, max_value=24, max_digits=4, decimal_places=1)
    kind = forms.ChoiceField(label=_("服务类型"), choices=ServiceKind.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served_on"].initial = timezone.localdate()
        style_fields(self)
