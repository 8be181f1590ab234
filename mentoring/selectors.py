"""Reads of the mentoring app: scoped querysets, masking above the station (DATA-1), overdue items.

Sealed youth never come out of these selectors (the default manager hides them), except
`sealed_youth_get`, used by the one sealed view.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from stations.masking import mask_id_number, mask_name, mask_phone
from stations.roles import has_capability
from stations.scoping import for_station, visible_to
from stations.subqueries import count_of, with_station

from . import due
from .models import (
    OPEN_STAGES,
    FollowUp,
    MentorTeam,
    PoliceCall,
    RiskLevel,
    Stage,
    Youth,
)


def sees_identity(user) -> bool:
    """Station users of the youth's station see names and IDs; the county sees them masked."""
    return has_capability(user, "mentoring.view_identity")


def overdue_q(today: date) -> Q:
    """Open cases whose next contact or risk reassessment is past due (mirrors `due`)."""
    cutoffs = due.contact_cutoffs(today)
    contact = Q()
    for level in RiskLevel.values:
        contact |= Q(risk_level=level, last_contact_on__lt=cutoffs[level])
    return Q(stage__in=OPEN_STAGES) & (contact | Q(risk_assessed_on__lt=due.reassess_cutoff(today)))


def overdue_day(period=None, today: date | None = None) -> date:
    """The day "overdue" is judged on: today, or a past period's last day. One definition for the
    figure, the home and station panels and the overdue list (issue 14 §1)."""
    today = today or timezone.localdate()
    return min(period.end, today) if period is not None else today


def cases_to_count(*, user) -> QuerySet[Youth]:
    """Every case in scope, sealed ones included: for `listed_and_sealed` only, never for rows."""
    return visible_to(Youth.all_objects.all(), user)


def listed_and_sealed(cases: QuerySet[Youth]) -> tuple[int, int]:
    """The cases a (filtered) `cases_to_count` holds: (listed, i.e. not sealed; sealed). One COUNT for
    both the list's count and the sealed count shown beside it."""
    counts = cases.aggregate(
        listed=Count("pk", filter=Q(is_sealed=False)), sealed=Count("pk", filter=Q(is_sealed=True))
    )
    return counts["listed"], counts["sealed"]


def youth_list(*, user, team: bool = True) -> QuerySet[Youth]:
    """Youth in scope, newest intake first; list filters are `mentoring.filters.YouthFilterSet`. `team`:
    annotate `has_team` (the youth list's column; the overdue list does not show it)."""
    qs = with_station(visible_to(Youth.objects.all(), user))
    if team:
        qs = qs.annotate(has_team=Exists(MentorTeam.youth.through.objects.filter(youth_id=OuterRef("pk"))))
    return qs.order_by("-intake_on", "-pk")


def youth_search_q(*, user, term: str) -> Q:
    """Above the station a search by name would reveal identities: only the case number is searchable."""
    term = term.strip()
    if sees_identity(user):
        return Q(name__icontains=term) | Q(intake_reference__icontains=term) | _pk_q(term)
    return _pk_q(term) | Q(intake_reference__icontains=term)


def _pk_q(term: str) -> Q:
    term = term.lstrip("#")
    return Q(pk=int(term)) if term.isdigit() and len(term) < 10 else Q(pk__in=[])


def youth_get(*, user, pk) -> Youth:
    return get_object_or_404(visible_to(Youth.objects.all(), user).select_related("workstation"), pk=pk)


def sealed_youth_get(*, user, pk) -> Youth:
    """The one read of a sealed file (the sealed view, with a logged reason)."""
    return get_object_or_404(visible_to(Youth.all_objects.filter(is_sealed=True), user), pk=pk)


def unseal_requests(*, user) -> QuerySet[Youth]:
    """Sealed files with a pending unseal request: no names leave this selector (case numbers only)."""
    return (
        visible_to(Youth.all_objects.filter(is_sealed=True, unseal_requested_on__isnull=False), user)
        .select_related("workstation")
        .only("pk", "workstation__name", "unseal_requested_on", "unseal_ground", "sealed_on")
    )


@dataclass
class YouthRow:
    """What a list or page may show of a youth for a given user (masked above the station)."""

    youth: Youth
    name: str
    id_number: str
    masked: bool
    next_contact: date | None
    reassess_on: date | None
    contact_overdue: bool
    reassess_overdue: bool

    @property
    def overdue(self) -> bool:
        return self.contact_overdue or self.reassess_overdue

    def __getattr__(self, item):
        return getattr(self.youth, item)


