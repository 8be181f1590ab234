"""Forms of the activities app: the quick entry form, filters, archive reason, attachment upload."""

import calendar
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.forms import CleanTextMixin, DateInput, style_fields
from stations.models import Workstation
from stations.scoping import partner_stations
from stations.uploads import CheckedFileField
from volunteers.models import StationRole
from volunteers.selectors import current_volunteers

from .models import Activity, ActivityType, AttachmentKind

ENTRY_FIELDS = [
    "type",
    "title",
    "held_on",
    "start_time",
    "hours",
    "place",
    "partner_name",
    "partner_type",
    "volunteers",
    "police_count",
    "teacher_count",
    "parent_count",
    "audience_count",
    "audience_kind",
    "minors_reached",
    "school",
    "lecturer",
    "vice_principal_name",
    "attendee_units",
    "decisions",
    "people_helped",
    "amount_yuan",
    "goods",
    "summary",
]


class ActivityForm(CleanTextMixin, forms.ModelForm):
    """Quick entry: today and the user's own station by default; volunteers limited to the station's
    current members (a foreign id is a field error); joint stations limited to the same county.

    Every choice field gets an explicit, scoped queryset here (the activity types are reference data)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    joint_stations = forms.ModelMultipleChoiceField(
        label=_("联合开展的其他工作站"),
        queryset=Workstation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("县（区）联合活动：在每个参与站各计 1 场，县级合计只计 1 场。"),
    )

    class Meta:
        model = Activity
        fields = ENTRY_FIELDS
        widgets = {
            "held_on": DateInput(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "volunteers": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "attendee_units": forms.Textarea(attrs={"rows": 2}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, workstation: Workstation, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.workstation = workstation
        self.fields["type"].queryset = ActivityType.objects.filter(is_active=True)
        members = current_volunteers(user=self.user, workstation=workstation)
        if self.instance.pk:
            # people who have left since stay on the activities they took part in
            members = (members | self.instance.volunteers.all()).distinct()
        self.fields["volunteers"].queryset = members
        self.fields["volunteers"].required = False
        self.fields["lecturer"].queryset = members.filter(roles__role=StationRole.LEGAL_LECTURER)
        self.fields["joint_stations"].queryset = partner_stations(workstation)
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("held_on", timezone.localdate())
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial.setdefault(
                "joint_stations", [s.pk for s in self.instance.stations.all() if s.pk != self.instance.workstation_id]
            )
        self.fields["held_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        style_fields(self)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ArchiveForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("作废原因"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("附件类型"), choices=AttachmentKind.choices)
    file = CheckedFileField(label=_("文件"), kind="attachment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


def month_from(value: str | None) -> date:
    """'2025-03' → date(2025, 3, 1); anything else → this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        today = timezone.localdate()
        return date(today.year, today.month, 1)


def month_weeks(month: date) -> list[list[date | None]]:
    return [
        [date(month.year, month.month, day) if day else None for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdayscalendar(month.year, month.month)
    ]
