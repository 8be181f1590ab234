"""Named figures of the activities app (the `activities.*` keys of docs/extending.md).

Per station a joint activity counts once for every participating station; `total` for any set of
stations counts each activity once, so a county total is not the sum of its stations: all figures here
are registered with `additive=False` and a `total`.
"""

from django.utils.translation import gettext_lazy as _

from stations.figures import figure
from stations.models import WorkSystem

from . import selectors
from .models import FormKind

GROUP = _("活动")
LINK = "activities:activity-list"


def _per_station(key, *, station_ids, period, activity_filter=None):
    return selectors.table_per_station(key, station_ids=station_ids, period=period, activity_filter=activity_filter)


def _register(key, label, unit, order, value, activity_filter=None, link_query=None):
    """A figure of the activity totals. Counts of sessions link to the activity list filtered the same
    way (`link_query`); sums (audience, person-times, money) show no list: a list counts rows."""

    def per_station(*, station_ids, period):
        return _per_station(value, station_ids=station_ids, period=period, activity_filter=activity_filter)

    def total(*, station_ids, period):
        totals = selectors.group_totals(groups={0: station_ids}, period=period, activity_filter=activity_filter)
        return totals[0][value]

    def total_many(*, groups, period):
        totals = selectors.group_totals(groups=groups, period=period, activity_filter=activity_filter)
        return {group: counts[value] for group, counts in totals.items()}

    per_station.__name__ = key.replace(".", "_")
    figure(
        key,
        label=label,
        unit=unit,
        order=order,
        additive=False,
        total=total,
        total_many=total_many,
        group=GROUP,
        link=LINK if value == "sessions" else "",
        link_query=link_query,
    )(per_station)


_register("activities.sessions", _("活动场次"), _("场"), 300, "sessions")
for _index, (_system, _label) in enumerate(WorkSystem.choices):
    _register(
        f"activities.sessions_{_system}",
        _("活动场次（%(system)s）") % {"system": _label},
        _("场"),
        301 + _index,
        "sessions",
        {"type__system": _system},
        {"system": _system},
    )
_register("activities.audience", _("受众人次"), _("人次"), 310, "audience")
_register(
    "activities.legal_lectures",
    _("法治宣讲场次"),
    _("场"),
    311,
    "sessions",
    {"type__form_kind": FormKind.LECTURE},
    {"form_kind": FormKind.LECTURE},
)
_register(
    "activities.legal_audience", _("法治宣讲受众"), _("人次"), 312, "audience", {"type__form_kind": FormKind.LECTURE}
)
_register("activities.minors_reached", _("覆盖未成年人"), _("人次"), 313, "minors_reached")
_register("activities.donation_yuan", _("扶贫济困金额"), _("元"), 314, "amount_yuan")


def _attendances(counts: dict) -> int:
    return counts["volunteer_attendances"] + counts["other_attendances"]


def attendances(*, station_ids, period):
    volunteers = selectors.table_per_station("volunteer_attendances", station_ids=station_ids, period=period)
    others = selectors.table_per_station("other_attendances", station_ids=station_ids, period=period)
    return {station_id: volunteers[station_id] + others[station_id] for station_id in volunteers}


def attendances_total(*, station_ids, period):
    return _attendances(selectors.group_totals(groups={0: station_ids}, period=period)[0])


def attendances_total_many(*, groups, period):
    return {group: _attendances(c) for group, c in selectors.group_totals(groups=groups, period=period).items()}


figure(
    "activities.attendances",
    label=_("参与人次（志愿者及民警、教师、家长）"),
    unit=_("人次"),
    order=309,
    additive=False,
    total=attendances_total,
    total_many=attendances_total_many,
    group=GROUP,
)(attendances)


def systems_active(*, station_ids, period):
    by_station = selectors.table_systems_per_station(station_ids=station_ids, period=period)
    return {station_id: len(systems & set(WorkSystem.values)) for station_id, systems in by_station.items()}


def systems_active_total(*, station_ids, period):
    """For a set of stations: how many of the six systems held ≥ 1 activity anywhere in the set."""
    return systems_active_total_many(groups={0: station_ids}, period=period)[0]


def systems_active_total_many(*, groups, period):
    totals = selectors.group_totals(groups=groups, period=period)
    return {group: len(counts["systems"] & set(WorkSystem.values)) for group, counts in totals.items()}


figure(
    "activities.systems_active",
    label=_("开展活动的制度数（0–6）"),
    unit=_("项"),
    order=315,
    additive=False,
    total=systems_active_total,
    total_many=systems_active_total_many,
    group=GROUP,
)(systems_active)
