"""Reads of the inspections app: scoped querysets (out of scope → absent → 404) and figure pre-fill."""

from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from stations import scoping
from stations.figures import FIGURES, Period
from stations.models import OrgKind, OrgUnit, StationStatus, Workstation, subtree_q
from stations.roles import has_capability
from stations.scoping import for_station, for_stations, visible_to
from stations.subqueries import with_related, with_station

from . import scoring
from .models import (
    AnnualChecklist,
    AwardCycle,
    ChecklistStatus,
    ChecklistTemplate,
    HaveItemSet,
    Inspection,
    InspectionRound,
    InspectionStatus,
    Nomination,
    Objection,
    Rectification,
    RectStatus,
    RoundStatus,
    overdue_q,
)
from .progress import checklist_state, inspection_state, with_checklist

# --- figures ---------------------------------------------------------------------------------


def figure_values(keys, *, station_ids, period: Period) -> dict[str, dict[int, object] | None]:
    """{key: {station_id: value}} for every key; None for a key no app has registered (yet).

    One bulk call per figure whatever the number of stations.
    """
    ids = list(station_ids)
    result = {}
    for key in dict.fromkeys(k for k in keys if k):
        fig = FIGURES.get(key)
        if fig is None:
            result[key] = None
            continue
        # a station without a value counts as 0, except for non-additive figures (a score, a rate):
        # there "no value" means "not measured"
        values = fig.per_station(station_ids=ids, period=period)
        result[key] = {sid: values.get(sid, 0 if fig.additive else None) for sid in ids}
    return result


def plain(value):
    """A figure value as JSON (Decimal → int/float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- templates -------------------------------------------------------------------------------


def template_for(*, county: OrgUnit, year: int) -> ChecklistTemplate | None:
    """The province's own newest active template for the year or before; else the newest national one."""
    province = county.ancestor(OrgKind.PROVINCE)
    return (
        ChecklistTemplate.objects.filter(is_active=True, year__lte=year)
        .filter(Q(province=province) | Q(province__isnull=True))
        .order_by(F("province").asc(nulls_last=True), "-year", "-version")
        .first()
    )


def have_items_for(*, workstation: Workstation, year: int) -> list[dict]:
    province = workstation.county.ancestor(OrgKind.PROVINCE)
    found = HaveItemSet.objects.filter(province=province, year__lte=year).order_by("-year").first()
    if found:
        return found.items
    from .example import HAVE_VARIANT_A

    return HAVE_VARIANT_A


def have_defaults(*, workstation: Workstation, year: int, items: list[dict]) -> dict[str, bool]:
    """The 六有 status the system can infer (an item's `source` figure > 0); the station confirms it."""
    values = figure_values([i.get("source", "") for i in items], station_ids=[workstation.pk], period=Period(year))
    result = {}
    for item in items:
        per_station = values.get(item.get("source", ""))
        if per_station is not None:
            result[item["code"]] = bool(per_station.get(workstation.pk))
    return result


# --- rounds and inspections -------------------------------------------------------------------


def round_list(*, user) -> QuerySet[InspectionRound]:
    """Rounds of the counties the user sees; a station user sees the rounds of its own county.
    List filters are `inspections.filters.RoundFilterSet`."""
    counties = visible_to(OrgUnit.objects.filter(kind=OrgKind.COUNTY), user)
    # The city and the template are fetched for the page's rows (two small lookups) rather than joined
    # into the page query: planning the four-way join cost more than running the list.
    qs = (
        InspectionRound.objects.filter(county__in=counties)
        .select_related("county")
        .prefetch_related("county__parent", "template")
    )
    return qs.order_by("-year", "-half", "county__path")


