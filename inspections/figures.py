"""The inspections app's named figures (the contract in docs/extending.md)."""

from datetime import date
from decimal import Decimal

from django.db.models import Avg, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.figures import figure
from stations.models import StationStatus, Workstation

from .models import (
    AnnualChecklist,
    ChecklistStatus,
    Inspection,
    InspectionStatus,
    Nomination,
    NominationStatus,
    Rectification,
    RectStatus,
)
from .progress import checklist_state, inspection_state, with_checklist

GROUP = _("督查考评")


def _scores(station_ids, period, half):
    rows = (
        Inspection.objects.filter(
            workstation_id__in=station_ids,
            round__year=period.year,
            round__half=half,
            status=InspectionStatus.SUBMITTED,
        )
        .values("workstation_id")
        .annotate(score=Max("score"))
    )
    return {row["workstation_id"]: row["score"] for row in rows}


def _mean(station_ids, period, half):
    value = Inspection.objects.filter(
        workstation_id__in=station_ids, round__year=period.year, round__half=half, status=InspectionStatus.SUBMITTED
    ).aggregate(mean=Avg("score"))["mean"]
    return Decimal(value).quantize(Decimal("0.1")) if value is not None else None


def _register_score(half, key, label, order):
    def total(*, station_ids, period):
        return _mean(station_ids, period, half)

    def total_many(*, groups, period):
        """The mean over the set's submitted inspections, for every set from one query."""
        ids = {station_id for station_ids in groups.values() for station_id in station_ids}
        scores: dict[int, list] = {}
        for station_id, score in Inspection.objects.filter(
            workstation_id__in=ids,
            round__year=period.year,
            round__half=half,
            status=InspectionStatus.SUBMITTED,
            score__isnull=False,
        ).values_list("workstation_id", "score"):
            scores.setdefault(station_id, []).append(score)
        result = {}
        for key, station_ids in groups.items():
            values = [score for i in station_ids for score in scores.get(i, [])]
            result[key] = (sum(values) / len(values)).quantize(Decimal("0.1")) if values else None
        return result

    @figure(
        key,
        label=label,
        unit=_("分"),
        order=order,
        additive=False,
        total=total,
        total_many=total_many,
        group=GROUP,
    )
    def per_station(*, station_ids, period):
        return _scores(station_ids, period, half)


_register_score(1, "inspections.score_h1", _("上半年督查得分"), 900)
_register_score(2, "inspections.score_h2", _("下半年督查得分"), 901)


def reference_day(period):
    """Figures "at period end" use today for a period that has not ended yet."""
    return min(period.end, timezone.localdate())


def _count(qs):
    from django.db.models import Count

    return {row["workstation_id"]: row["n"] for row in qs.values("workstation_id").annotate(n=Count("pk"))}


@figure(
    "inspections.rectifications_open",
    label=_("未验收整改"),
    unit=_("项"),
    order=910,
    group=GROUP,
    link="inspections:rectification-list",
    link_query={"status": "pending"},
    higher_is_better=False,
)
def rectifications_open(*, station_ids, period):
    return _count(
        Rectification.objects.unverified().filter(workstation_id__in=station_ids, created_at__date__lte=period.end)
    )


@figure(
    "inspections.rectifications_overdue",
    label=_("逾期整改"),
    unit=_("项"),
    order=911,
    group=GROUP,
    link="inspections:rectification-list",
    link_query={"status": "overdue"},
    higher_is_better=False,
)
def rectifications_overdue(*, station_ids, period):
    return _count(Rectification.objects.overdue(reference_day(period)).filter(workstation_id__in=station_ids))


@figure("inspections.checklist_submitted", label=_("年度台账已提交"), unit=_("个"), order=920, group=GROUP)
def checklist_submitted(*, station_ids, period):
    ids = AnnualChecklist.objects.filter(
        workstation_id__in=station_ids,
        year=period.year,
        status__in=[ChecklistStatus.SUBMITTED, ChecklistStatus.REVIEWED],
    ).values_list("workstation_id", flat=True)
    return dict.fromkeys(ids, 1)


@figure("inspections.awarded", label=_("获评优秀爱心工作站"), unit=_("个"), order=930, group=GROUP)
def awarded(*, station_ids, period):
    """An award belongs to the last year of its cycle (2024—2025 → 2025, the year its certificate names
    last), whenever the decision was signed: it counts in that year, its second half and its December."""
    if not period.contains(date(period.year, 12, 31)):
        return {}
    ids = Nomination.objects.filter(
        workstation_id__in=station_ids, status=NominationStatus.AWARDED, cycle__first_year=period.year - 1
    ).values_list("workstation_id", flat=True)
    return dict.fromkeys(ids, 1)


# --- reporting progress (issue 16 §2): the rates the city and province home pages rank units by ----------


def _active(station_ids):
    return Workstation.objects.filter(pk__in=station_ids, status=StationStatus.ACTIVE)


def _flags(stations) -> dict[int, int]:
    return dict.fromkeys(stations.values_list("pk", flat=True), 1)


def _register_checklist_state(state, label, order, higher_is_better):
    @figure(
        f"inspections.checklist_{state}",
        label=label,
        unit=_("个"),
        order=order,
        group=GROUP,
        link="inspections:checklist-list",
        link_query={"state": state},
        higher_is_better=higher_is_better,
    )
    def per_station(*, station_ids, period):
        return _flags(checklist_state(with_checklist(_active(station_ids), period.year), state, period.year))


_register_checklist_state("on_time", _("年度台账按时提交"), 921, True)
_register_checklist_state("late", _("年度台账逾期提交"), 922, False)
_register_checklist_state("missing", _("年度台账未提交"), 923, False)


def _register_inspection_state(state, label, order, higher_is_better):
    @figure(
        f"inspections.stations_{state}",
        label=label,
        unit=_("个"),
        order=order,
        group=GROUP,
        link="inspections:checklist-list",
        link_query={"inspected": state},
        higher_is_better=higher_is_better,
    )
    def per_station(*, station_ids, period):
        return _flags(inspection_state(_active(station_ids), state, period))


# a half: inspected in that half's round; a whole year: in both halves' rounds
_register_inspection_state("done", _("已督查工作站"), 902, True)
_register_inspection_state("missing", _("未督查工作站"), 903, False)


@figure(
    "inspections.rectifications_verified",
    label=_("已验收整改"),
    unit=_("项"),
    order=912,
    group=GROUP,
    link="inspections:rectification-list",
    link_query={"status": RectStatus.VERIFIED},
)
def rectifications_verified(*, station_ids, period):
    return _count(
        Rectification.objects.filter(
            workstation_id__in=station_ids, status=RectStatus.VERIFIED, created_at__date__lte=period.end
        )
    )
