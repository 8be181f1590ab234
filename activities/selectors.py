"""Reads of the activities app: scoped querysets and the counting rules (场次, 人次, 人数).

Scope: an activity belongs to its organising station (`scope_field = "workstation"`), and a joint
activity is also visible to the users of every participating station: `stations.scoping.visible_or_shared`
with the `stations` M2M.

Counting (DOMAIN §5), always over non-archived activities held in the period:
- sessions (场次) = number of activities;
- volunteer_attendances (志愿者人次) = Σ over activities of the volunteers who took part;
- other_attendances (其他参与人次) = Σ police + teachers + parents;
- audience (受众人次) = Σ audience counts (anonymous: person-times only);
- headcount (人数) = distinct volunteers.
Per station, an activity counts for each participating station; a total over a set of stations counts
each activity once (county ≠ Σ stations for joint activities).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404

from stations.figure_cache import builder
from stations.figures import Period, shared
from stations.models import OrgUnit, StationStatus, Workstation, WorkSystem
from stations.scope_guard import unscoped
from stations.scoping import (
    for_stations,
    scope_station_ids,
    stations_under,
    visible_or_shared,
    visible_to,
    within,
)
from stations.subqueries import count_of

from .models import SYSTEM_CHOICES, Activity, ActivityType, Attachment, FormKind

SYSTEMS = list(WorkSystem.values)


# --- scope ----------------------------------------------------------------------------------------


def activity_list(*, user, include_archived: bool = False) -> QuerySet[Activity]:
    """Organiser in scope, or (joint activity) any participating station in scope; list filters are
    `activities.filters.ActivityFilterSet`."""
    qs = visible_or_shared(Activity.objects.all(), user, shared_field="stations").select_related("type")
    qs = qs.prefetch_related("workstation")  # the page's 25 stations, not a join sorted with every row
    if not include_archived:
        qs = qs.filter(is_archived=False)
    # Correlated counts, not joins + GROUP BY: the page computes them for its 25 rows only, and
    # `qs.values("pk")` (totals, exports) stays a plain subquery the planner handles well.
    return qs.annotate(
        volunteer_n=_count_of(Activity.volunteers.through), station_n=_count_of(Activity.stations.through)
    ).order_by("-held_on", "-pk")


# Up to this many rows a list is sorted after its rows are found, not found by walking the date order.
SORTED_BELOW = 3000


def in_date_order(qs: QuerySet[Activity], *, count: int) -> QuerySet[Activity]:
    """The list newest first, planned for its size (`count`: its rows, known from its totals).

    Every list is ordered by `held_on`, and the province's date index can return it in that order. For a
    county's thousands that is the quick way: 25 rows turn up within the first few hundred of the walk. For
    a station's few hundred it is not: PostgreSQL estimates the walk at a few thousand rows and takes it
    (the busiest station of the province-scale data set: 6,800 rows, 13 ms), where reading the station's
    own rows through their links and sorting them takes 1.6 ms (docs/benchmarks.md). Ordering by an
    expression the index does not hold, with the same values, leaves the planner only that path."""
    if count >= SORTED_BELOW:
        return qs
    return qs.order_by(Coalesce("held_on", "held_on").desc(), "-pk")


def _count_of(through):
    return count_of(through.objects.filter(activity_id=OuterRef("pk")), per="activity_id")


def list_totals(qs: QuerySet[Activity]) -> dict:
    """Counts of a filtered list, each activity once (2 queries)."""
    # The list's own rows: its filters are single-valued joins or `pk IN (…)` (`ActivityFilterSet`), so
    # each activity is one row; the per-row count annotations are left out of the aggregate by Django.
    row = qs.order_by().aggregate(
        sessions=Count("pk"),
        audience=Sum("audience_count"),
        minors=Sum("minors_reached"),
        amount=Sum("amount_yuan"),
    )
    # the list's own ids, not `ids` again: one subquery level less for the planner to join back
    # Count("volunteer_id"), not the link's own id: the (activity, volunteer) unique index then answers alone
    volunteers = Activity.volunteers.through.objects.filter(activity__in=qs.order_by().values("pk")).aggregate(
        attendances=Count("volunteer_id"), headcount=Count("volunteer_id", distinct=True)
    )
    return {
        "sessions": row["sessions"],
        "audience": row["audience"] or 0,
        "minors_reached": row["minors"] or 0,
        "amount_yuan": row["amount"] or Decimal("0"),
        "volunteer_attendances": volunteers["attendances"],
        "headcount": volunteers["headcount"],
    }


def activity_get(*, user, pk: int) -> Activity:
    """One activity in scope (organiser or participant) with its relations; Http404 otherwise."""
    qs = (
        activity_list(user=user, include_archived=True)
        .prefetch_related("volunteers", "stations", "attachments")
        .select_related("lecturer", "created_by")
    )
    return get_object_or_404(qs, pk=pk)


def activity_editable(*, user, activity: Activity) -> bool:
    """Only the organising station's users edit; participants and supervisors read."""
    return visible_to(Activity.objects.filter(pk=activity.pk), user).exists()