def with_inspection_counts(*, user, rounds) -> list[InspectionRound]:
    """The rounds (a page of them) with the counts of their inspections the user sees: `n_inspections`
    (the current ones) and `n_submitted`. One query keyed on the page's rounds: annotating the list
    itself grouped the join of every round and inspection in scope, for the rows and for the count."""
    rounds = list(rounds)
    counts = {
        row["round_id"]: row
        for row in visible_to(Inspection.objects.filter(round__in=[r.pk for r in rounds]), user)
        .order_by()
        .values("round_id")
        .annotate(
            n_inspections=Count("pk", filter=~Q(status=InspectionStatus.SUPERSEDED)),
            n_submitted=Count("pk", filter=Q(status=InspectionStatus.SUBMITTED)),
        )
    }
    for r in rounds:
        row = counts.get(r.pk, {})
        r.n_inspections, r.n_submitted = row.get("n_inspections", 0), row.get("n_submitted", 0)
    return rounds


def round_get(*, user, pk: int) -> InspectionRound:
    return get_object_or_404(round_list(user=user).select_related("county__parent", "template"), pk=pk)


def inspection_list(*, user, round: InspectionRound | None = None, filters: dict | None = None) -> QuerySet[Inspection]:
    qs = (
        visible_to(Inspection.objects.all(), user)
        .exclude(status=InspectionStatus.SUPERSEDED)
        .select_related("workstation", "round", "round__county")
        .annotate(n_open=Count("rectifications", filter=~Q(rectifications__status=RectStatus.VERIFIED), distinct=True))
    )
    if round is not None:
        qs = qs.filter(round=round)
    filters = filters or {}
    if term := (filters.get("q") or "").strip():
        qs = qs.filter(Q(workstation__name__icontains=term) | Q(workstation__code__icontains=term))
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if grade := filters.get("grade"):
        qs = qs.filter(grade=grade)
    return qs.order_by("workstation__code")


def inspection_get(*, user, pk: int) -> Inspection:
    qs = visible_to(Inspection.objects.all(), user).select_related(
        "workstation", "workstation__county", "round", "round__county", "template", "inspector", "previous"
    )
    return get_object_or_404(qs, pk=pk)


def inspection_rows(inspection: Inspection) -> list[dict]:
    """The checklist of one inspection, item by item, with the inputs and their system values."""
    rows = []
    for entry in inspection.items.select_related("item").all():
        item = entry.item
        labels = [t.get("label") or t.get("figure") for t in item.terms] if item.kind == "computed" else [""]
        inputs = []
        for index, figure_key in enumerate(item.input_figures):
            system = entry.system_values[index] if index < len(entry.system_values) else None
            value = entry.values[index] if index < len(entry.values) else None
            inputs.append(
                {
                    "index": index,
                    "label": labels[index] if index < len(labels) else "",
                    "figure": figure_key,
                    "system": system,
                    "no_data": bool(figure_key) and system is None,
                    "value": value,
                }
            )
        rows.append({"entry": entry, "item": item, "inputs": inputs})
    return rows


def history_for(inspection: Inspection) -> QuerySet[Rectification]:
    """回头看: the station's rectifications from earlier rounds, for the inspector to re-check."""
    return (
        for_station(Rectification.objects.all(), inspection.workstation_id)
        .exclude(inspection__round=inspection.round)
        .filter(Q(rechecked_in__isnull=True) | Q(rechecked_in__round=inspection.round))
        .select_related("item", "inspection__round")
        .order_by("due_on")
    )


# --- rectifications ---------------------------------------------------------------------------


def rectification_list(*, user, filters: dict | None = None) -> QuerySet[Rectification]:
    qs = visible_to(Rectification.objects.all(), user).select_related(
        "workstation", "item", "inspection__round", "workstation__county"
    )
    filters = filters or {}
    today = timezone.localdate()
    status = filters.get("status")  # list filters: `inspections.filters.RectificationFilterSet`
    if status == "overdue":
        qs = qs.overdue(today)
    elif status == "pending":
        qs = qs.unverified()
    elif status:
        qs = qs.filter(status=status)
    return qs.annotate(escalated=_escalated(today)).order_by(*RECTIFICATION_ORDER)


# escalation: overdue first, then by due date
RECTIFICATION_ORDER = ("escalated", "due_on", "pk")


def _escalated(today):
    from django.db.models import Case, IntegerField, Value, When

    return Case(When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField())


