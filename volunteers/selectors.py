"""Reads of the volunteers app: scoped querysets, masked row builders, hours, star levels, staffing."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from stations.figures import Period
from stations.masking import mask_id_number, mask_phone
from stations.models import StationStatus, Workstation
from stations.roles import has_capability
from stations.scoping import for_stations, visible_to
from stations.selectors import active_stations
from stations.subqueries import with_station

from .models import (
    CURRENT_STATUSES,
    MemberType,
    Position,
    ServiceLog,
    Training,
    Volunteer,
    VolunteerRole,
)

RETIRED_OFFICERS_MIN, RETIRED_OFFICERS_MAX = 3, 5
# Members other than retired officers that a station should have (DOMAIN §2, staffing rules).
OTHER_MEMBER_TYPES = (
    MemberType.COMMUNITY_POLICE,
    MemberType.AUXILIARY_POLICE,
    MemberType.GRID_WORKER,
    MemberType.SECURITY_VOLUNTEER,
)


def on_roll_at(day) -> Q:
    """Memberships current on `day`: joined by then and not yet left (or still current with no end
    date). The one definition of 在册 used by the figures and by the list they link to."""
    return Q(joined_on__lte=day) & (Q(left_on__gt=day) | Q(left_on__isnull=True, status__in=CURRENT_STATUSES))


def star_thresholds() -> tuple[int, ...]:
    return tuple(settings.VOLUNTEER_STAR_HOURS)


def star_level(hours) -> int:
    """0 (none) to 5 stars: the number of thresholds the cumulative hours reach."""
    hours = Decimal(str(hours or 0))
    return sum(1 for threshold in star_thresholds() if hours >= threshold)


def _hours_subquery():
    return Coalesce(
        Subquery(
            ServiceLog.objects.filter(volunteer=OuterRef("pk"))
            .order_by()
            .values("volunteer")
            .annotate(total=Sum("hours"))
            .values("total")[:1],
            output_field=DecimalField(max_digits=9, decimal_places=1),
        ),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=9, decimal_places=1),
    )


def volunteer_list(*, user, current_only: bool = False) -> QuerySet[Volunteer]:
    """Volunteers in the user's scope (masking of ID and phone happens in `volunteer_rows`); list filters
    are `volunteers.filters.VolunteerFilterSet`."""
    qs = with_station(visible_to(Volunteer.objects.all(), user))
    return qs.filter(status__in=CURRENT_STATUSES) if current_only else qs


def volunteer_search_q(*, user, term: str) -> Q:
    """Name, or the trailing digits of mobile or ID number."""
    term = term.strip()
    compact = re.sub(r"\s", "", term)
    query = Q(name__icontains=term)
    # Users who see masked values may search only by the last four digits they can see (no oracle).
    phone_max, id_max = (11, 18) if sees_identity(user) else (4, 4)
    if re.fullmatch(rf"\d{{4,{phone_max}}}", compact):
        query |= Q(mobile__endswith=compact)
    if re.fullmatch(rf"\d{{3,{id_max - 1}}}[\dXx]", compact):
        query |= Q(id_number__endswith=compact.upper())
    return query


def with_star_level(qs: QuerySet[Volunteer], level: int) -> QuerySet[Volunteer]:
    """Members whose cumulative hours give exactly `level` stars."""
    qs = qs.annotate(total_hours=_hours_subquery())
    thresholds = (0, *star_thresholds())
    qs = qs.filter(total_hours__gte=thresholds[level])
    if level + 1 < len(thresholds):
        qs = qs.filter(total_hours__lt=thresholds[level + 1])
    return qs


def volunteer_page_queryset(qs: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """What a list page needs per row: roles and cumulative hours, in a fixed number of queries."""
    if "total_hours" not in qs.query.annotations:
        qs = qs.annotate(total_hours=_hours_subquery())
    return qs.prefetch_related(Prefetch("roles", queryset=VolunteerRole.objects.order_by("role"))).order_by(
        "workstation__code", "name", "pk"
    )


def volunteer_get(*, user, pk: int) -> Volunteer:
    """One membership in scope, Http404 otherwise."""
    qs = visible_to(Volunteer.objects.all(), user).select_related("workstation", "transferred_from")
    return get_object_or_404(volunteer_page_queryset(qs), pk=pk)


def sees_identity(user) -> bool:
    return has_capability(user, "volunteers.view_identity")


@dataclass
class VolunteerRow:
    """A volunteer as one user may see it: ID and phone already masked unless the user may see them."""

    volunteer: Volunteer
    id_number: str
    mobile: str
    birth: str  # full date only with the identity capability: the date is 8 of the masked ID digits
    roles: list[str]
    total_hours: Decimal
    stars: int

    def __getattr__(self, name):
        return getattr(self.volunteer, name)


def _birth(born, full: bool) -> str:
    if not born:
        return ""
    return born.strftime("%Y-%m-%d") if full else _("%(year)d 年") % {"year": born.year}


def volunteer_rows(volunteers, *, user) -> list[VolunteerRow]:
    full = sees_identity(user)
    rows = []
    for volunteer in volunteers:
        hours = getattr(volunteer, "total_hours", None) or Decimal("0")
        rows.append(
            VolunteerRow(
                volunteer=volunteer,
                id_number=volunteer.id_number if full else mask_id_number(volunteer.id_number),
                mobile=volunteer.mobile if full else mask_phone(volunteer.mobile),
                birth=_birth(volunteer.birth_date, full),
                roles=[role.get_role_display() for role in volunteer.roles.all()],
                total_hours=hours,
                stars=star_level(hours),
            )
        )
    return rows


def volunteer_history(*, user, volunteer: Volunteer) -> list[Volunteer]:
    """Every membership of the same person (by ID hash) that the user may see, oldest first."""
    if not volunteer.id_hash:
        return [volunteer]
    qs = visible_to(Volunteer.objects.filter(id_hash=volunteer.id_hash), user).select_related("workstation")
    return list(qs.order_by("joined_on", "pk"))


def service_log_list(*, user, volunteer: Volunteer) -> QuerySet[ServiceLog]:
    return visible_to(ServiceLog.objects.filter(volunteer=volunteer), user)


def hours_by_volunteer(*, volunteer_ids, period: Period | None = None) -> dict[int, Decimal]:
    """Service hours per volunteer, all time or within a period (one query)."""
    qs = ServiceLog.objects.filter(volunteer_id__in=volunteer_ids)
    if period is not None:
        qs = qs.filter(served_on__range=(period.start, period.end))
    rows = qs.order_by().values("volunteer_id").annotate(total=Sum("hours"))
    return {row["volunteer_id"]: row["total"] for row in rows}


def hours_by_year(*, volunteer: Volunteer, years) -> list[tuple[int, Decimal]]:
    """Service hours of one membership per calendar year, newest first (one query)."""
    rows = (
        volunteer.service.filter(served_on__year__in=list(years))
        .order_by()
        .values_list("served_on__year")
        .annotate(total=Sum("hours"))
    )
    totals = dict(rows)
    return [(year, totals.get(year, Decimal("0"))) for year in sorted(years, reverse=True)]


def training_list(*, user) -> QuerySet[Training]:
    """Trainings in scope; list filters are `volunteers.filters.TrainingFilterSet`."""
    # The person-times of each training as a correlated subquery, not a GROUP BY over the join: the
    # planner evaluates it for the page's 25 rows only (after the sort and LIMIT), and the list's count
    # stays a plain COUNT over the trainings (a GROUP BY scanned every attendance of the province).
    attendees = (
        Training.attendees.through.objects.filter(training_id=OuterRef("pk"))
        .order_by()
        .values("training_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        with_station(visible_to(Training.objects.all(), user))
        .annotate(attendee_count=Coalesce(Subquery(attendees), 0))
        .order_by("-held_on", "-pk")
    )


def training_get(*, user, pk: int) -> Training:
    return get_object_or_404(training_list(user=user).prefetch_related("attendees"), pk=pk)


def training_counts(*, trainings: QuerySet[Training], sessions: int | None = None) -> dict:
    """Sessions and person-times of a (filtered) training list, e.g. "7 trainings, 320 person-times".

    `sessions` is the list's count when the caller has it already (its paginator's), saving a query."""
    qs = trainings.order_by()
    if sessions is None:
        sessions = qs.count()
    person_times = Training.attendees.through.objects.filter(training__in=qs.values("pk")).count()
    return {"sessions": sessions, "person_times": person_times}


def trainings_of(*, user, volunteer: Volunteer) -> QuerySet[Training]:
    return visible_to(Training.objects.filter(attendees=volunteer), user).order_by("-held_on")


# --- staffing check ------------------------------------------------------------------------------


def staffing_problems(members) -> list[str]:
    """The unmet staffing rules of one station, in plain Chinese (DOMAIN §2: warn, never block).

    `members` are the station's current members (objects or dicts with position and member_type).
    """

    def get(member, name):
        return member[name] if isinstance(member, dict) else getattr(member, name)

    members = list(members)
    positions = [get(m, "position") for m in members]
    types = [get(m, "member_type") for m in members]
    return problems_from_counts(
        heads=positions.count(Position.HEAD),
        deputies=positions.count(Position.DEPUTY),
        retired=types.count(MemberType.RETIRED_OFFICER),
        others=sum(1 for t in types if t in OTHER_MEMBER_TYPES),
    )


def staffing_counts() -> dict:
    """The counts `problems_from_counts` needs, as aggregates of a Workstation queryset (the figure's
    one GROUP BY over the stations, instead of a row per member)."""
    current = Q(volunteers__status__in=CURRENT_STATUSES)
    return {
        "heads": Count("volunteers", filter=current & Q(volunteers__position=Position.HEAD)),
        "deputies": Count("volunteers", filter=current & Q(volunteers__position=Position.DEPUTY)),
        "retired": Count("volunteers", filter=current & Q(volunteers__member_type=MemberType.RETIRED_OFFICER)),
        "others": Count("volunteers", filter=current & Q(volunteers__member_type__in=OTHER_MEMBER_TYPES)),
    }


def problems_from_counts(*, heads: int, deputies: int, retired: int, others: int) -> list[str]:
    """The staffing rules, once: a head, a deputy, 3–5 retired officers, one community member at least."""
    problems = []
    if not heads:
        problems.append(_("未配备站长"))
    if not deputies:
        problems.append(_("未配备副站长"))
    if not RETIRED_OFFICERS_MIN <= retired <= RETIRED_OFFICERS_MAX:
        problems.append(
            _("退休民警 %(n)d 名，应为 %(min)d–%(max)d 名")
            % {"n": retired, "min": RETIRED_OFFICERS_MIN, "max": RETIRED_OFFICERS_MAX}
        )
    if not others:
        problems.append(_("成员中缺少社区民警、辅警、网格员或治安志愿者"))
    return problems


def staffing_by_station(station_ids) -> dict[int, list[str]]:
    """Unmet staffing rules for many stations in one query: the counts the rules need, one GROUP BY
    row per station (the index `volunteer_staffing` covers it), instead of one row per member sorted
    by the model's ordering (a join to the stations and a sort of every member of the province)."""
    ids = list(station_ids)
    empty = {"heads": 0, "deputies": 0, "retired": 0, "others": 0}
    counts = {pk: dict(empty) for pk in ids}
    rows = (
        for_stations(Volunteer.objects.filter(status__in=CURRENT_STATUSES), ids)
        .order_by()
        .values("workstation_id")
        .annotate(
            heads=Count("workstation", filter=Q(position=Position.HEAD)),
            deputies=Count("workstation", filter=Q(position=Position.DEPUTY)),
            retired=Count("workstation", filter=Q(member_type=MemberType.RETIRED_OFFICER)),
            others=Count("workstation", filter=Q(member_type__in=OTHER_MEMBER_TYPES)),
        )
    )
    # counted on `workstation` (never null) rather than the key, so the index alone answers
    for row in rows:
        counts[row.pop("workstation_id")] = row
    return {pk: problems_from_counts(**n) for pk, n in counts.items()}


