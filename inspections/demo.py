"""Demo records of the inspections app (synthetic): the example template and the 六有 set, two years
of half-yearly rounds for the demo counties with scores, findings and rectifications in every state,
submitted checklists for the previous year, an open round to score and a finished award cycle.

Idempotent: every part checks what exists first. Writes go through the services where a demo account
can act; the rest is written directly (no audit entry), as in `stations.demo`.
"""

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stations.models import OrgUnit, PeriodLock, StationStatus, StationYearHighlight, Workstation
from stations.reports.services import freeze_report

from . import scoring, selectors, services
from .example import HAVE_VARIANT_A, create_example_template
from .models import (
    AnnualChecklist,
    AwardCycle,
    AwardStatus,
    ChecklistStatus,
    ChecklistTemplate,
    HaveItemSet,
    InspectionRound,
    Rectification,
    RectificationEvidence,
    RectStatus,
    TemplateItem,
)

# county code → officer account; the city that reviews the award
COUNTIES = {"230102": "xian_daoli", "231102": "xian_aihui"}
EXCELLENT = "230102001"  # the station nominated for the award
ROUND_IN_PROGRESS = "230102"  # the county whose current half-year round is open; the other opens its own
FINDINGS = [
    ("3", "统一标识未悬挂在醒目位置", "normal"),
    ("7", "联席会议无会议记录", "normal"),
    ("9", "个别帮教对象走访超期", "serious"),
    ("10", "帮扶助学台账不完整", "normal"),
    ("1", "副站长长期空缺", "serious"),
]


def _evidence(name="整改说明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo evidence\n", content_type="application/pdf")


def _values(inspection, rng, *, excellent: bool):
    """Plausible inputs: the system figure when there is one, otherwise a value drawn for the item."""
    values = {}
    for row in selectors.inspection_rows(inspection):
        item, entry = row["item"], row["entry"]
        drawn = []
        for term_index, current in enumerate(row["inputs"]):
            if current["system"] is not None and not excellent:
                drawn.append(current["system"])
                continue
            perfect = excellent or rng.random() < 0.7
            if item.kind == scoring.MANUAL:
                drawn.append(float(item.max_points) - (0 if perfect else rng.choice([1, 2, 4])))
            elif item.kind == scoring.BOOLEAN:
                drawn.append(1 if perfect or rng.random() < 0.5 else 0)
            elif item.kind == scoring.THRESHOLD:
                drawn.append(float(item.target or 1) if perfect or rng.random() < 0.5 else 0)
            elif item.kind == scoring.COMPUTED:
                term = item.terms[term_index]
                shortfall = 0 if perfect else rng.choice([1, 1, 2])
                drawn.append(max(0, term["target"] - shortfall) if term.get("target") else shortfall)
            elif item.kind == scoring.DEDUCT:
                drawn.append(0 if perfect else 1)
            elif item.kind == scoring.BONUS:
                drawn.append(1 if excellent and item.code == "B1" else rng.choice([0, 0, 0, 1]))
            else:  # veto
                drawn.append(0)
        values[entry.pk] = drawn
    return values


def _run_round(*, officer, county, year, half, rng, today, submit=True):
    round = InspectionRound.objects.filter(county=county, year=year, half=half).first()
    if round is not None:
        return round
    round = services.round_open(actor=officer, county=county, year=year, half=half)
    if not submit:
        return round
    inspected = date(year, 6, 12) if half == 1 else date(year, 11, 20)
    inspected = min(inspected, today)
    for index, inspection in enumerate(round.inspections.select_related("workstation").order_by("workstation__code")):
        excellent = inspection.workstation.code == EXCELLENT
        values = _values(inspection, rng, excellent=excellent)
        services.inspection_score(
            actor=officer,
            inspection=inspection,
            values=values,
            # the award winner's officer checked on site and corrected stale system figures
            notes=dict.fromkeys(values, "现场核实，已整改到位") if excellent else {},
            methods=["report", "ledger", "site"] + (["visit"] if index % 2 else ["discussion"]),
            inspected_on=inspected + timedelta(days=index),
            summary="工作扎实，台账规范" if excellent else "基本达到要求，部分台账需完善",
        )
        inspection = services.inspection_submit(actor=officer, inspection=inspection)
        if excellent:
            continue
        code, finding, severity = FINDINGS[(index + year + half) % len(FINDINGS)]
        item = inspection.template.items.filter(code=code).first()
        services.rectification_raise(
            actor=officer,
            inspection=inspection,
            finding=finding,
            responsible=inspection.workstation.head_name or "站长",
            severity=severity,
            item=item,
        )
    return round