def rectification_ids(rectifications: QuerySet[Rectification]) -> QuerySet:
    """The filtered list's ids in its order: what the paginator counts and slices."""
    return rectifications.select_related(None).values_list("pk", flat=True)


def rectification_page(*, user, ids: QuerySet) -> list[Rectification]:
    """The rows of one page of `rectification_list`, given the page's slice of `rectification_ids`. The
    list is sorted on its narrow rows (the ids, a subquery) and only the page's rows are joined to their
    station, inspection and round, in the same query: sorting every row of the province with those joins
    took most of the page, and fetching the ids first cost a round trip of its own."""
    page = with_station(visible_to(Rectification.objects.filter(pk__in=ids), user))
    page = with_related(page, "inspection", {"id", "round"}).select_related("inspection__round")
    return list(page.annotate(escalated=_escalated(timezone.localdate())).order_by(*RECTIFICATION_ORDER))


def rectification_get(*, user, pk: int) -> Rectification:
    qs = visible_to(Rectification.objects.all(), user).select_related(
        "workstation", "item", "inspection__round", "answered_by", "verified_by"
    )
    return get_object_or_404(qs.prefetch_related("evidence"), pk=pk)


# --- annual checklist ------------------------------------------------------------------------

CHECKLIST_FIGURES = [
    # (group, key, label and unit used while the owning app has not registered the figure)
    ("staffing", "volunteers.active", "在册成员", "人"),
    ("staffing", "volunteers.retired_officers", "退休民警", "人"),
    ("staffing", "volunteers.elders", "“五老”成员", "人"),
    ("staffing", "volunteers.new", "新加入", "人"),
    ("staffing", "volunteers.left", "退出", "人"),
    ("activities", "activities.sessions", "活动场次", "场"),
    ("activities", "activities.attendances", "参与人次", "人次"),
    ("activities", "activities.sessions_theory_study", "理论学习", "场"),
    ("activities", "activities.sessions_training", "业务培训", "场"),
    ("activities", "activities.sessions_joint_meeting", "联席会议", "场"),
    ("activities", "activities.sessions_legal_education", "法治教育", "场"),
    ("activities", "activities.sessions_mentoring", "结对帮教活动", "场"),
    ("activities", "activities.sessions_relief", "扶贫济困", "场"),
    ("activities", "activities.legal_lectures", "法治宣讲", "场"),
    ("activities", "activities.legal_audience", "法治宣讲受众", "人次"),
    ("activities", "activities.minors_reached", "覆盖未成年人", "人次"),
    ("mentoring", "mentoring.youth_under_mentoring", "帮教对象", "人"),
    ("mentoring", "mentoring.youth_new", "新列管", "人"),
    ("mentoring", "mentoring.youth_closed", "解除帮教", "人"),
    ("mentoring", "mentoring.visits", "走访", "次"),
    ("mentoring", "mentoring.reoffended", "重新违法犯罪", "人"),
    ("mentoring", "mentoring.back_to_school", "重返校园", "人"),
    ("trainings", "volunteers.trainings", "培训场次", "场"),
    ("trainings", "volunteers.training_attendances", "培训人次", "人次"),
    ("trainings", "volunteers.service_hours", "志愿服务时长", "小时"),
    ("donations", "activities.donation_yuan", "捐款捐物", "元"),
    ("donations", "stations.funding_yuan", "到位经费", "元"),
    ("inspections", "inspections.score_h1", "上半年督查得分", "分"),
    ("inspections", "inspections.score_h2", "下半年督查得分", "分"),
    ("inspections", "inspections.rectifications_open", "未验收整改", "项"),
]
CHECKLIST_GROUPS = {
    "staffing": "人员配备",
    "activities": "活动开展（场次/人次）",
    "mentoring": "结对帮教",
    "trainings": "培训与服务",
    "donations": "经费与捐助",
    "inspections": "督查考评",
}


def checklist_live_figures(*, workstation: Workstation, year: int) -> dict[str, object]:
    """The year's figures for one station: {key: value or None when the figure is not registered}."""
    values = figure_values([row[1] for row in CHECKLIST_FIGURES], station_ids=[workstation.pk], period=Period(year))
    return {key: None if per is None else plain(per.get(workstation.pk)) for key, per in values.items()}