def staffing_for(*, user, workstation: Workstation) -> list[str]:
    station = get_object_or_404(visible_to(Workstation.objects.all(), user), pk=workstation.pk)
    return staffing_by_station([station.pk])[station.pk]


def stations_to_check() -> QuerySet[Workstation]:
    """The stations a staffing list filters (scoped by the caller's filter set and `visible_to`)."""
    return Workstation.objects.all()


def staffing_failing_stations(
    *, user, stations: QuerySet[Workstation] | None = None
) -> list[tuple[Workstation, list[str]]]:
    """Active stations in scope (or among `stations`) with unmet staffing rules, two queries whatever
    the number of stations. Only active stations are checked: a merged or closed one has no staff."""
    if stations is None:
        stations = active_stations(user=user)
    else:
        stations = list(visible_to(stations, user).filter(status=StationStatus.ACTIVE).order_by("org_path", "code"))
    problems = staffing_by_station([s.pk for s in stations])
    return [(s, problems[s.pk]) for s in stations if problems[s.pk]]


class StationName(NamedTuple):
    """What a staffing row shows of its station."""

    pk: int
    name: str


def staffing_failing_items(*, user, stations: QuerySet[Workstation]) -> tuple[list[tuple[StationName, str]], int]:
    """The staffing list's rows as (station, unmet rule), in station order, and the number of stations
    they concern. Only the id and name of each station are read (one narrow query), not whole rows."""
    scoped = visible_to(stations, user).filter(status=StationStatus.ACTIVE).order_by("org_path", "code")
    names = [StationName(*row) for row in scoped.values_list("pk", "name")]
    problems = staffing_by_station([s.pk for s in names])
    items = [(station, problem) for station in names for problem in problems[station.pk]]
    return items, sum(1 for station in names if problems[station.pk])


def transfer_targets(*, user, volunteer: Volunteer) -> QuerySet[Workstation]:
    return visible_to(Workstation.objects.filter(status=StationStatus.ACTIVE), user).exclude(
        pk=volunteer.workstation_id
    )


def current_volunteers(*, user, workstation) -> QuerySet[Volunteer]:
    """Active or paused members of one station (for choice fields of mentoring and activities)."""
    return volunteer_list(user=user).filter(workstation=workstation, status__in=CURRENT_STATUSES)


def attendee_choices(*, user) -> QuerySet[Volunteer]:
    """Current volunteers in scope, station by station: the attendees a training may list."""
    return volunteer_list(user=user, current_only=True).order_by("workstation__code", "name")


def training_recorded(*, user, workstation, title: str, held_on) -> bool:
    """A training of the station with this subject and day exists (an import's re-run)."""
    return (
        visible_to(Training.objects.filter(workstation=workstation), user).filter(title=title, held_on=held_on).exists()
    )


def current_volunteer_ids(*, user, workstation) -> list[int]:
    return list(current_volunteers(user=user, workstation=workstation).order_by("pk").values_list("pk", flat=True))
