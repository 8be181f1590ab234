"""List filters of the inspections app (django-filter), on the shared period/unit/station parser."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.filters import PeriodFilter, ScopedFilterSet, StationFilter, UnitFilter

from .models import Half, RectStatus, Severity


def _year_choices():
    this = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this, this - 6, -1)]


class RoundFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("县/区"), method="filter_q", max_length=50)
    year = django_filters.TypedChoiceFilter(label=_("年度"), coerce=int, empty_value=None)
    half = django_filters.TypedChoiceFilter(
        label=_("半年"), coerce=int, empty_value=None, choices=[("", _("全部")), *Half.choices]
    )
    # The figure contract (hidden: from dashboard links): a round counts in its half-year
    period = PeriodFilter(label=_("期间"), method="filter_period", widget=forms.HiddenInput)
    org = UnitFilter(label=_("单位"), field_name="county__path", widget=forms.HiddenInput)
    workstation = StationFilter(label=_("工作站"), method="filter_workstation", widget=forms.HiddenInput)

    @property
    def form(self):
        form = super().form
        form.fields["year"].choices = [("", _("全部")), *_year_choices()]
        return form

    def filter_q(self, qs, name, term):
        term = term.strip()
        return qs.filter(Q(county__name__icontains=term) | Q(county__parent__name__icontains=term)) if term else qs

    def filter_period(self, qs, name, period):
        if not period:
            return qs
        return qs.filter(year=period.year, **({"half": period.half} if period.half else {}))

    def filter_workstation(self, qs, name, station):
        return qs.filter(county=station.county_id) if station else qs


class RectificationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", max_length=50)
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("pending", _("未验收")), ("overdue", _("已逾期")), *RectStatus.choices],
        empty_label=_("全部"),
        method="filter_status",
    )
    severity = django_filters.ChoiceFilter(label=_("严重程度"), choices=Severity.choices, empty_label=_("全部"))
    # The figure contract (hidden): raised by the end of the period; under a unit; of a station
    period = PeriodFilter(label=_("期间"), method="filter_period", widget=forms.HiddenInput)
    org = UnitFilter(label=_("单位"), widget=forms.HiddenInput)
    workstation = StationFilter(label=_("工作站"), widget=forms.HiddenInput)

    def filter_q(self, qs, name, term):
        term = term.strip()
        if not term:
            return qs
        return qs.filter(
            Q(finding__icontains=term) | Q(workstation__name__icontains=term) | Q(responsible__icontains=term)
        )

    def filter_status(self, qs, name, status):
        if status == "overdue":  # as the figure counts it: on the period's last day, or today
            period = self.form.cleaned_data.get("period")
            return qs.overdue(min(period.end, timezone.localdate()) if period else timezone.localdate())
        if status == "pending":
            return qs.unverified()
        return qs.filter(status=status) if status else qs

    def filter_period(self, qs, name, period):
        return qs.filter(created_at__date__lte=period.end) if period else qs
