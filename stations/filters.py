"""The one parser of list filters (django-filter): period (?period=2025|2025H1|2025H2), unit (?org=<OrgUnit id>)
and station (?workstation=<id>), scoped to the user, with one Chinese message per mistake. Every list,
summary and dashboard that filters by period or unit builds on `ScopedFilterSet` or `parse_period`."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .figures import Period
from .forms import CONTROL_CHARS, style_fields
from .models import OrgKind, OrgUnit, PartnerType, StationStatus, Workstation, documents_complete_ids, subtree_q
from .scoping import visible_to

PERIOD_FORMAT_MESSAGE = _("期间格式不正确：请填年度（如 2025）或半年（如 2025H1 上半年、2025H2 下半年）。")
PERIOD_RANGE_MESSAGE = _("期间的年度应在 2000 至 2100 年之间。")
UNIT_MESSAGE = _("所选单位不存在或不在您的管辖范围内。")
STATION_MESSAGE = _("所选工作站不存在或不在您的管辖范围内。")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_period(value) -> Period | None:
    """'' → None; '2025' / '2025H1' / '2025h2' → the Period; anything else raises the one message."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        period = Period.parse(text)
    except ValueError as exc:
        raise ValidationError(PERIOD_FORMAT_MESSAGE, code="period_format") from exc
    if not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise ValidationError(PERIOD_RANGE_MESSAGE, code="period_range")
    return period


def period_choices(today=None) -> list[tuple[str, str]]:
    """The last five years and their halves, newest first, for a period drop-down."""
    year = (today or timezone.localdate()).year
    choices = [("", _("全部"))]
    for y in range(year, year - 5, -1):
        choices += [(str(p), p.label) for p in (Period(y), Period(y, 1), Period(y, 2))]
    return choices


class PeriodField(forms.CharField):
    """A text value parsed into a `Period` (a bookmarked `?period=2019` outside the drop-down still works)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)  # no max_length: its validator would measure the parsed Period
        if not isinstance(self.widget, forms.Select):
            self.widget.attrs.setdefault("maxlength", "6")

    def to_python(self, value):
        return parse_period(super().to_python(value))

    def prepare_value(self, value):
        return str(value) if isinstance(value, Period) else value


class PeriodFilter(django_filters.Filter):
    """Rows of the period. Default: `field_name` (a date) within the period; `method=` for other meanings
    (e.g. "on the roll at some time in the period")."""

    field_class = PeriodField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__range": (value.start, value.end)})


class ScopedModelChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": UNIT_MESSAGE}


class UnitFilter(django_filters.ModelChoiceFilter):
    """Rows under an org unit of the user's scope; `field_name` is the materialized path of the rows."""

    field_class = ScopedModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "workstation__org_path")
        kwargs.setdefault("queryset", OrgUnit.objects.none())  # the filter set puts the user's units in
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(subtree_q(self.field_name, value.path))


class StationSearchInput(forms.TextInput):
    """A search box for one station instead of a drop-down of every station in scope (1,500 in a province):
    as the user types, htmx fills its <datalist> from `stations:station-lookup` (codes, with name and
    county shown). Without JavaScript the box still works: a station code or its exact name."""

    input_type = "search"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        options_id = f"{widget_attrs.get('id') or name}-options"
        widget_attrs.update(
            {
                "list": options_id,
                "autocomplete": "off",
                "placeholder": _("输入编号或名称"),
                "hx-get": reverse("stations:station-lookup"),
                "hx-trigger": "input changed delay:250ms, focus once",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        context["options_id"] = options_id
        return context

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        options_id = f"{(attrs or {}).get('id') or name}-options"
        return format_html('{}<datalist id="{}"></datalist>', box, options_id)


class StationSearchField(ScopedModelChoiceField):
    """A station of the user's scope by id (links from figures: `?workstation=<id>`), by code, or by its
    exact name when only one station in scope has it. The box shows the station's code."""

    widget = StationSearchInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Workstation):
            value = value.pk
        text = str(value).strip()
        if len(text) > 100 or CONTROL_CHARS.search(text):  # no such code or name (and PostgreSQL refuses NUL)
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        if text.isdigit() and (station := self.queryset.filter(pk=int(text)).first()):
            return station
        by_code = self.queryset.filter(code__iexact=text).first()
        if by_code is not None:
            return by_code
        by_name = list(self.queryset.filter(name=text)[:2])
        if len(by_name) == 1:
            return by_name[0]
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def prepare_value(self, value):
        if isinstance(value, Workstation):
            return value.code
        if value in self.empty_values:
            return value
        try:
            return self.to_python(value).code
        except ValidationError:
            return value  # shown as typed, next to its error

    def has_changed(self, initial, data):
        return str(self.prepare_value(initial) or "") != str(self.prepare_value(data) or "")


class StationFilter(django_filters.ModelChoiceFilter):
    field_class = StationSearchField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Workstation.objects.none())  # the filter set puts the user's stations in
        super().__init__(*args, **kwargs)


