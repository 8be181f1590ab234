"""Reporting progress of stations (issue 16 §2): the annual checklist on time, late or missing, and the
half-year inspection done or not. One definition shared by the named figures (`figures.py`) and the
checklist list (`selectors.checklist_list`), so a figure always equals the rows its link opens.

These helpers take a queryset of workstations that the caller has already scoped."""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from stations.figures import Period

from .models import AnnualChecklist, ChecklistStatus, Inspection, InspectionStatus

CHECKLIST_STATES = ("on_time", "late", "missing")
DONE = (ChecklistStatus.SUBMITTED, ChecklistStatus.REVIEWED)


def checklist_due(year: int) -> date:
    """A year's 年度台账 is due by 31 January of the next year (docs/decisions.md, 2026-12-04)."""
    return date(year + 1, 1, 31)


def due_end(year: int) -> datetime:
    """The first instant after the due day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(checklist_due(year) + timedelta(days=1), time.min))


def with_checklist(stations: QuerySet, year: int) -> QuerySet:
    """Each station with its checklist of the year: `checklist_status` (None when never opened),
    `checklist_id` and `checklist_submitted_at` (the last submission).

    A station has at most one checklist a year (`uniq_checklist_year`), so these are correlated
    subqueries rather than a GROUP BY over a join: on a list the planner runs them for the page's rows
    only, and a count of the stations needs no join at all."""
    checklist = AnnualChecklist.objects.filter(workstation=OuterRef("pk"), year=year).order_by()
    return stations.annotate(
        checklist_status=Subquery(checklist.values("status")[:1]),
        checklist_id=Subquery(checklist.values("pk")[:1]),
        checklist_submitted_at=Subquery(checklist.values("submitted_at")[:1]),
    )


def checklist_state(stations: QuerySet, state: str, year: int) -> QuerySet:
    """Stations whose checklist of the year is in `state`: "on_time" submitted by the due day, "late"
    submitted after it, "missing" not submitted (yet: none, or a draft); any other value is a status.
    (Semi- and anti-joins on the checklists, which need no annotation of the stations.)"""
    checklist = AnnualChecklist.objects.filter(workstation=OuterRef("pk"), year=year)
    submitted = checklist.filter(status__in=DONE)
    if state == "on_time":
        return stations.filter(Exists(submitted.filter(submitted_at__lt=due_end(year))))
    if state == "late":
        return stations.filter(Exists(submitted.filter(submitted_at__gte=due_end(year))))
    if state == "missing":
        return stations.filter(~Exists(submitted))
    return stations.filter(Exists(checklist.filter(status=state)))


def _halves(period: Period) -> list[int]:
    return [period.half] if period.half else [1, 2]


def inspected_q(period: Period) -> Q:
    """Stations with a submitted inspection in the period's half (a whole year: in both halves)."""
    q = Q()
    for half in _halves(period):
        q &= Q(
            Exists(
                Inspection.objects.filter(
                    workstation=OuterRef("pk"),
                    round__year=period.year,
                    round__half=half,
                    status=InspectionStatus.SUBMITTED,
                )
            )
        )
    return q


def inspection_state(stations: QuerySet, state: str, period: Period) -> QuerySet:
    """ "done": inspected in the period (see `inspected_q`); "missing": not (yet)."""
    if state == "done":
        return stations.filter(inspected_q(period))
    if state == "missing":
        return stations.exclude(inspected_q(period))
    return stations