def checklist_sections(checklist: AnnualChecklist, figures: dict | None = None) -> list[dict]:
    """Figures grouped for display: the frozen snapshot once submitted, live figures while drafting."""
    if figures is None:
        figures = (
            checklist.figures
            if checklist.status != ChecklistStatus.DRAFT
            else checklist_live_figures(workstation=checklist.workstation, year=checklist.year)
        )
    sections = []
    for group, title in CHECKLIST_GROUPS.items():
        rows = []
        for g, key, label, unit in CHECKLIST_FIGURES:
            if g != group:
                continue
            fig = FIGURES.get(key)
            rows.append(
                {
                    "key": key,
                    "label": fig.label if fig else label,
                    "unit": fig.unit if fig else unit,
                    "value": figures.get(key),
                }
            )
        sections.append({"title": title, "rows": rows})
    return sections


def checklist_list(*, user, year: int, filters: dict | None = None) -> QuerySet[Workstation]:
    """Active stations in scope with their checklist of the year (status, or none) and half-year scores.
    The states and the inspection filter are the reporting figures' own definitions (`progress`)."""
    from django.db.models import Max, OuterRef, Subquery

    def score(half):
        # the best submitted score of the half, per row (evaluated for the page's rows only)
        submitted = Inspection.objects.filter(
            workstation=OuterRef("pk"), round__year=year, round__half=half, status=InspectionStatus.SUBMITTED
        )
        return Subquery(submitted.order_by().values("workstation").annotate(best=Max("score")).values("best"))

    qs = with_checklist(
        visible_to(Workstation.objects.filter(status=StationStatus.ACTIVE), user).select_related(
            "county", "county__parent"
        ),
        year,
    ).annotate(score_h1=score(1), score_h2=score(2))
    filters = filters or {}
    if term := (filters.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=term) | Q(code__icontains=term))
    if county := filters.get("county"):
        qs = qs.filter(county=county)
    if unit := filters.get("org"):
        qs = qs.filter(subtree_q("org_path", unit.path))
    if station := filters.get("workstation"):
        qs = qs.filter(pk=station.pk)
    if state := filters.get("state"):
        qs = checklist_state(qs, state, year)
    if inspected := filters.get("inspected"):
        qs = inspection_state(qs, inspected, filters.get("period") or Period(year))
    return qs.order_by("org_path", "code")


def checklist_get(*, user, pk: int) -> AnnualChecklist:
    qs = visible_to(AnnualChecklist.objects.all(), user).select_related(
        "workstation", "workstation__county", "workstation__county__parent", "submitted_by", "reviewed_by"
    )
    return get_object_or_404(qs, pk=pk)


def workstation_for(*, user, pk) -> Workstation:
    return get_object_or_404(visible_to(Workstation.objects.select_related("county"), user), pk=pk)


# --- award ------------------------------------------------------------------------------------


def user_province(user) -> OrgUnit | None:
    """The province above the user's scope (a county or station user sees its province's award)."""
    if not has_capability(user, "inspections.view"):
        return None
    return scoping.province_of(user)


def award_cycles(*, user, filters: dict | None = None) -> QuerySet[AwardCycle]:
    province = user_province(user)
    if province is None:
        return AwardCycle.objects.none()
    qs = AwardCycle.objects.filter(province=province).select_related("province")
    filters = filters or {}
    if year := filters.get("year"):
        qs = qs.filter(first_year__in=[year - 1, year])
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    return qs.order_by("-first_year")


def award_cycle_get(*, user, pk: int) -> AwardCycle:
    return get_object_or_404(award_cycles(user=user), pk=pk)


def nominations(*, user, cycle: AwardCycle) -> QuerySet[Nomination]:
    return (
        visible_to(Nomination.objects.filter(cycle=cycle), user)
        .select_related("workstation", "workstation__county", "workstation__county__parent")
        .prefetch_related("objections")
        .order_by("workstation__org_path", "workstation__code")
    )


