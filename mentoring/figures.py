"""The mentoring app's named figures (contract in docs/extending.md). Sealed youth count in these totals
(DOMAIN §7.5: sealed files stay in aggregates only), so every query uses `Youth.all_objects`."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from stations.figures import figure

from .models import MentorTeam, Milestone, MilestoneKind, PoliceCall, Reinvolvement, Visit, Youth
from .selectors import overdue_day, overdue_q

GROUP = _("帮教")


def reoffending_rate(reoffended: int, under_mentoring: int) -> Decimal:
    """Percent with one decimal, rounded half-up (33 / 1038 → 3.2; 0 / 24 → 0.0)."""
    if not under_mentoring:
        return Decimal("0.0")
    return (Decimal(reoffended) * 100 / Decimal(under_mentoring)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _under_q(start: date, end: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}intake_on__lte": end}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": start})
    )


def _per_station(qs, field="workstation_id") -> dict[int, int]:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk", distinct=True)).order_by()}


def _under(station_ids, period):
    return Youth.all_objects.filter(workstation_id__in=station_ids).filter(_under_q(period.start, period.end))


def _reoffended(station_ids, period):
    return _under(station_ids, period).filter(reinvolvements__on__gte=period.start, reinvolvements__on__lte=period.end)


@figure(
    "mentoring.youth_under_mentoring",
    label=_("在帮教对象"),
    unit=_("人"),
    order=400,
    group=GROUP,
    link="mentoring:youth-list",
)
def youth_under_mentoring(*, station_ids, period):
    return _per_station(_under(station_ids, period))


@figure(
    "mentoring.youth_new",
    label=_("新接收帮教对象"),
    unit=_("人"),
    order=401,
    group=GROUP,
    link="mentoring:youth-list",
    link_query={"basis": "new"},
)
def youth_new(*, station_ids, period):
    return _per_station(
        Youth.all_objects.filter(workstation_id__in=station_ids, intake_on__gte=period.start, intake_on__lte=period.end)
    )


@figure(
    "mentoring.youth_closed",
    label=_("结案"),
    unit=_("人"),
    order=402,
    group=GROUP,
    link="mentoring:youth-list",
    link_query={"basis": "closed"},
)
def youth_closed(*, station_ids, period):
    return _per_station(
        Youth.all_objects.filter(workstation_id__in=station_ids, closed_on__gte=period.start, closed_on__lte=period.end)
    )


@figure("mentoring.reoffended", label=_("重新违法犯罪"), unit=_("人"), order=403, group=GROUP, higher_is_better=False)
def reoffended(*, station_ids, period):
    return _per_station(_reoffended(station_ids, period))


def _rate_total(*, station_ids, period):
    under = _under(station_ids, period).count()
    return reoffending_rate(_reoffended(station_ids, period).distinct().count(), under)


def _rate_total_many(*, groups, period):
    """A youth belongs to one station, so a set's numerator and denominator are sums over its stations."""
    ids = {station_id for station_ids in groups.values() for station_id in station_ids}
    under = youth_under_mentoring(station_ids=ids, period=period)
    again = reoffended(station_ids=ids, period=period)
    return {
        key: reoffending_rate(sum(again.get(i, 0) for i in station_ids), sum(under.get(i, 0) for i in station_ids))
        for key, station_ids in groups.items()
    }


@figure(
    "mentoring.reoffending_rate",
    label=_("重新违法犯罪率"),
    unit="%",
    order=404,
    group=GROUP,
    additive=False,
    total=_rate_total,
    total_many=_rate_total_many,
    higher_is_better=False,
)
def reoffending_rate_figure(*, station_ids, period):
    under = youth_under_mentoring(station_ids=station_ids, period=period)
    again = reoffended(station_ids=station_ids, period=period)
    return {sid: reoffending_rate(again.get(sid, 0), n) for sid, n in under.items()}


def _visits(station_ids, period):
    return Visit.objects.filter(
        youth__workstation_id__in=station_ids, visited_on__gte=period.start, visited_on__lte=period.end
    )


@figure("mentoring.visits", label=_("走访帮教"), unit=_("次"), order=405, group=GROUP)
def visits(*, station_ids, period):
    rows = _visits(station_ids, period).values("youth__workstation_id").annotate(n=Count("pk")).order_by()
    return {row["youth__workstation_id"]: row["n"] for row in rows}


@figure("mentoring.youth_visited", label=_("走访对象"), unit=_("人"), order=406, group=GROUP)
def youth_visited(*, station_ids, period):
    rows = (
        _visits(station_ids, period).values("youth__workstation_id").annotate(n=Count("youth_id", distinct=True))
    ).order_by()
    return {row["youth__workstation_id"]: row["n"] for row in rows}


def _open_at(station_ids, day: date):
    return Youth.all_objects.filter(workstation_id__in=station_ids, intake_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )


@figure(
    "mentoring.listed_without_team",
    label=_("列管对象未结对"),
    unit=_("人"),
    order=407,
    group=GROUP,
    higher_is_better=False,
)
def listed_without_team(*, station_ids, period):
    end = period.end
    teamed = MentorTeam.youth.through.objects.filter(
        mentorteam__formed_on__lte=end,
    ).filter(Q(mentorteam__ended_on__isnull=True) | Q(mentorteam__ended_on__gt=end))
    qs = _open_at(station_ids, end).filter(is_listed=True).exclude(pk__in=teamed.values("youth_id"))
    return _per_station(qs)


@figure(
    "mentoring.overdue_contacts",
    label=_("走访逾期对象"),
    unit=_("人"),
    order=408,
    group=GROUP,
    link="mentoring:overdue-list",
    higher_is_better=False,
)
def overdue_contacts(*, station_ids, period):
    """Cases of the period overdue for a contact or a risk reassessment on `overdue_day` (today, or the
    period's end when it is past): `selectors.overdue_q`, the same rows as the overdue list."""
    qs = _under(station_ids, period).filter(overdue_q(overdue_day(period)))
    return _per_station(qs)


def _calls(station_ids, period):
    return PoliceCall.objects.filter(
        workstation_id__in=station_ids, called_at__date__gte=period.start, called_at__date__lte=period.end
    )


@figure(
    "mentoring.runaway_calls",
    label=_("110出走/夜间游荡警情"),
    unit=_("起"),
    order=409,
    group=GROUP,
    link="mentoring:call-list",
    higher_is_better=False,
)
def runaway_calls(*, station_ids, period):
    return _per_station(_calls(station_ids, period))


@figure(
    "mentoring.runaway_followed_up",
    label=_("警情已回访"),
    unit=_("起"),
    order=410,
    group=GROUP,
    link="mentoring:call-list",
    link_query={"followed_up": "true"},
)
def runaway_followed_up(*, station_ids, period):
    return _per_station(_calls(station_ids, period).filter(followup_on__isnull=False))


@figure("mentoring.back_to_school", label=_("复学"), unit=_("人"), order=411, group=GROUP)
def back_to_school(*, station_ids, period):
    qs = Milestone.objects.filter(
        youth__workstation_id__in=station_ids,
        kind=MilestoneKind.BACK_TO_SCHOOL,
        on__gte=period.start,
        on__lte=period.end,
    )
    rows = qs.values("youth__workstation_id").annotate(n=Count("youth_id", distinct=True)).order_by()
    return {row["youth__workstation_id"]: row["n"] for row in rows}


__all__ = ["Reinvolvement", "reoffending_rate"]
