"""List filters of the mentoring app (django-filter), on the shared period/unit/station parser."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.filters import PeriodFilter, ScopedFilterSet, StationFilter, UnitFilter

from . import selectors
from .models import CallKind, Category, RiskLevel, Stage


class YouthFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", max_length=50)
    stage = django_filters.ChoiceFilter(label=_("阶段"), choices=Stage.choices, empty_label=_("全部"))
    risk = django_filters.ChoiceFilter(
        label=_("风险"), field_name="risk_level", choices=RiskLevel.choices, empty_label=_("全部")
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Category.choices, empty_label=_("全部"), method="filter_category"
    )
    overdue = django_filters.BooleanFilter(label=_("仅逾期"), widget=forms.CheckboxInput, method="filter_overdue")
    workstation = StationFilter(label=_("工作站"))
    # The figure contract: under mentoring at some time in the period; under a unit (from dashboard links)
    period = PeriodFilter(label=_("期间"), method="filter_period", widget=forms.HiddenInput)
    # What "in the period" means (the figures' definitions): under mentoring at some time in it
    # (default), received in it (新接收) or closed in it (结案).
    basis = django_filters.ChoiceFilter(
        label=_("口径"),
        choices=[("new", _("期内接收")), ("closed", _("期内结案"))],
        empty_label=_("期内在帮教"),
        method="filter_basis",
        widget=forms.HiddenInput,
    )
    org = UnitFilter(label=_("单位"), widget=forms.HiddenInput)

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, user=user, **kwargs)
        self.sees_identity = selectors.sees_identity(user)

    @property
    def form(self):
        form = super().form
        if self.sees_identity:
            form.fields.pop("workstation", None)  # a station user sees one station
        else:
            form.fields["q"].help_text = _("按案件编号或来源编号")
        return form

    def filter_q(self, qs, name, term):
        return qs.filter(selectors.youth_search_q(user=self.user, term=term)) if term.strip() else qs

    def filter_category(self, qs, name, category):
        return qs.filter(categories__contains=f",{category},") if category else qs

    def filter_overdue(self, qs, name, overdue):
        if not overdue:
            return qs
        period = self.form.cleaned_data.get("period")
        return qs.filter(selectors.overdue_q(selectors.overdue_day(period, timezone.localdate())))

    def filter_basis(self, qs, name, value):
        return qs  # read by filter_period

    def filter_period(self, qs, name, period):
        if not period:
            return qs
        basis = self.form.cleaned_data.get("basis")
        if basis == "new":
            return qs.filter(intake_on__range=(period.start, period.end))
        if basis == "closed":
            return qs.filter(closed_on__range=(period.start, period.end))
        return qs.filter(intake_on__lte=period.end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))


class CallFilterSet(ScopedFilterSet):
    """110 calls; the figure links (`mentoring.runaway_calls`, `…_followed_up`) add ?period= and ?org=."""

    q = django_filters.CharFilter(label=_("警情编号"), field_name="reference", lookup_expr="icontains", max_length=50)
    kind = django_filters.ChoiceFilter(label=_("警情类型"), choices=CallKind.choices, empty_label=_("全部"))
    open = django_filters.BooleanFilter(label=_("未回访"), widget=forms.CheckboxInput, method="filter_open")
    period = PeriodFilter(label=_("期间"), field_name="called_at__date", widget=forms.HiddenInput)
    followed_up = django_filters.BooleanFilter(
        label=_("已回访"), field_name="followup_on", lookup_expr="isnull", exclude=True, widget=forms.HiddenInput
    )
    org = UnitFilter(label=_("单位"), widget=forms.HiddenInput)
    workstation = StationFilter(label=_("工作站"), widget=forms.HiddenInput)

    def filter_open(self, qs, name, value):
        return qs.filter(followup_on__isnull=True) if value else qs


class EncounterFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("地点或后四位"), method="filter_q", max_length=50)
    period = PeriodFilter(label=_("期间"), field_name="met_at__date", widget=forms.HiddenInput)
    org = UnitFilter(label=_("单位"), widget=forms.HiddenInput)
    workstation = StationFilter(label=_("工作站"), widget=forms.HiddenInput)

    def filter_q(self, qs, name, term):
        term = term.strip()
        return qs.filter(Q(place__icontains=term) | Q(id_last4=term)) if term else qs