class ScopedFilterSet(django_filters.FilterSet):
    """Base of every list filter. `user=` limits the unit and station choices to the user's scope, so a
    foreign id is a field error, never a filter on someone else's rows. A bound filter set with any
    error filters to no rows (the message is shown next to the field)."""

    # Subclasses redeclare `period` with their date field (or a `method=` for another meaning), and `org`
    # with their path field when it is not `workstation__org_path`; `= None` drops a filter.
    period = PeriodFilter(label=_("期间"), field_name="date")
    org = UnitFilter(
        label=_("单位"), field_name="workstation__org_path", queryset=OrgUnit.objects.none(), widget=forms.HiddenInput
    )
    workstation = StationFilter(label=_("工作站"), queryset=Workstation.objects.none())

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        self.user = user
        # An empty query string is unbound: no errors, no filtering (as `Form(request.GET or None)` did).
        super().__init__(data or None, queryset=queryset, request=request, prefix=prefix)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                if name == "org":
                    field.queryset = self.unit_queryset()
                elif name == "workstation":
                    field.queryset = self.station_queryset()
                    field.error_messages["invalid_choice"] = STATION_MESSAGE
                if name == "period" and not isinstance(field.widget, forms.HiddenInput):
                    field.widget.attrs.setdefault("placeholder", "2025 / 2025H1")
            style_fields(form)
        return self._form

    def unit_queryset(self):
        return visible_to(OrgUnit.objects.all(), self.user).order_by("path")

    def station_queryset(self):
        return visible_to(Workstation.objects.all(), self.user).order_by("code")

    @property
    def filters_used(self) -> dict:
        """The valid, non-empty values (for an export's cover sheet, a staffing panel, totals)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "", [], False)}

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.form.is_valid():
                self._qs = self.queryset.none()
            else:
                self._qs = super().qs
        return self._qs


def summary_unit(*, user, data, kinds) -> OrgUnit:
    """The unit a summary or dashboard is about: `?org=` among the user's visible units of `kinds`, else
    the user's own. A page about one unit treats a foreign or unknown id like a foreign object: 404."""
    from django.http import Http404

    units = visible_to(OrgUnit.objects.filter(kind__in=kinds), user)
    raw = str(data.get("org") or "").strip()
    try:
        return units.get(pk=int(raw)) if raw else units.get(pk=user.org_unit_id)
    except (OrgUnit.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404("no such unit in scope") from exc


def filterset_or_404(filterset: ScopedFilterSet) -> dict:
    """For downloads: a link with a bad filter (a foreign unit, a mistyped period) is not found, never an
    export of something else. Returns the valid values used."""
    from django.http import Http404

    if filterset.is_bound and not filterset.form.is_valid():
        raise Http404("bad filter")
    return filterset.filters_used


class WorkstationFilterSet(ScopedFilterSet):
    """The workstation registry: city and county among the user's units, status, joint-build type."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", max_length=50)
    city = UnitFilter(label=_("市/地"), field_name="county__parent", method="filter_unit", widget=forms.Select)
    county = UnitFilter(label=_("县/区"), field_name="county", method="filter_unit", widget=forms.Select)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=StationStatus.choices, empty_label=_("全部"))
    partner_type = django_filters.ChoiceFilter(label=_("共建类型"), choices=PartnerType.choices, empty_label=_("全部"))
    documents = django_filters.ChoiceFilter(
        label=_("制度文件"),
        choices=[("complete", _("齐全")), ("missing", _("不全"))],
        empty_label=_("全部"),
        method="filter_documents",
    )
    org = UnitFilter(label=_("单位"), field_name="org_path", widget=forms.HiddenInput)
    period = None  # a registry, not counted in a period
    # the figure contract (hidden): a station's own line of a figure (e.g. its rule documents incomplete)
    workstation = StationFilter(label=_("工作站"), method="filter_station", widget=forms.HiddenInput)
    kinds = {"city": OrgKind.CITY, "county": OrgKind.COUNTY}

    @property
    def form(self):
        form = super().form
        for name, kind in self.kinds.items():
            form.fields[name].queryset = self.unit_queryset().filter(kind=kind)
        return form

    def filter_q(self, qs, name, term):
        term = term.strip()
        if not term:
            return qs
        return qs.filter(Q(name__icontains=term) | Q(code__icontains=term) | Q(police_station__icontains=term))

    def filter_station(self, qs, name, station):
        return qs.filter(pk=station.pk) if station else qs

    def filter_documents(self, qs, name, value):
        if value == "complete":
            return qs.filter(pk__in=documents_complete_ids())
        if value == "missing":
            return qs.exclude(pk__in=documents_complete_ids())
        return qs

    def filter_unit(self, qs, name, unit):
        return qs.filter(**{name: unit}) if unit else qs  # name: the filter's field_name
