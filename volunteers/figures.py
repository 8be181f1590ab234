"""The volunteers app's named figures (the `volunteers.*` keys of the contract in docs/extending.md).

Each takes `(*, station_ids, period)` and returns `{station_id: value}` in one query."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from stations.figures import figure, shared
from stations.models import StationStatus, Workstation

from .models import CURRENT_STATUSES, ElderCategory, MemberType, ServiceLog, Training, Volunteer
from .selectors import on_roll_at, problems_from_counts, staffing_counts, star_level

GROUP = _("志愿者")
LIST = "volunteers:volunteer-list"


ON_ROLL = {"basis": "on_roll"}  # the list's rows on the roll at the period's end, as the figures count


def _count(qs, field="workstation_id") -> dict[int, int]:
    return {row[field]: row["n"] for row in qs.order_by().values(field).annotate(n=Count("pk"))}


def _members(station_ids, period, **filters):
    return _count(Volunteer.objects.filter(on_roll_at(period.end), workstation_id__in=station_ids, **filters))


@figure("volunteers.active", label=_("在册志愿者"), unit=_("人"), order=200, group=GROUP, link=LIST, link_query=ON_ROLL)
def active(*, station_ids, period):
    return _members(station_ids, period)


@figure(
    "volunteers.retired_officers",
    label=_("在册退休民警"),
    unit=_("人"),
    order=201,
    group=GROUP,
    link=LIST,
    link_query={**ON_ROLL, "member_type": MemberType.RETIRED_OFFICER},
)
def retired_officers(*, station_ids, period):
    return _members(station_ids, period, member_type=MemberType.RETIRED_OFFICER)


@figure(
    "volunteers.elders",
    label=_("在册五老"),
    unit=_("人"),
    order=202,
    group=GROUP,
    link=LIST,
    link_query={**ON_ROLL, "elder_category": "any"},
)
def elders(*, station_ids, period):
    return _count(
        Volunteer.objects.filter(on_roll_at(period.end), workstation_id__in=station_ids).exclude(
            elder_category=ElderCategory.NONE
        )
    )


@figure(
    "volunteers.new",
    label=_("新入列志愿者"),
    unit=_("人"),
    order=203,
    group=GROUP,
    link=LIST,
    link_query={"basis": "joined"},
)
def new(*, station_ids, period):
    return _count(Volunteer.objects.filter(workstation_id__in=station_ids, joined_on__range=(period.start, period.end)))


@figure(
    "volunteers.left",
    label=_("退出志愿者"),
    unit=_("人"),
    order=204,
    group=GROUP,
    link=LIST,
    link_query={"basis": "left"},
    higher_is_better=False,
)
def left(*, station_ids, period):
    return _count(
        Volunteer.objects.filter(workstation_id__in=station_ids, left_on__range=(period.start, period.end)).exclude(
            status__in=CURRENT_STATUSES
        )
    )


@figure(
    "volunteers.trainings", label=_("培训期数"), unit=_("期"), order=205, group=GROUP, link="volunteers:training-list"
)
def trainings(*, station_ids, period):
    return _count(Training.objects.filter(workstation_id__in=station_ids, held_on__range=(period.start, period.end)))


@figure(
    "volunteers.training_attendances",
    label=_("培训人次"),
    unit=_("人次"),
    order=206,
    group=GROUP,
)
def training_attendances(*, station_ids, period):
    through = Training.attendees.through.objects.filter(
        training__workstation_id__in=station_ids, training__held_on__range=(period.start, period.end)
    )
    return _count(through, "training__workstation_id")


@figure("volunteers.service_hours", label=_("志愿服务时长"), unit=_("小时"), order=207, group=GROUP)
def service_hours(*, station_ids, period):
    rows = (
        ServiceLog.objects.filter(
            volunteer__workstation_id__in=station_ids, served_on__range=(period.start, period.end)
        )
        .order_by()
        .values("volunteer__workstation_id")
        .annotate(total=Sum("hours"))
    )
    return {row["volunteer__workstation_id"]: row["total"] for row in rows}


@figure(
    "volunteers.staffing_failures",
    label=_("人员配备未达标项"),
    unit=_("项"),
    order=208,
    group=GROUP,
    link="volunteers:staffing-list",
    higher_is_better=False,
)
def staffing_failures(*, station_ids, period):
    """Unmet staffing rules of today's members, active stations only (a merged or closed station has no
    staff to check); the list behind it shows one row per unmet rule."""
    rows = (
        Workstation.objects.filter(pk__in=station_ids, status=StationStatus.ACTIVE)
        .annotate(**staffing_counts())
        .values("pk", "heads", "deputies", "retired", "others")
    )
    return {row.pop("pk"): len(problems_from_counts(**row)) for row in rows}


# --- beyond the contract: members by category and type, star levels (issue 4, "figures for reports") ---


def _register_category(value, label, order):
    @figure(
        f"volunteers.category_{value}",
        label=label,
        unit=_("人"),
        order=order,
        group=GROUP,
        link=LIST,
        link_query={**ON_ROLL, "elder_category": value},
    )
    def count(*, station_ids, period):
        return _members(station_ids, period, elder_category=value)


def _register_type(value, label, order):
    @figure(
        f"volunteers.type_{value}",
        label=label,
        unit=_("人"),
        order=order,
        group=GROUP,
        link=LIST,
        link_query={**ON_ROLL, "member_type": value},
    )
    def count(*, station_ids, period):
        return _members(station_ids, period, member_type=value)


for _index, (_value, _label) in enumerate(ElderCategory.choices):
    if _value != ElderCategory.NONE:
        _register_category(_value, _("在册%(label)s") % {"label": _label}, 220 + _index)
for _index, (_value, _label) in enumerate(MemberType.choices):
    # Retired officers already have their contract figure (volunteers.retired_officers, the checklist's
    # and the staffing rule's number); a second figure would be a second column with the same header.
    if _value != MemberType.RETIRED_OFFICER:
        _register_type(_value, _("在册%(label)s") % {"label": _label}, 230 + _index)


def stars_at(*, station_ids, period) -> dict[int, dict[int, int]]:
    """{station: {star level: members}} for members on roll at period end, by hours served up to then.

    The six star figures read one sum of the service-hour ledger per period: inside
    `stations.figures.shared_work` (summaries, dashboards) it is computed once and shared."""
    return shared("volunteers.stars", period, station_ids, lambda ids: _stars_at(ids, period))


def _stars_at(station_ids, period) -> dict[int, dict[int, int]]:
    on_roll = Q(volunteer__joined_on__lte=period.end) & (
        Q(volunteer__left_on__gt=period.end)
        | Q(volunteer__left_on__isnull=True, volunteer__status__in=CURRENT_STATUSES)
    )
    rows = (
        ServiceLog.objects.filter(on_roll, volunteer__workstation_id__in=station_ids, served_on__lte=period.end)
        .order_by()
        .values("volunteer_id", "volunteer__workstation_id")
        .annotate(total=Sum("hours"))
    )
    result: dict[int, dict[int, int]] = {}
    for row in rows:
        level = star_level(row["total"])
        if level:
            per_station = result.setdefault(row["volunteer__workstation_id"], {})
            per_station[level] = per_station.get(level, 0) + 1
    return result


@figure("volunteers.starred", label=_("星级志愿者"), unit=_("人"), order=240, group=GROUP)
def starred(*, station_ids, period):
    return {pk: sum(levels.values()) for pk, levels in stars_at(station_ids=station_ids, period=period).items()}


def _register_stars(level, order):
    @figure(
        f"volunteers.stars_{level}", label=_("%(n)d 星志愿者") % {"n": level}, unit=_("人"), order=order, group=GROUP
    )
    def count(*, station_ids, period):
        return {pk: levels.get(level, 0) for pk, levels in stars_at(station_ids=station_ids, period=period).items()}


for _level in range(1, 6):
    _register_stars(_level, 240 + _level)