def present(youth: Youth, *, user, today: date | None = None, full: bool = False, masked: bool = False) -> YouthRow:
    """`full`: a logged full view; `masked`: a document that promises masking masks for every role."""
    today = today or timezone.localdate()
    identity = (full or sees_identity(user)) and not masked
    next_contact = reassess_on = None
    if youth.stage in OPEN_STAGES:
        next_contact = due.next_contact_due(
            risk_level=youth.risk_level, last_contact_on=youth.last_contact_on or youth.intake_on
        )
        reassess_on = due.reassessment_due(assessed_on=youth.risk_assessed_on)
    return YouthRow(
        youth=youth,
        name=youth.name if identity else mask_name(youth.name),
        id_number=youth.id_number if identity else (mask_id_number(youth.id_number) if youth.id_number else ""),
        masked=not identity,
        next_contact=next_contact,
        reassess_on=reassess_on,
        contact_overdue=bool(next_contact and due.is_overdue(next_contact, now=today)),
        reassess_overdue=bool(reassess_on and due.is_overdue(reassess_on, now=today)),
    )


def guardians_for(youth: Youth, *, user, full: bool = False) -> list[dict]:
    identity = full or sees_identity(user)
    return [
        {
            "relation": g.relation,
            "name": g.name if identity else mask_name(g.name),
            "phone": g.phone if identity else mask_phone(g.phone),
        }
        for g in youth.guardians.all()
    ]


def timeline(youth: Youth) -> list[dict]:
    """Visits, stage changes, follow-ups, milestones and reinvolvements, newest first."""
    items = []
    for visit in youth.visits.prefetch_related("participants"):
        items.append({"on": visit.visited_on, "kind": "visit", "obj": visit})
    for change in youth.stage_changes.select_related("actor"):
        items.append({"on": change.on, "kind": "stage", "obj": change})
    for followup in youth.followups.all():
        items.append({"on": followup.done_on, "kind": "followup", "obj": followup})
    for milestone in youth.milestones.all():
        items.append({"on": milestone.on, "kind": "milestone", "obj": milestone})
    for item in youth.reinvolvements.all():
        items.append({"on": item.on, "kind": "reinvolvement", "obj": item})
    order = {"stage": 0, "visit": 1, "followup": 2, "milestone": 3, "reinvolvement": 4}
    return sorted(items, key=lambda i: (i["on"], order[i["kind"]], i["obj"].pk), reverse=True)


def teams_of(youth: Youth) -> QuerySet[MentorTeam]:
    return youth.teams.select_related("lead").prefetch_related("members").filter(ended_on__isnull=True)


def followup_items(
    *, user, today: date | None = None, filters: dict | None = None, overdue_only: bool = False
) -> list[dict]:
    """Follow-ups due after closure (6 and 12 months) that are not yet recorded, oldest due first;
    `overdue_only`: those overdue today only (the cases closed too recently are not read)."""
    today = today or timezone.localdate()
    qs = _cases_with_followups_to_record(user=user, today=today, overdue_only=overdue_only)
    if term := ((filters or {}).get("q") or "").strip():
        qs = qs.filter((Q(name__icontains=term) if sees_identity(user) else Q(pk__in=[])) | _pk_q(term))
    items = [
        {"row": present(youth, user=user, today=today), "number": number, "due": on, "overdue": overdue}
        for youth, number, on, overdue in _next_followups(qs, today=today)
        if overdue or not overdue_only
    ]
    return sorted(items, key=lambda i: i["due"])


def overdue_followup_count(*, user, today: date) -> int:
    """How many of `followup_items(overdue_only=True)` there are, without presenting the cases."""
    qs = _cases_with_followups_to_record(user=user, today=today, overdue_only=True).select_related(None)
    return sum(1 for *_, overdue in _next_followups(qs, today=today) if overdue)


def _cases_with_followups_to_record(*, user, today: date, overdue_only: bool) -> QuerySet[Youth]:
    expected = len(due.followup_months())
    recorded = count_of(FollowUp.objects.filter(youth=OuterRef("pk"), number__lte=expected), per="youth")
    qs = (
        with_station(visible_to(Youth.objects.filter(stage=Stage.CLOSED, closed_on__isnull=False), user))
        # only cases with a follow-up still to record: years of completed cases are not read. A correlated
        # count, not a join with GROUP BY: the rows keep every column of the case and its station
        .alias(recorded=recorded)
        .filter(recorded__lt=expected)
        .prefetch_related("followups")
        .order_by("closed_on", "pk")
    )
    if overdue_only:
        qs = qs.filter(closed_on__lte=due.last_closing_with_followup_overdue(today))
    return qs


def _next_followups(cases, *, today: date):
    """(case, number, due date, overdue) of each case's first follow-up not yet recorded."""
    for youth in cases:
        done = {f.number for f in youth.followups.all()}
        for number, on in enumerate(due.followup_dues(closed_on=youth.closed_on), start=1):
            if number not in done:
                yield youth, number, on, due.is_overdue(on, now=today)
                break