def nomination_get(*, user, pk: int) -> Nomination:
    qs = visible_to(Nomination.objects.all(), user).select_related("cycle", "workstation", "workstation__county")
    return get_object_or_404(qs, pk=pk)


def half_year_scores(*, station_ids, first_year: int) -> dict[int, dict]:
    """{station_id: {(year, half): score}} of the submitted inspections of the two years."""
    rows = for_stations(
        Inspection.objects.filter(round__year__in=[first_year, first_year + 1], status=InspectionStatus.SUBMITTED),
        station_ids,
    ).values_list("workstation_id", "round__year", "round__half", "score", "vetoed")
    result: dict[int, dict] = {}
    for station_id, year, half, score, vetoed in rows:
        result.setdefault(station_id, {})[(year, half)] = (score, vetoed)
    return result


def checklist_of_year(*, user, workstation, year: int) -> AnnualChecklist:
    """The year's checklist of a station in scope (404 when none or out of scope)."""
    return get_object_or_404(visible_to(AnnualChecklist.objects.all(), user), workstation=workstation, year=year)


def checklist_or_draft(*, user, workstation, year: int) -> AnnualChecklist:
    """The stored checklist (read through the user's scope), or an unsaved draft."""
    found = visible_to(AnnualChecklist.objects.filter(workstation=workstation, year=year), user).first()
    return found or AnnualChecklist(workstation=workstation, year=year)


def province_of(*, user) -> OrgUnit | None:
    return visible_to(OrgUnit.objects.filter(kind=OrgKind.PROVINCE), user).first()


def objection_get(*, user, pk: int) -> Objection:
    return get_object_or_404(visible_to(Objection.objects.select_related("nomination"), user), pk=pk)


def award_eligibility(*, cycle: AwardCycle, station_ids) -> dict[int, dict]:
    """Per station: the four half-year scores, their mean, and whether it may be nominated (and why not)."""
    ids = list(station_ids)
    scores = half_year_scores(station_ids=ids, first_year=cycle.first_year)
    overdue = set(for_stations(Rectification.objects.overdue(), ids).values_list("workstation_id", flat=True))
    halves = [(cycle.first_year, 1), (cycle.first_year, 2), (cycle.last_year, 1), (cycle.last_year, 2)]
    result = {}
    for station_id in ids:
        found = scores.get(station_id, {})
        values = [found.get(h, (None, False))[0] for h in halves]
        vetoed = any(found.get(h, (None, False))[1] for h in halves)
        reasons = []
        if any(v is None for v in values):
            reasons.append(_("缺少半年督查得分"))
        else:
            if any(v < cycle.min_each for v in values):
                reasons.append(_("有一次得分低于 %(n)s 分") % {"n": cycle.min_each})
            mean = sum(values) / 4
            if mean < cycle.min_mean:
                reasons.append(_("平均分低于 %(n)s 分") % {"n": cycle.min_mean})
        if vetoed:
            reasons.append(_("有一票否决"))
        if station_id in overdue:
            reasons.append(_("有逾期未整改事项"))
        known = [v for v in values if v is not None]
        result[station_id] = {
            "scores": values,
            "mean": (sum(known) / len(known)).quantize(Decimal("0.1")) if known else None,
            "eligible": not reasons,
            "reasons": reasons,
        }
    return result


def award_stations(*, user) -> QuerySet[Workstation]:
    """The active stations in the user's scope: those a county officer may nominate."""
    return visible_to(Workstation.objects.filter(status=StationStatus.ACTIVE), user).order_by("org_path", "code")


def award_candidates(*, user, cycle: AwardCycle, nominations) -> tuple[list[dict], QuerySet[Workstation]]:
    """The nominating officer's stations with their eligibility, and those still open to nomination."""
    stations = list(checklist_list(user=user, year=cycle.last_year))
    check = award_eligibility(cycle=cycle, station_ids=[s.pk for s in stations])
    nominated = {n.workstation_id for n in nominations}
    candidates = [{"station": s, **check[s.pk], "nominated": s.pk in nominated} for s in stations]
    eligible = [c["station"].pk for c in candidates if c["eligible"] and not c["nominated"]]
    return candidates, award_stations(user=user).filter(pk__in=eligible)