def attachment_get(*, user, pk: int) -> Attachment:
    visible = activity_list(user=user, include_archived=True)
    return get_object_or_404(within(Attachment.objects.select_related("activity"), "activity", visible), pk=pk)


def activity_types(*, active_only: bool = True) -> QuerySet[ActivityType]:
    qs = ActivityType.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def last_activity(*, user, workstation: Workstation, activity_type: ActivityType | None = None) -> Activity | None:
    """The station's most recent activity (of a type), the model for copy-from-last."""
    qs = visible_to(Activity.objects.filter(workstation=workstation, is_archived=False), user)
    if activity_type is not None:
        qs = qs.filter(type=activity_type)
    return qs.order_by("-held_on", "-pk").first()


def recent_by_type(*, user, workstation: Workstation) -> list[Activity]:
    """The latest activity of each type at the station (copy-from-last shortcuts): one row per type, found
    by the database, however long ago the type was last held."""
    qs = visible_to(Activity.objects.filter(workstation=workstation, is_archived=False), user)
    newest_first = Window(RowNumber(), partition_by=F("type_id"), order_by=[F("held_on").desc(), F("pk").desc()])
    latest = qs.select_related("type").annotate(rank_in_type=newest_first).filter(rank_in_type=1)
    return sorted(latest, key=lambda a: (a.type.order, a.type_id))


# --- counting -------------------------------------------------------------------------------------


def _in_period(period: Period | None, prefix: str = "") -> Q:
    if period is None:
        return Q()
    return Q(**{f"{prefix}held_on__range": (period.start, period.end)})


def base_activities(*, station_ids, period: Period | None) -> QuerySet[Activity]:
    """Distinct non-archived activities held in the period in which any of the stations took part."""
    return for_stations(
        Activity.objects.filter(_in_period(period), is_archived=False), station_ids, shared_field="stations"
    )


def _links(*, station_ids, period: Period | None):
    """(station, activity) pairs: one per participating station of each activity."""
    return Activity.stations.through.objects.filter(
        workstation_id__in=list(station_ids), activity__is_archived=False, **_range("activity__", period)
    )


def _range(prefix, period):
    return {f"{prefix}held_on__range": (period.start, period.end)} if period else {}


def _zero() -> dict:
    return {
        "sessions": 0,
        "volunteer_attendances": 0,
        "other_attendances": 0,
        "audience": 0,
        "minors_reached": 0,
        "amount_yuan": Decimal("0"),
        "people_helped": 0,
        "headcount": 0,
    }


def per_station_counts(*, station_ids, period: Period | None) -> dict[int, dict]:
    """Counts per station (a joint activity counts for each participant): 2 queries for any number of stations."""
    ids = list(station_ids)
    result = {station_id: _zero() for station_id in ids}
    rows = (
        _links(station_ids=ids, period=period)
        .values("workstation_id")
        .annotate(
            sessions=Count("activity_id"),
            other=Sum("activity__police_count") + Sum("activity__teacher_count") + Sum("activity__parent_count"),
            audience=Sum("activity__audience_count"),
            minors=Sum("activity__minors_reached"),
            amount=Sum("activity__amount_yuan"),
            helped=Sum("activity__people_helped"),
        )
    )
    for row in rows:
        counts = result[row["workstation_id"]]
        counts["sessions"] = row["sessions"]
        counts["other_attendances"] = row["other"] or 0
        counts["audience"] = row["audience"] or 0
        counts["minors_reached"] = row["minors"] or 0
        counts["amount_yuan"] = row["amount"] or Decimal("0")
        counts["people_helped"] = row["helped"] or 0
    volunteer_rows = (
        _links(station_ids=ids, period=period)
        .values("workstation_id")
        .annotate(n=Count("activity__volunteers"), people=Count("activity__volunteers", distinct=True))
    )
    for row in volunteer_rows:
        result[row["workstation_id"]]["volunteer_attendances"] = row["n"]
        result[row["workstation_id"]]["headcount"] = row["people"]
    return result