def followup_dues_of(youth: Youth) -> list[dict]:
    """A closed case's follow-ups: when each is due and whether it is done."""
    if not youth.closed_on:
        return []
    done = {f.number: f.done_on for f in youth.followups.all()}
    today = timezone.localdate()
    return [
        {"number": n, "due": on, "done_on": done.get(n), "overdue": n not in done and due.is_overdue(on, now=today)}
        for n, on in enumerate(due.followup_dues(closed_on=youth.closed_on), start=1)
    ]


def call_list(*, user) -> QuerySet[PoliceCall]:
    """Calls in scope (none of a sealed case); list filters are `mentoring.filters.CallFilterSet`."""
    return with_station(visible_to(PoliceCall.objects.all(), user).exclude(youth__is_sealed=True))


def call_get(*, user, pk) -> PoliceCall:
    return get_object_or_404(call_list(user=user), pk=pk)


REPEAT_ENCOUNTERS, REPEAT_WINDOW_DAYS = 3, 90


def encounter_list(*, user):
    """Night encounters in scope (none of a sealed case); list filters are `mentoring.filters.EncounterFilterSet`."""
    from .models import NightEncounter

    return with_station(visible_to(NightEncounter.objects.all(), user).exclude(youth__is_sealed=True))


def encounter_suggestions(*, user, today: date | None = None) -> list[dict]:
    """People met 3+ times in 90 days who have no case at the station yet: suggest opening one."""
    from django.db.models import Count, Max

    from .models import NightEncounter

    today = today or timezone.localdate()
    since = today - timedelta(days=REPEAT_WINDOW_DAYS)
    known = Youth.all_objects.filter(workstation=OuterRef("workstation"), id_hash=OuterRef("id_hash"))
    rows = (
        visible_to(NightEncounter.objects.all(), user)
        .exclude(id_hash="")
        .filter(met_at__date__gte=since)
        .annotate(known=Exists(known))
        .filter(known=False)
        .values("workstation__name", "id_hash", "id_last4")
        .annotate(n=Count("pk"), last=Max("met_at"))
        .filter(n__gte=REPEAT_ENCOUNTERS)
        .order_by("-n")
    )
    return list(rows)


def overdue_calls_q(now: datetime) -> Q:
    return Q(followup_on__isnull=True, called_at__lt=now - (due.call_followup_due(called_at=now) - now))


def overdue_counts(*, user, today: date | None = None) -> dict[str, int]:
    """The user's overdue items: cases (contact or reassessment) and runaway calls past 48 h."""
    today = today or timezone.localdate()
    # sealed cases count too, as in the figure and beside the overdue list (issue 14 §1)
    cases = visible_to(Youth.all_objects.filter(overdue_q(today)), user).count()
    calls = call_list(user=user).filter(overdue_calls_q(timezone.now())).count()
    followups = overdue_followup_count(user=user, today=today)
    return {"cases": cases, "calls": calls, "followups": followups, "total": cases + calls + followups}


def ensure_visible_youth(youth: Youth, user) -> None:
    if not visible_to(Youth.objects.filter(pk=youth.pk), user).exists():
        raise Http404


def station_summary(*, station, today: date | None = None) -> dict:
    """Aggregate counts of one station (the caller has already checked the station is in scope)."""
    from django.db.models import Count

    today = today or timezone.localdate()
    qs = for_station(Youth.all_objects.all(), station)
    counts = qs.aggregate(
        open=Count("pk", filter=Q(stage__in=OPEN_STAGES)),
        closed=Count("pk", filter=~Q(stage__in=OPEN_STAGES)),
        overdue=Count("pk", filter=overdue_q(today)),
        without_team=Count("pk", filter=Q(stage__in=OPEN_STAGES, teams__isnull=True)),
    )
    return counts


def overdue_calls(*, user, now: datetime, limit: int = 50) -> QuerySet[PoliceCall]:
    """Runaway / night-wandering calls of the user's scope not followed up in time (the first `limit`)."""
    return call_list(user=user).filter(overdue_calls_q(now))[:limit]


def youth_on_file(*, user, workstation, id_hash: str = "", name: str = "", birth_date=None) -> bool:
    """The station already has an open file for this person (by ID hash, or name and birth date without
    an ID): an import's re-run. Sealed files stay out of sight, as on the intake form."""
    qs = for_station(visible_to(Youth.objects.all(), user), workstation)
    if id_hash:
        return qs.filter(id_hash=id_hash).exists()
    return qs.filter(name=name, birth_date=birth_date).exists()


def offline_cases(*, user) -> QuerySet[Youth]:
    """The open cases a user's phone may keep offline (issue 17): the user's own cases, meaning those of
    the user's station the user has recorded visits for. No sealed file (the default manager hides them);
    never a station's whole list."""
    if not user.workstation_id:
        return Youth.objects.none()
    qs = Youth.objects.filter(stage__in=OPEN_STAGES, visits__created_by=user, workstation_id=user.workstation_id)
    return visible_to(qs, user).distinct().order_by("pk")


def offline_case_ids(*, user) -> list[int]:
    return list(offline_cases(user=user).values_list("pk", flat=True))