def _answer(rect, head):
    if head is not None:
        return services.rectification_answer(
            actor=head, rectification=rect, answer="已按要求整改完毕，附佐证材料", files=[_evidence()]
        )
    # no station account in the demo for this station: the answer is written directly
    evidence = RectificationEvidence(rectification=rect, name="整改说明.pdf")
    evidence.file.save("evidence.pdf", _evidence(), save=True)
    rect.status = RectStatus.ANSWERED
    rect.answer = "已按要求整改完毕，附佐证材料"
    rect.answered_at = timezone.now()
    rect.save()
    return rect


def _settle_rectifications(*, context, officer_for, today):
    """Older findings verified; last half-year's answered, returned or verified; this year's open or overdue."""
    heads = {
        u.workstation_id: u for u in context.users.values() if u.workstation_id and u.has_cap("inspections.answer")
    }
    pending = list(
        Rectification.objects.filter(status=RectStatus.OPEN, answered_at__isnull=True)
        .select_related("inspection__round", "workstation__county")
        .order_by("inspection__round__year", "inspection__round__half", "pk")
    )
    last = (today.year - 1, 2)
    last_index = this_index = 0
    for rect in pending:
        round = rect.inspection.round
        officer = officer_for[rect.workstation.county.code]
        if round.year == today.year:
            if this_index % 2:  # still within its due date
                Rectification.objects.filter(pk=rect.pk).update(due_on=today + timedelta(days=20))
            this_index += 1
            continue
        rect = _answer(rect, heads.get(rect.workstation_id))
        if (round.year, round.half) == last:
            last_index += 1
            if last_index == 1:
                continue  # answered, waiting for the county
            if last_index == 2:
                services.rectification_return(
                    actor=officer,
                    rectification=rect,
                    reason="佐证材料不完整，请补充签到表",
                    due_on=today + timedelta(days=10),
                )
                continue
        services.rectification_verify(actor=officer, rectification=rect)


def _submitted_at(year, *, late):
    """A realistic submission time: mid-January (on time), or early March (late); never in the future."""
    day = date(year + 1, 3, 5) if late else date(year + 1, 1, 20)
    return min(timezone.make_aware(datetime.combine(day, time(10))), timezone.now())


def _checklists(*, context, year):
    """Previous year's checklists: submitted (the year locks), except one station left to remind."""
    head = context.users.get("zhan_zhang")
    stations = Workstation.objects.filter(county__code__in=COUNTIES, status=StationStatus.ACTIVE).order_by("code")
    for index, station in enumerate(stations):
        if AnnualChecklist.objects.filter(workstation=station, year=year).exists() or index == len(stations) - 1:
            continue
        fields = {
            "highlights": f"{station.name}开展法治进校园、护学岗、假期关爱等活动，帮教对象无重新违法犯罪。",
            "honours": "县级先进集体" if station.code == EXCELLENT else "",
            "problems": "退休民警年龄偏大，宣讲力量不足。",
            "plans": "吸收新退休民警，完善帮教小组。",
            "filled_by": context.person_name(),
        }
        haves = {item["code"]: True for item in HAVE_VARIANT_A}
        highlights = fields.pop("highlights")
        if head is not None and head.workstation_id == station.pk:
            fields["highlights"] = highlights
            checklist = services.checklist_for(actor=head, workstation=station, year=year)
            services.checklist_save(actor=head, checklist=checklist, haves=haves, **fields)
            services.checklist_submit(actor=head, checklist=checklist)
            AnnualChecklist.objects.filter(pk=checklist.pk).update(submitted_at=_submitted_at(year, late=False))
            continue
        AnnualChecklist.objects.create(
            workstation=station,
            year=year,
            status=ChecklistStatus.REVIEWED if index % 2 else ChecklistStatus.SUBMITTED,
            figures=selectors.checklist_live_figures(workstation=station, year=year),
            haves=haves,
            # one station of the demo submitted after the due day (31 January): the home pages show it late
            submitted_at=_submitted_at(year, late=index == 1),
            reviewed_at=timezone.now() if index % 2 else None,
            **fields,
        )
        StationYearHighlight.objects.update_or_create(workstation=station, year=year, defaults={"text": highlights})
        freeze_report(workstation=station, year=year)  # what the head's submission does
        PeriodLock.objects.update_or_create(
            workstation=station, year=year, defaults={"is_locked": True, "locked_at": timezone.now()}
        )