def totals(*, station_ids, period: Period | None, activity_filter: dict | None = None) -> dict:
    """Counts over a set of stations, each activity once (2 queries); `activity_filter` narrows the activities
    (e.g. {"type__system": "relief"})."""
    qs = base_activities(station_ids=station_ids, period=period)
    if activity_filter:
        qs = qs.filter(**activity_filter)
    row = qs.aggregate(
        sessions=Count("pk"),
        police=Sum("police_count"),
        teachers=Sum("teacher_count"),
        parents=Sum("parent_count"),
        audience=Sum("audience_count"),
        minors=Sum("minors_reached"),
        amount=Sum("amount_yuan"),
        helped=Sum("people_helped"),
    )
    links = Activity.volunteers.through.objects.filter(activity__in=qs.values("pk"))
    volunteer = links.aggregate(attendances=Count("volunteer_id"), headcount=Count("volunteer_id", distinct=True))
    return {
        "sessions": row["sessions"],
        "volunteer_attendances": volunteer["attendances"],
        "headcount": volunteer["headcount"],
        "other_attendances": (row["police"] or 0) + (row["teachers"] or 0) + (row["parents"] or 0),
        "audience": row["audience"] or 0,
        "minors_reached": row["minors"] or 0,
        "amount_yuan": row["amount"] or Decimal("0"),
        "people_helped": row["helped"] or 0,
    }


# --- the figure table: totals per station and activity type, shared by every activity figure --------

# The summed values of an activity, in the order the table keeps them.
FIELDS = (
    "sessions",
    "volunteer_attendances",
    "other_attendances",
    "audience",
    "minors_reached",
    "amount_yuan",
    "people_helped",
)


@dataclass
class FigureTable:
    """Activity totals of a period per (station, type) — a joint activity in the row of each participant —
    and the joint activities themselves (stations, type, values), which a set of stations must count once.
    Exact SQL aggregates of the period's rows (4 queries), never a stored copy: it cannot be stale."""

    per_station: dict[int, dict[int, list]]
    joint: list[tuple[frozenset, int, list]]
    types: dict[int, ActivityType]
    group_rows: dict = field(default_factory=dict)


@unscoped("aggregate_figure")
def figure_table(*, station_ids, period: Period | None) -> FigureTable:
    """The period's table for these stations, shared by the figures of one request or summary
    (`stations.figures.shared_work`)."""
    return shared("activities.figure_table", period, station_ids, lambda ids: _figure_table(ids, period))


