"""List filters of the volunteers app (django-filter), on the shared period/unit/station parser."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from stations.filters import PeriodFilter, ScopedFilterSet, StationFilter, UnitFilter
from stations.models import OrgUnit, Workstation

from . import selectors
from .models import CURRENT_STATUSES, ElderCategory, MemberType, StationRole, VolunteerStatus


def _all(choices):
    return [("", _("全部")), *choices]


class VolunteerFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("姓名/手机/身份证尾号"), method="filter_q", max_length=50)
    workstation = StationFilter(label=_("工作站"), queryset=Workstation.objects.none())
    elder_category = django_filters.ChoiceFilter(
        label=_("五老类别"),
        choices=[("any", _("五老（任一类别）")), *ElderCategory.choices],
        empty_label=_("全部"),
        method="filter_elder_category",
    )
    member_type = django_filters.ChoiceFilter(label=_("人员类型"), choices=MemberType.choices, empty_label=_("全部"))
    role = django_filters.ChoiceFilter(
        label=_("站内角色"), field_name="roles__role", choices=StationRole.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("current", _("在册")), *VolunteerStatus.choices],
        empty_label=_("全部"),
        method="filter_status",
    )
    stars = django_filters.ChoiceFilter(label=_("星级"), choices=[], empty_label=_("全部"), method="filter_stars")
    # The figure contract: on the roll at some time in the period; under a unit (hidden, from dashboard links)
    period = PeriodFilter(label=_("期间"), method="filter_period", widget=forms.HiddenInput)
    # What "in the period" means (the figures' definitions): on the roll at some time in it (default),
    # on the roll at its end (在册), joined in it (新入列) or left in it (退出).
    basis = django_filters.ChoiceFilter(
        label=_("口径"),
        choices=[("on_roll", _("期末在册")), ("joined", _("期内入列")), ("left", _("期内退出"))],
        empty_label=_("期内在册过"),
        method="filter_basis",
    )
    org = UnitFilter(label=_("单位"), queryset=OrgUnit.objects.none(), widget=forms.HiddenInput)

    @property
    def form(self):
        form = super().form
        form.fields["stars"].choices = [("", _("全部"))] + [
            (str(level), _("%(n)d 星") % {"n": level} if level else _("未评星"))
            for level in range(len(selectors.star_thresholds()) + 1)
        ]
        return form

    def filter_q(self, qs, name, term):
        return qs.filter(selectors.volunteer_search_q(user=self.user, term=term)) if term.strip() else qs

    def filter_status(self, qs, name, status):
        if not status:
            return qs
        return qs.filter(status__in=CURRENT_STATUSES) if status == "current" else qs.filter(status=status)

    def filter_stars(self, qs, name, stars):
        return selectors.with_star_level(qs, int(stars)) if stars not in (None, "") else qs

    def filter_elder_category(self, qs, name, value):
        if value == "any":
            return qs.exclude(elder_category=ElderCategory.NONE)
        return qs.filter(elder_category=value) if value else qs

    def filter_basis(self, qs, name, value):
        return qs  # read by filter_period

    def filter_period(self, qs, name, period):
        if not period:
            return qs
        basis = self.form.cleaned_data.get("basis")
        if basis == "on_roll":
            return qs.filter(selectors.on_roll_at(period.end))
        if basis == "joined":
            return qs.filter(joined_on__range=(period.start, period.end))
        if basis == "left":
            return qs.filter(left_on__range=(period.start, period.end)).exclude(status__in=CURRENT_STATUSES)
        return qs.filter(joined_on__lte=period.end).exclude(left_on__lt=period.start)


class TrainingFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("主题/组织单位"), method="filter_q", max_length=50)
    workstation = StationFilter(label=_("工作站"), queryset=Workstation.objects.none())
    period = PeriodFilter(label=_("期间（如 2025 或 2025H1）"), field_name="held_on")
    org = UnitFilter(label=_("单位"), queryset=OrgUnit.objects.none(), widget=forms.HiddenInput)

    def filter_q(self, qs, name, term):
        from django.db.models import Q

        term = term.strip()
        return qs.filter(Q(title__icontains=term) | Q(organiser__icontains=term)) if term else qs


class StaffingFilterSet(ScopedFilterSet):
    """The staffing check's failing items: stations under a unit, or one station. Staffing is checked on
    today's members whatever the period, as its figure is (the period is accepted and ignored)."""

    org = UnitFilter(label=_("单位"), field_name="org_path", widget=forms.HiddenInput)
    workstation = StationFilter(label=_("工作站"), method="filter_station", queryset=Workstation.objects.none())
    period = PeriodFilter(label=_("期间"), method="filter_period", widget=forms.HiddenInput)

    def filter_station(self, qs, name, station):
        return qs.filter(pk=station.pk) if station else qs

    def filter_period(self, qs, name, value):
        return qs