def _award(*, context, first_year, today):
    province = context.province
    if AwardCycle.objects.filter(province=province, first_year=first_year).exists():
        return
    prov, city, county = context.users["sheng_gongwei"], context.users["shi_haerbin"], context.users["xian_daoli"]
    cycle = services.award_cycle_open(actor=prov, province=province, first_year=first_year)
    winner = Workstation.objects.get(code=EXCELLENT)
    check = selectors.award_eligibility(cycle=cycle, station_ids=[winner.pk])[winner.pk]
    if not check["eligible"]:  # pragma: no cover - the demo scores make it eligible
        return
    nomination = services.award_nominate(
        actor=county, cycle=cycle, workstation=winner, reason="帮教对象零重犯，法治宣讲覆盖辖区全部学校"
    )
    services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.REVIEWING)
    services.award_city_review(actor=city, nomination=nomination, approve=True, note="材料属实，同意推荐")
    services.award_advance(actor=prov, cycle=cycle, to=AwardStatus.NOTICE)
    AwardCycle.objects.filter(pk=cycle.pk).update(notice_start=today - timedelta(days=cycle.notice_days + 3))
    objection = services.award_objection_record(
        actor=prov, nomination=nomination, text="来电反映该站活动照片重复使用", received_on=today - timedelta(days=8)
    )
    services.award_objection_handle(
        actor=prov, objection=objection, handling="经核查为同一活动不同角度照片，异议不成立", upheld=False
    )
    # The 公示 has ended and its objection is handled: the province's decision is the next step to walk.


def seed(*, context):
    today = context.today
    rng = context.rng
    province = context.province
    first_year = today.year - 2
    # The rules apply from the earliest year a round can be opened for (the form offers six years), so
    # opening any offered half-year works on the demo.
    rules_from = today.year - 5
    create_example_template(ChecklistTemplate, TemplateItem, year=rules_from, province=province)
    HaveItemSet.objects.get_or_create(
        province=province, year=rules_from, defaults={"name": "六有", "items": HAVE_VARIANT_A}
    )
    officer_for = {code: context.users[username] for code, username in COUNTIES.items()}
    counties = {code: OrgUnit.objects.get(code=code) for code in officer_for}
    current = (today.year, 1 if today.month <= 6 else 2)
    halves = [(first_year, 1), (first_year, 2), (first_year + 1, 1), (first_year + 1, 2), (today.year, 1)]
    for year, half in [h for h in halves if h != current]:
        for code, officer in officer_for.items():
            _run_round(officer=officer, county=counties[code], year=year, half=half, rng=rng, today=today)
        # the stations answer and the county verifies before the next round (so 回头看 finds them closed)
        _settle_rectifications(context=context, officer_for=officer_for, today=today)
    # This half-year: 道里's round is under way (scores to enter); 爱辉's officer has yet to open one.
    _run_round(
        officer=officer_for[ROUND_IN_PROGRESS],
        county=counties[ROUND_IN_PROGRESS],
        year=current[0],
        half=current[1],
        rng=rng,
        today=today,
        submit=False,
    )
    _award(context=context, first_year=first_year, today=today)
    _checklists(context=context, year=today.year - 1)