# --- yearly review ----------------------------------------------------------------------------


def year_result(*half_years) -> tuple[Decimal | None, str]:
    """The year's score (mean of the submitted half-year scores, one decimal) and its grade."""
    scores = [s for s in half_years if s is not None]
    if not scores:
        return None, ""
    score = (sum(scores) / len(scores)).quantize(Decimal("0.1"))
    return score, scoring.grade_for(score)


def with_year_results(stations):
    """Sets `year_score` and `year_grade` on rows of `checklist_list` (a page of them) and returns them."""
    for station in stations:
        station.year_score, station.year_grade = year_result(station.score_h1, station.score_h2)
    return stations


def checklist_missing_count(*, user, year: int) -> int:
    return checklist_list(user=user, year=year, filters={"state": "missing"}).count()


# --- inspection detail --------------------------------------------------------------------------


def inspection_rectifications(inspection: Inspection) -> QuerySet[Rectification]:
    """The findings raised in one inspection (already fetched through the user's scope)."""
    return inspection.rectifications.select_related("item").order_by("pk")


def evidence_get(rectification: Rectification, pk: int):
    """One evidence file of a rectification fetched through `rectification_get` (prefetched), or 404."""
    item = next((e for e in rectification.evidence.all() if e.pk == pk), None)
    if item is None or not item.file:
        raise Http404
    return item


def rectification_overdue_count(*, user) -> int:
    return rectification_list(user=user, filters={"status": "overdue"}).count()


def rectification_counts(*, user) -> tuple[int, int]:
    """All of the user's findings and the overdue among them, in one COUNT: the unfiltered list's count
    and its overdue badge."""
    row = visible_to(Rectification.objects.all(), user).aggregate(
        listed=Count("pk"), overdue=Count("pk", filter=overdue_q())
    )
    return row["listed"], row["overdue"]


# --- home and station panels ------------------------------------------------------------------


def county_due(*, user) -> dict:
    """What a scoring officer has to do: drafts of open rounds, answers to verify, overdue findings."""
    to_score = visible_to(
        Inspection.objects.filter(status=InspectionStatus.DRAFT, round__status=RoundStatus.OPEN), user
    ).count()
    rects = visible_to(Rectification.objects.all(), user)
    overdue = rects.overdue().select_related("workstation").order_by("due_on")
    return {
        "to_score": to_score,
        "to_verify": rects.filter(status=RectStatus.ANSWERED).count(),
        "overdue_count": overdue.count(),
        "overdue": list(overdue[:5]),
    }


def supervisor_progress(*, user, today) -> dict:
    """A city or province home: this half-year's inspection rounds across the counties in scope, and the
    award cycle's current step (issue 16 §2)."""
    period = Period(today.year, 1 if today.month <= 6 else 2)
    counties = visible_to(OrgUnit.objects.filter(kind=OrgKind.COUNTY), user)
    rounds = InspectionRound.objects.filter(county__in=counties, year=period.year, half=period.half)
    by_status = dict(rounds.order_by().values_list("status").annotate(n=Count("pk")))
    opened = rounds.values("county").distinct().count()
    county_count = counties.count()
    return {
        "period": period,
        "county_count": county_count,
        "opened": opened,
        "not_opened": county_count - opened,
        "running": by_status.get(RoundStatus.OPEN, 0),
        "closed": by_status.get(RoundStatus.CLOSED, 0),
        "cycle": award_cycles(user=user).first(),
    }


def station_due(*, user, year: int) -> dict:
    """What a station has to do: open findings and the year's checklist (scoped like every read)."""
    rects = visible_to(Rectification.objects.filter(status__in=[RectStatus.OPEN, RectStatus.RETURNED]), user)
    checklist = visible_to(AnnualChecklist.objects.filter(workstation_id=user.workstation_id, year=year), user).first()
    return {
        "open": list(rects.order_by("due_on")[:5]),
        "open_count": rects.count(),
        "checklist": checklist,
    }


