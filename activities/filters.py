"""List filters of the activities app (django-filter), on the shared period/unit/station parser."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stations.filters import PeriodFilter, ScopedFilterSet, StationFilter, UnitFilter, period_choices
from stations.models import OrgUnit, PartnerType, Workstation, subtree_q

from .models import SYSTEM_CHOICES, Activity, ActivityType, FormKind


def _hosted_by(qs, *conditions, **station_filter):
    """Activities one of whose stations matches (joint activities belong to every station taking part)."""
    return qs.filter(
        pk__in=Activity.stations.through.objects.filter(*conditions, **station_filter).values("activity_id")
    )


class ActivityFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", max_length=50)
    type = django_filters.ModelChoiceFilter(label=_("类型"), queryset=ActivityType.objects.all())
    system = django_filters.ChoiceFilter(label=_("制度"), field_name="type__system", choices=SYSTEM_CHOICES)
    form_kind = django_filters.ChoiceFilter(
        label=_("活动形式"), field_name="type__form_kind", choices=FormKind.choices, empty_label=_("全部")
    )
    period = PeriodFilter(label=_("期间"), field_name="held_on", widget=forms.Select)
    workstation = StationFilter(label=_("工作站"), queryset=Workstation.objects.none(), method="filter_workstation")
    org = UnitFilter(label=_("单位"), queryset=OrgUnit.objects.none(), widget=forms.HiddenInput, method="filter_org")
    partner = django_filters.CharFilter(label=_("合作单位"), method="filter_partner", max_length=100)
    partner_type = django_filters.ChoiceFilter(label=_("单位类型"), choices=PartnerType.choices)

    @property
    def form(self):
        form = super().form
        form.fields["period"].widget.choices = period_choices()
        form.fields["q"].widget.attrs.setdefault("placeholder", _("名称、地点、单位"))
        return form

    def filter_q(self, qs, name, term):
        term = term.strip()
        if not term:
            return qs
        return qs.filter(
            Q(title__icontains=term)
            | Q(place__icontains=term)
            | Q(partner_name__icontains=term)
            | Q(school__icontains=term)
            | Q(summary__icontains=term)
        )

    def filter_workstation(self, qs, name, station):
        return _hosted_by(qs, workstation=station) if station else qs

    def filter_org(self, qs, name, unit):
        return _hosted_by(qs, subtree_q("workstation__org_path", unit.path)) if unit else qs

    def filter_partner(self, qs, name, partner):
        partner = partner.strip()
        return qs.filter(Q(partner_name__icontains=partner) | Q(school__icontains=partner)) if partner else qs