def _figure_table(ids: frozenset, period: Period | None) -> FigureTable:
    ids = sorted(ids)
    links = _links(station_ids=ids, period=period)
    per_station: dict[int, dict[int, list]] = defaultdict(dict)
    rows = (
        links.values("workstation_id", "activity__type_id")
        .annotate(
            n=Count("activity_id"),
            other=Coalesce(Sum("activity__police_count"), 0)
            + Coalesce(Sum("activity__teacher_count"), 0)
            + Coalesce(Sum("activity__parent_count"), 0),
            audience=Sum("activity__audience_count"),
            minors=Sum("activity__minors_reached"),
            amount=Sum("activity__amount_yuan"),
            helped=Sum("activity__people_helped"),
        )
        .values_list("workstation_id", "activity__type_id", "n", "other", "audience", "minors", "amount", "helped")
    )
    for station_id, type_id, sessions, other, audience, minors, amount, helped in rows.order_by():
        per_station[station_id][type_id] = [
            sessions,
            0,
            other or 0,
            audience or 0,
            minors or 0,
            amount or Decimal("0"),
            helped or 0,
        ]
    attendances = (
        Activity.volunteers.through.objects.filter(
            activity__stations__in=ids, activity__is_archived=False, **_range("activity__", period)
        )
        .values_list("activity__stations", "activity__type_id")
        .annotate(Count("pk"))
        .order_by()
    )
    for station_id, type_id, n in attendances:
        per_station[station_id][type_id][1] = n
    # Joint activities with a partner (not the organiser) among the stations: the only ones two stations
    # of a set can share. Their full list of stations, so any subset of `ids` can be corrected.
    joint_ids = set(links.exclude(workstation_id=F("activity__workstation_id")).values_list("activity_id", flat=True))
    stations: dict[int, set] = defaultdict(set)
    values: dict[int, tuple] = {}
    volunteer_n = Subquery(
        Activity.volunteers.through.objects.filter(activity_id=OuterRef("activity_id"))
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    joint_rows = (
        Activity.stations.through.objects.filter(activity_id__in=joint_ids)
        .annotate(volunteer_n=Coalesce(volunteer_n, 0))
        .values_list(
            "activity_id",
            "workstation_id",
            "activity__type_id",
            "volunteer_n",
            "activity__police_count",
            "activity__teacher_count",
            "activity__parent_count",
            "activity__audience_count",
            "activity__minors_reached",
            "activity__amount_yuan",
            "activity__people_helped",
        )
        .order_by()
        if joint_ids
        else ()
    )
    for activity_id, station_id, *rest in joint_rows:
        stations[activity_id].add(station_id)
        values[activity_id] = rest
    joint = [
        (
            frozenset(stations[pk]),
            type_id,
            [1, volunteers, police + teachers + parents, audience, minors, amount, helped],
        )
        for pk, (type_id, volunteers, police, teachers, parents, audience, minors, amount, helped) in values.items()
    ]
    return FigureTable(per_station=dict(per_station), joint=joint, types=ActivityType.objects.in_bulk())


def _type_matches(table: FigureTable, activity_filter: dict | None):
    """A predicate on type ids for a filter on the activity's type (`{"type__system": "relief"}`)."""
    if not activity_filter:
        return lambda type_id: True
    wanted = {}
    for name, value in activity_filter.items():
        if name in ("type", "type_id"):
            wanted["pk"] = getattr(value, "pk", value)
        elif name.startswith("type__") and "__" not in name[6:]:
            wanted[name[6:]] = value
        else:
            raise ValueError(f"activity figures filter on the activity type only, not {name!r}")
    matching = {pk for pk, kind in table.types.items() if all(getattr(kind, f) == v for f, v in wanted.items())}
    return matching.__contains__


def _add(total: list, values: list, times: int = 1) -> None:
    for index, value in enumerate(values):
        total[index] += times * value


def _as_counts(values: list, systems: set) -> dict:
    return {**_zero(), **dict(zip(FIELDS, values, strict=True)), "systems": systems}


def group_totals(*, groups: dict, period: Period | None, activity_filter: dict | None = None) -> dict:
    """`totals` for many sets of stations at once (4 queries for any number of sets, stations or figures).

    An activity counts once in a set however many of the set's stations took part in it, so a joint
    activity is one session in its county total and one in each participating station's row: a set's
    total is the sum of its stations' rows less (k − 1) times each joint activity k of its stations share.
    """
    table = figure_table(station_ids={i for ids in groups.values() for i in ids}, period=period)
    matches = _type_matches(table, activity_filter)
    systems_of = {pk: kind.system for pk, kind in table.types.items()}
    result = {}
    for key, by_type in _group_rows(table, groups).items():
        total = [0, 0, 0, 0, 0, Decimal("0"), 0]
        systems = set()
        for type_id, (values, sessions) in by_type.items():
            if matches(type_id):
                _add(total, values)
                if sessions:
                    systems.add(systems_of[type_id])
        result[key] = _as_counts(total, systems)
    return result


def _group_rows(table: FigureTable, groups: dict) -> dict:
    """{group: {type: (values, sessions in the stations' own rows)}}, once per table and set of groups
    (a summary asks for it with the same groups for every activity figure)."""
    signature = tuple((key, tuple(ids)) for key, ids in groups.items())
    cache = table.group_rows
    if signature in cache:
        return cache[signature]
    result = {}
    for key, ids in groups.items():
        members = set(ids)
        by_type: dict[int, tuple[list, int]] = {}
        for station_id in members:
            for type_id, values in table.per_station.get(station_id, {}).items():
                row = by_type.setdefault(type_id, ([0, 0, 0, 0, 0, Decimal("0"), 0], [0]))
                _add(row[0], values)
                row[1][0] += values[0]
        for stations, type_id, values in table.joint:
            shared_by = len(stations & members)
            if shared_by > 1:
                _add(by_type[type_id][0], values, 1 - shared_by)
        result[key] = {type_id: (values, sessions[0]) for type_id, (values, sessions) in by_type.items()}
    cache[signature] = result
    return result


def table_per_station(key: str, *, station_ids, period: Period | None, activity_filter: dict | None = None) -> dict:
    """One value of the figure table per station (a joint activity counts for each participant)."""
    ids = list(station_ids)
    table = figure_table(station_ids=ids, period=period)
    matches = _type_matches(table, activity_filter)
    index = FIELDS.index(key)
    return {
        station_id: sum(
            (values[index] for type_id, values in table.per_station.get(station_id, {}).items() if matches(type_id)),
            Decimal("0") if key == "amount_yuan" else 0,
        )
        for station_id in ids
    }


def table_systems_per_station(*, station_ids, period: Period | None) -> dict[int, set]:
    """The systems each station held at least one activity of in the period."""
    table = figure_table(station_ids=station_ids, period=period)
    systems_of = {pk: kind.system for pk, kind in table.types.items()}
    return {
        station_id: {
            systems_of[type_id] for type_id, values in table.per_station.get(station_id, {}).items() if values[0]
        }
        for station_id in station_ids
    }


def filtered_per_station(key: str, *, station_ids, period: Period | None, activity_filter: dict) -> dict[int, int]:
    """Sessions or audience per station over the activities matching `activity_filter` (1 query)."""
    value = {"sessions": Count("activity_id"), "audience": Sum("activity__audience_count")}[key]
    rows = (
        _links(station_ids=station_ids, period=period)
        .filter(**{f"activity__{name}": wanted for name, wanted in activity_filter.items()})
        .values("workstation_id")
        .annotate(n=value)
    )
    return {row["workstation_id"]: row["n"] or 0 for row in rows}


def headcount_per_station(*, station_ids, period: Period | None) -> dict[int, int]:
    """人数: distinct volunteers per station over its activities in the period."""
    rows = (
        _links(station_ids=station_ids, period=period)
        .values("workstation_id")
        .annotate(n=Count("activity__volunteers", distinct=True))
    )
    return {row["workstation_id"]: row["n"] for row in rows}


def counts_by(*, station_ids, period: Period | None, key: str) -> list[dict]:
    """Totals (each activity once) grouped by `type`, `system`, `month` or `county` (2 queries)."""
    field = {
        "type": "type__name",
        "system": "type__system",
        "month": "held_on__month",
        # joint activities join stations of one county, so the organiser's county counts each once
        "county": "workstation__county__name",
    }[key]
    qs = base_activities(station_ids=station_ids, period=period)
    rows = {
        row[field]: row
        for row in qs.values(field).annotate(
            sessions=Count("pk"),
            audience=Sum("audience_count"),
            minors=Sum("minors_reached"),
            other=Sum("police_count") + Sum("teacher_count") + Sum("parent_count"),
        )
    }
    volunteer_rows = (
        Activity.volunteers.through.objects.filter(activity__in=qs.values("pk"))
        .values(f"activity__{field}")
        .annotate(attendances=Count("volunteer_id"), headcount=Count("volunteer_id", distinct=True))
    )
    volunteers = {row[f"activity__{field}"]: row for row in volunteer_rows}
    result = []
    for value in sorted(set(rows) | set(volunteers), key=lambda v: (v is None, v)):
        row, vol = rows.get(value, {}), volunteers.get(value, {})
        result.append(
            {
                key: value,
                "sessions": row.get("sessions", 0),
                "volunteer_attendances": vol.get("attendances", 0),
                "headcount": vol.get("headcount", 0),
                "other_attendances": row.get("other") or 0,
                "audience": row.get("audience") or 0,
                "minors_reached": row.get("minors") or 0,
            }
        )
    return result


def system_sessions_per_station(*, station_ids, period: Period | None) -> dict[int, dict[str, int]]:
    """{station: {system: sessions}} with each joint activity counted for every participant (1 query)."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        _links(station_ids=station_ids, period=period)
        .values("workstation_id", "activity__type__system")
        .annotate(n=Count("activity_id"))
    )
    for row in rows:
        result[row["workstation_id"]][row["activity__type__system"]] = row["n"]
    return result


def percent(numerator: int, denominator: int) -> Decimal | None:
    """Share as a percentage with one decimal, rounded half-up (DOMAIN §4); None when nothing is eligible."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def coverage(*, station_ids, period: Period, eligible: list[Workstation] | None = None) -> dict:
    """Share of active stations in the set with ≥ 1 activity of each of the six systems in the period.

    Exempt, deferred, merged and closed stations are not eligible. Returns eligible and qualifying
    counts (never a typed %), the rate, and the stations that did not qualify with their missing systems.
    `eligible`: the active stations of the set, with their county, when the caller has them already.
    """
    if eligible is None:
        eligible = list(
            for_stations(Workstation.objects.filter(status=StationStatus.ACTIVE), station_ids)
            .select_related("county")
            .order_by("org_path", "code")
        )
    by_station = system_sessions_per_station(station_ids=[s.pk for s in eligible], period=period)
    missing = []
    for station in eligible:
        absent = [value for value in SYSTEMS if not by_station.get(station.pk, {}).get(value)]
        if absent:
            labels = dict(WorkSystem.choices)
            missing.append({"station": station, "systems": absent, "labels": [labels[s] for s in absent]})
    qualifying = len(eligible) - len(missing)
    return {
        "eligible": len(eligible),
        "qualifying": qualifying,
        "rate": percent(qualifying, len(eligible)),
        "missing": missing,
    }


def lecturer_activity(*, station_ids, period: Period | None) -> list[dict]:
    """Legal-education lectures per lecturer (volunteer or 法治副校长 by name), with their audience."""
    # the conditions go inside the link subquery only: the planner then starts from the stations' lectures,
    # not from every lecture of the province by lecturer (a county's statistics: 70 → 13 ms)
    qs = for_stations(
        Activity.objects.all(),
        station_ids,
        shared_field="stations",
        shared_filter={"activity__is_archived": False, "activity__type__form_kind": FormKind.LECTURE}
        | _range("activity__", period),
    )
    rows = []
    for row in (
        qs.exclude(lecturer=None)
        .values("lecturer_id", "lecturer__name", "lecturer__workstation__name")
        .annotate(lectures=Count("pk"), audience=Sum("audience_count"))
    ):
        rows.append(
            {
                "name": row["lecturer__name"],
                "role": "legal_lecturer",
                "station": row["lecturer__workstation__name"],
                "lectures": row["lectures"],
                "audience": row["audience"] or 0,
            }
        )
    for row in (
        qs.filter(lecturer=None)
        .exclude(vice_principal_name="")
        .values("vice_principal_name")
        .annotate(lectures=Count("pk"), audience=Sum("audience_count"))
    ):
        rows.append(
            {
                "name": row["vice_principal_name"],
                "role": "legal_vice_principal",
                "station": "",
                "lectures": row["lectures"],
                "audience": row["audience"] or 0,
            }
        )
    return sorted(rows, key=lambda r: (-r["lectures"], r["name"]))


def donation_totals(*, station_ids, period: Period | None) -> dict:
    """Money and people helped by relief activities (each activity once)."""
    row = (
        base_activities(station_ids=station_ids, period=period)
        .filter(Q(amount_yuan__gt=0) | Q(people_helped__gt=0) | Q(type__system=WorkSystem.RELIEF))
        .aggregate(sessions=Count("pk"), amount=Sum("amount_yuan"), helped=Sum("people_helped"))
    )
    return {
        "sessions": row["sessions"],
        "amount_yuan": row["amount"] or Decimal("0"),
        "people_helped": row["helped"] or 0,
    }


CALENDAR_DAY_LIMIT = 5  # activities named per day; a province's busy day has hundreds


@dataclass
class CalendarDay:
    items: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def calendar_days(*, activities: QuerySet[Activity], month: date) -> dict[date, CalendarDay]:
    """Activities (already in scope and filtered) of one month by day: the first few of each day and how
    many the day has (2 queries, whatever the scope)."""
    qs = activities.filter(held_on__year=month.year, held_on__month=month.month)
    counts = dict(qs.order_by().values("held_on").annotate(n=Count("pk")).values_list("held_on", "n"))
    first = qs.annotate(
        day_rank=Window(RowNumber(), partition_by=[F("held_on")], order_by=[F("start_time").asc(), F("pk").asc()])
    ).filter(day_rank__lte=CALENDAR_DAY_LIMIT)
    days = {day: CalendarDay([], n) for day, n in counts.items()}
    for activity in first.order_by("held_on", "start_time", "pk"):
        days[activity.held_on].items.append(activity)
    return days


def stations_in_scope(*, user) -> QuerySet[Workstation]:
    return visible_to(Workstation.objects.all(), user).order_by("org_path", "code")


def station_ids_in_scope(*, user, workstation=None) -> list[int]:
    """Ids of the stations in scope (only `workstation`'s when one is chosen in the filters)."""
    if workstation is None and (ids := scope_station_ids(user)) is not None:
        return list(ids)  # the scope's own, read once per request
    stations = stations_in_scope(user=user)
    if workstation is not None:
        stations = stations.filter(pk=workstation.pk)
    return list(stations.values_list("pk", flat=True))


def activity_stats(*, stations: list[Workstation], period: Period) -> dict:
    """The figures of the statistics page for these stations (with their county) and period."""
    ids = [s.pk for s in stations]
    per_station = per_station_counts(station_ids=ids, period=period)
    labels = dict(SYSTEM_CHOICES)
    order = list(labels)
    by_system = sorted(counts_by(station_ids=ids, period=period, key="system"), key=lambda r: order.index(r["system"]))
    for row in by_system:
        row["label"] = labels.get(row["system"], row["system"])
    station_rows = [{"station": s, **per_station[s.pk]} for s in stations if per_station[s.pk]["sessions"]]
    return {
        "totals": totals(station_ids=ids, period=period),
        "by_system": by_system,
        "by_type": counts_by(station_ids=ids, period=period, key="type"),
        "by_month": counts_by(station_ids=ids, period=period, key="month"),
        "by_county": counts_by(station_ids=ids, period=period, key="county"),
        "stations": station_rows,
        "station_sum": sum(row["sessions"] for row in station_rows),
        "coverage": coverage(station_ids=ids, period=period),
        "donations": donation_totals(station_ids=ids, period=period),
        "lecturers": lecturer_activity(station_ids=ids, period=period)[:50],
    }


@builder
@unscoped("aggregate_figure")
def unit_stats_snapshot(org_unit_id: int, period: str) -> dict:
    """`activity_stats` of a city's or the province's stations, kept between requests (stations.figure_cache)."""
    unit = OrgUnit.objects.get(pk=org_unit_id)
    stations = list(stations_under(unit).order_by("org_path", "code").select_related("county"))
    stats = activity_stats(stations=stations, period=Period.parse(period))
    # kept: the names the page shows, not 1,500 full station rows (a 1.2 MB snapshot read per request)
    names_only(stats["stations"])
    names_only(stats["coverage"]["missing"])
    return stats


def names_only(rows: list[dict]) -> list[dict]:
    """Rows whose "station" is reduced to what a kept page shows of it (its id and name)."""
    for row in rows:
        row["station"] = StationName(row["station"].pk, row["station"].name)
    return rows


@dataclass(frozen=True)
class StationName:
    pk: int
    name: str


def stations_with_county(*, user) -> list[Workstation]:
    return list(stations_in_scope(user=user).select_related("county"))


def joint_stations(activity) -> list[Workstation]:
    """The other stations of a joint activity (fetched through the user's scope already)."""
    return [s for s in activity.stations.all() if s.pk != activity.workstation_id]


def activity_recorded(*, user, workstation, activity_type, held_on, title) -> bool:
    """A current activity of the station with this type, day and title exists (an import's re-run)."""
    return (
        visible_to(Activity.objects.filter(workstation=workstation), user)
        .filter(type=activity_type, held_on=held_on, title=title, is_archived=False)
        .exists()
    )