def station_inspections(*, user, station: Workstation) -> dict:
    """A station page's block: its last four submitted inspections and its unverified findings."""
    inspections = (
        visible_to(Inspection.objects.filter(workstation=station, status=InspectionStatus.SUBMITTED), user)
        .select_related("round")
        .order_by("-round__year", "-round__half")[:4]
    )
    open_count = visible_to(Rectification.objects.filter(workstation=station), user).unverified().count()
    return {"inspections": list(inspections), "open_count": open_count}


def submission_missing(checklist: AnnualChecklist, *, highlights: str) -> list[str]:
    """What the year's submission would lack (shown before the head confirms; none of it blocks)."""
    from django.utils.translation import gettext as _

    missing = [
        _("%(label)s：系统暂无数据") % {"label": row["label"]}
        for section in checklist_sections(checklist)
        for row in section["rows"]
        if row["value"] is None
    ]
    items = have_items_for(workstation=checklist.workstation, year=checklist.year)
    missing += [
        _("“六有”未确认：%(label)s") % {"label": item["label"]}
        for item in items
        if not checklist.haves.get(item["code"])
    ]
    if not highlights.strip():
        missing.append(_("工作亮点未填写"))
    for field, label in (("problems", _("存在问题")), ("plans", _("下年度计划"))):
        if not getattr(checklist, field).strip():
            missing.append(_("%(label)s未填写") % {"label": label})
    return missing


def award_stage_step(*, user, cycle, to: str) -> dict:
    """What moving `cycle` to stage `to` changes, and what is still missing for it (the confirmation)."""
    from django.utils.translation import gettext as _

    from .models import AwardStatus, NominationStatus

    noms = list(nominations(user=user, cycle=cycle))
    effects, missing = [], []

    def stations(text, test) -> list[str]:
        return [text % {"s": n.workstation.name} for n in noms if test(n)]

    if to == AwardStatus.REVIEWING:
        effects = [
            _("推荐截止：各县（区）不能再推荐或撤回；"),
            _("各市（地）关工委开始审核本市的 %(n)d 个推荐。") % {"n": len(noms)},
        ]
        if not noms:
            missing.append(_("还没有任何推荐"))
    elif to == AwardStatus.NOTICE:
        approved = [n for n in noms if n.status == NominationStatus.CITY_APPROVED]
        effects = [
            _("市级审核截止，%(n)d 个市级同意的推荐进入公示；") % {"n": len(approved)},
            _("公示从今天开始，为期 %(d)d 天，期间登记收到的异议。") % {"d": cycle.notice_days},
        ]
        missing += stations(_("%(s)s：市级尚未审核"), lambda n: n.status == NominationStatus.NOMINATED)
    elif to == AwardStatus.DECIDING:
        effects = [_("公示结束，不再登记异议；"), _("省关工委对市级同意的推荐逐一作出授予或不授予的决定。")]
        missing += stations(_("%(s)s：有未处理的公示异议"), lambda n: any(not o.handled_at for o in n.objections.all()))
    elif to == AwardStatus.CLOSED:
        awarded = [n for n in noms if n.status == NominationStatus.AWARDED]
        effects = [
            _("评选结束，结果定稿：授予 %(n)d 个工作站，证书可以打印；") % {"n": len(awarded)},
            _("获评计入 %(y)d 年度的“获评优秀爱心工作站”。") % {"y": cycle.last_year},
        ]
        missing += stations(_("%(s)s：尚未决定"), lambda n: n.status == NominationStatus.CITY_APPROVED)
    return {"effects": effects, "missing": missing}


def inspections_to_score(*, user) -> QuerySet[Inspection]:
    """Inspections of open rounds not yet submitted, in the officer's scope (their scoring pages work
    offline, issue 17)."""
    qs = Inspection.objects.filter(status=InspectionStatus.DRAFT, round__status=RoundStatus.OPEN)
    return visible_to(qs, user).order_by("pk")


def inspection_ids_to_score(*, user) -> list[int]:
    return list(inspections_to_score(user=user).values_list("pk", flat=True))
