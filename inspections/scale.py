"""Scale data of the inspections app (`manage.py generate_scale`): the example checklist and 六有 set of each
province, two years of half-yearly rounds (every active station scored by the scoring engine, findings and
rectifications in every state, some overdue), this half-year's round under way in half of the counties,
annual checklists submitted, reviewed, late or missing, and a finished biennial award cycle."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from stations.models import PeriodLock
from stations.scale import person_name

from . import scoring, selectors
from .example import HAVE_VARIANT_A, create_example_template
from .models import (
    AnnualChecklist,
    AwardCycle,
    AwardStatus,
    ChecklistStatus,
    ChecklistTemplate,
    HaveItemSet,
    Inspection,
    InspectionItem,
    InspectionRound,
    InspectionStatus,
    Nomination,
    NominationStatus,
    Rectification,
    RectStatus,
    RoundStatus,
    TemplateItem,
)

FINDINGS = [
    ("3", "统一标识未悬挂在醒目位置", "normal"),
    ("7", "联席会议无会议记录", "normal"),
    ("9", "个别帮教对象走访超期", "serious"),
    ("10", "帮扶助学台账不完整", "normal"),
    ("1", "副站长长期空缺", "serious"),
    ("5", "制度文件未上墙", "normal"),
]


class _On:
    """A model's manager on the generator's database, for helpers that take model classes."""

    def __init__(self, model, using: str):
        self.objects = model.objects.db_manager(using)


def _values(item, rng, quality: float) -> list:
    """Inputs an officer would enter for `item` at a station of `quality` (0 weak .. 1 excellent)."""
    perfect = rng.random() < quality
    if item.kind == scoring.MANUAL:
        return [float(item.max_points) - (0 if perfect else rng.choice([1, 2, 4]))]
    if item.kind == scoring.BOOLEAN:
        return [1 if perfect or rng.random() < 0.5 else 0]
    if item.kind == scoring.THRESHOLD:
        return [float(item.target or 1) if perfect else 0]
    if item.kind == scoring.COMPUTED:
        return [
            (
                max(0, term["target"] - (0 if perfect else rng.choice([1, 2])))
                if term.get("target")
                else (0 if perfect else 1)
            )
            for term in item.terms
        ]
    if item.kind == scoring.DEDUCT:
        return [float(item.target) if perfect and item.target is not None else (0 if perfect else 1)]
    if item.kind == scoring.BONUS:
        return [rng.choice([0, 0, 0, 1]) if quality > 0.8 else 0]
    return [0]  # veto


def generate(ctx) -> None:
    rng = ctx.rng("inspections")
    w = ctx.writer
    until = ctx.until
    current = (until.year, 1 if until.month <= 6 else 2)
    halves = []
    year, half = current
    for _ in range(4):  # the four half-years before this one: two years of inspections
        year, half = (year, 1) if half == 2 else (year - 1, 2)
        halves.insert(0, (year, half))
    rounds = w.sink(
        InspectionRound, ["id", "county_id", "year", "half", "template_id", "status", "opened_by_id", "opened_at"]
    )
    inspections = w.sink(
        Inspection,
        [
            "id",
            "round_id",
            "workstation_id",
            "template_id",
            "version",
            "status",
            "methods",
            "inspected_on",
            "inspector_id",
            "summary",
            "base_points",
            "bonus_points",
            "score",
            "grade",
            "vetoed",
            "submitted_at",
        ],
    )
    items_sink = w.sink(InspectionItem, ["id", "inspection_id", "item_id", "values", "system_values", "note", "points"])
    rects = w.sink(
        Rectification,
        [
            "id",
            "workstation_id",
            "inspection_id",
            "item_id",
            "finding",
            "severity",
            "due_on",
            "responsible",
            "status",
            "answer",
            "answered_at",
            "answered_by_id",
            "verified_at",
            "verified_by_id",
            "return_reason",
            "created_at",
        ],
    )
    checklists = w.sink(
        AnnualChecklist,
        [
            "id",
            "workstation_id",
            "year",
            "status",
            "figures",
            "haves",
            "problems",
            "plans",
            "honours",
            "filled_by",
            "submitted_at",
            "submitted_by_id",
            "reviewed_at",
            "reviewed_by_id",
        ],
    )
    locks = w.sink(PeriodLock, ["id", "workstation_id", "year", "is_locked", "locked_at", "locked_by_id"])
    quality = {s.pk: min(0.98, max(0.3, rng.gauss(0.78, 0.12))) for s in ctx.active_stations}
    stations_of: dict[int, list] = {}
    for station in ctx.active_stations:
        stations_of.setdefault(station.county_id, []).append(station)
    scores: dict[int, list[Decimal]] = {}
    for province in ctx.provinces:
        template = create_example_template(
            _On(ChecklistTemplate, w.using), _On(TemplateItem, w.using), year=ctx.start.year - 1, province=province
        )
        HaveItemSet.objects.using(w.using).get_or_create(
            province=province, year=ctx.start.year - 1, defaults={"name": "六有", "items": HAVE_VARIANT_A}
        )
        items = list(template.items.using(w.using).order_by("order", "pk"))
        by_code = {item.code: item for item in items}
        rules = [item.rule() for item in items]
        counties = [c for c in ctx.counties if c.path.startswith(province.path + ".")]
        for county_index, county in enumerate(counties):
            officer = ctx.county_users.get(county.pk)
            for year, half in [*halves, current]:
                this_half = (year, half) == current
                if this_half and county_index % 2:
                    continue  # half of the counties have yet to open this half-year's round
                round_pk = w.new_id(InspectionRound)
                opened = timezone.make_aware(datetime(year, 5 if half == 1 else 11, 1, 9))
                status = RoundStatus.OPEN if this_half else RoundStatus.CLOSED
                rounds.add((round_pk, county.pk, year, half, template.pk, status, officer, opened))
                inspected = date(year, 6, 10) if half == 1 else date(year, 11, 20)
                for index, station in enumerate(stations_of.get(county.pk, [])):
                    pk = w.new_id(Inspection)
                    if this_half:
                        inspections.add(
                            (
                                pk,
                                round_pk,
                                station.pk,
                                template.pk,
                                1,
                                InspectionStatus.DRAFT,
                                [],
                                None,
                                None,
                                "",
                                None,
                                None,
                                None,
                                "",
                                False,
                                None,
                            )
                        )
                        continue
                    values = {item.code: _values(item, rng, quality[station.pk]) for item in items}
                    result = scoring.score(rules, values, bonus_cap=template.bonus_cap, grades=template.grade_table)
                    on = min(inspected + timedelta(days=index % 20), until)
                    submitted = timezone.make_aware(datetime(on.year, on.month, on.day, 17))
                    inspections.add(
                        (
                            pk,
                            round_pk,
                            station.pk,
                            template.pk,
                            1,
                            InspectionStatus.SUBMITTED,
                            ["report", "ledger", "site"] + (["visit"] if index % 2 else ["discussion"]),
                            on,
                            officer,
                            "工作扎实，台账规范" if result.total >= 90 else "基本达到要求，部分台账需完善",
                            result.base,
                            result.bonus,
                            result.total,
                            result.grade,
                            result.vetoed,
                            submitted,
                        )
                    )
                    scores.setdefault(station.pk, []).append(result.total)
                    for scored in result.items:
                        item = by_code[scored.code]
                        items_sink.add(
                            (
                                w.new_id(InspectionItem),
                                pk,
                                item.pk,
                                values[scored.code],
                                [None] * len(values[scored.code]),
                                "",
                                scored.points,
                            )
                        )
                    for _ in range(0 if result.total >= 95 else rng.choice([1, 1, 2])):
                        code, finding, severity = rng.choice(FINDINGS)
                        due_on = on + timedelta(days=15 if severity == "serious" else 30)
                        # older findings are verified; the last half-year's answered, returned or still open
                        recent = (year, half) == halves[-1]
                        draw = rng.random()
                        if not recent:
                            state = RectStatus.VERIFIED if draw < 0.93 else RectStatus.OPEN
                        else:
                            state = rng.choices(
                                [RectStatus.VERIFIED, RectStatus.ANSWERED, RectStatus.RETURNED, RectStatus.OPEN],
                                weights=[40, 25, 10, 25],
                            )[0]
                        answered = state != RectStatus.OPEN
                        answered_at = timezone.make_aware(datetime.combine(min(due_on, until), datetime.min.time()))
                        verified = state == RectStatus.VERIFIED
                        rects.add(
                            (
                                w.new_id(Rectification),
                                station.pk,
                                pk,
                                by_code[code].pk,
                                finding,
                                severity,
                                due_on,
                                station.head_name or "站长",
                                state,
                                "已按要求整改完毕，附佐证材料" if answered else "",
                                answered_at if answered else None,
                                station.head_user or None if answered else None,
                                answered_at + timedelta(days=5) if verified else None,
                                officer if verified else None,
                                "佐证材料不完整，请补充签到表" if state == RectStatus.RETURNED else "",
                                submitted,
                            )
                        )
    # annual checklists of the finished years: submitted (locks the year) or reviewed, some late, some missing
    for year in range(ctx.start.year, until.year):
        submitted_at = timezone.make_aware(datetime(year + 1, 1, 20, 10))
        for station in ctx.active_stations:
            draw = rng.random()
            if draw < 0.06:
                continue  # missing: the county reminds the station
            status = (
                ChecklistStatus.DRAFT
                if draw < 0.12
                else (ChecklistStatus.REVIEWED if draw < 0.7 else ChecklistStatus.SUBMITTED)
            )
            done = status != ChecklistStatus.DRAFT
            checklists.add(
                (
                    w.new_id(AnnualChecklist),
                    station.pk,
                    year,
                    status,
                    {},
                    {item["code"]: True for item in HAVE_VARIANT_A},
                    "退休民警年龄偏大，宣讲力量不足。",
                    "吸收新退休民警，完善帮教小组。",
                    "",
                    person_name(rng),
                    submitted_at if done else None,
                    station.head_user or None if done else None,
                    submitted_at + timedelta(days=10) if status == ChecklistStatus.REVIEWED else None,
                    ctx.county_users.get(station.county_id) if status == ChecklistStatus.REVIEWED else None,
                )
            )
            if done:
                locks.add((w.new_id(PeriodLock), station.pk, year, True, submitted_at, station.head_user or None))
    # the biennial award of the two years inspected: eligible stations, 10 % nominated per county, decided
    first_year = halves[0][0]
    for province in ctx.provinces:
        cycle = AwardCycle(
            province=province,
            first_year=first_year,
            status=AwardStatus.CLOSED,
            notice_start=date(first_year + 2, 3, 1),
            decided_on=date(first_year + 2, 3, 20),
        )
        if cycle.decided_on > until:
            cycle.status, cycle.notice_start, cycle.decided_on = AwardStatus.NOMINATING, None, None
        cycle.save(using=w.using)
        nominations = w.sink(
            Nomination,
            ["id", "cycle_id", "workstation_id", "reason", "scores", "status", "nominated_by_id", "certificate_no"],
        )
        for county in ctx.counties:
            if not county.path.startswith(province.path + "."):
                continue
            eligible = [
                s
                for s in stations_of.get(county.pk, [])
                if len(scores.get(s.pk, [])) == 4
                and min(scores[s.pk]) >= cycle.min_each
                and sum(scores[s.pk]) / 4 >= cycle.min_mean
            ]
            quota = max(1, len(stations_of.get(county.pk, [])) * cycle.quota_percent // 100)
            for station in eligible[:quota]:
                awarded = cycle.status == AwardStatus.CLOSED and rng.random() < 0.7
                status = (
                    NominationStatus.NOMINATED
                    if cycle.status != AwardStatus.CLOSED
                    else (NominationStatus.AWARDED if awarded else NominationStatus.REJECTED)
                )
                nominations.add(
                    (
                        w.new_id(Nomination),
                        cycle.pk,
                        station.pk,
                        "帮教对象零重犯，法治宣讲覆盖辖区全部学校",
                        [selectors.plain(s) for s in scores[station.pk]],
                        status,
                        ctx.county_users.get(county.pk),
                        f"{first_year}-{station.code}" if awarded else "",
                    )
                )
