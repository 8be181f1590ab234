"""Scale data of the mentoring app (`manage.py generate_scale`): youth cases over the years with guardians,
stages, visits at a pace set by the risk level (with their participants and service hours), teams,
closures with follow-ups, milestones, re-involvements, sealed files, 110 calls and night encounters."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from stations import idnumbers
from stations.scale import mobile, person_name
from volunteers.models import ServiceKind, ServiceLog
from volunteers.scale import SERVICE_COLUMNS

from . import due
from .models import (
    Category,
    FollowUp,
    Guardian,
    IntakeSource,
    Kind,
    MentorTeam,
    Milestone,
    NightEncounter,
    Outcome,
    PoliceCall,
    Reinvolvement,
    RiskLevel,
    SchoolStatus,
    Stage,
    StageChange,
    Visit,
    VisitForm,
    Youth,
)

MENTORING_CATEGORIES = [c for c in Category.values if c not in (Category.POOR, Category.LEFT_BEHIND)]
# Contacts per year by risk level: above the minimum cadence (30/60/90 days), phone calls included;
# ≈ 248k visits a year at province scale (issue 15: 744k over three years).
VISITS_PER_YEAR = {RiskLevel.HIGH: 42, RiskLevel.MEDIUM: 30, RiskLevel.LOW: 20}
SUMMARIES = [
    "与本人谈心，了解近期学习和交友情况，讲解相关法律知识。",
    "家访，与监护人沟通家庭教育方法，约定每周联系。",
    "到学校了解在校表现，与班主任共同制定帮扶计划。",
    "电话回访，情绪稳定，按时上学。",
    "陪同参加社区志愿活动，表现积极。",
]
OUTCOMES = [
    (Outcome.COMPLETED, 40),
    (Outcome.BACK_TO_SCHOOL, 15),
    (Outcome.EMPLOYED, 10),
    (Outcome.FURTHER_STUDY, 8),
    (Outcome.TRANSFERRED, 6),
    (Outcome.AGED_OUT, 10),
    (Outcome.REOFFENDED_ADMIN, 4),
    (Outcome.REOFFENDED_CRIMINAL, 2),
    (Outcome.LOST_CONTACT, 3),
    (Outcome.OTHER, 2),
]
YOUTH_COLUMNS = [
    "id",
    "workstation_id",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "id_hash",
    "school_status",
    "home_area",
    "categories",
    "kind",
    "is_listed",
    "intake_source",
    "intake_on",
    "intake_reference",
    "risk_level",
    "risk_assessed_on",
    "legal_basis",
    "consent_by",
    "consent_relation",
    "consent_on",
    "consent_scope",
    "stage",
    "outcome",
    "outcome_note",
    "closed_on",
    "last_contact_on",
    "is_sealed",
    "sealed_on",
    "seal_ground",
]
VISIT_COLUMNS = [
    "id",
    "youth_id",
    "visited_on",
    "sequence",
    "place",
    "form",
    "hours",
    "guardian_present",
    "summary",
    "situation",
    "difficulties_solved",
    "next_steps",
    "created_by_id",
]


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC) - timedelta(hours=8)


def generate(ctx) -> None:
    rng = ctx.rng("mentoring")
    w = ctx.writer
    until, start = ctx.until, ctx.start
    members = ctx.shared.get("members", {})
    visit_type = ContentType.objects.db_manager(w.using).get_for_model(Visit).pk
    youth_sink = w.sink(Youth, YOUTH_COLUMNS)
    guardians = w.sink(Guardian, ["id", "youth_id", "relation", "name", "phone"])
    stages = w.sink(StageChange, ["id", "youth_id", "from_stage", "to_stage", "on", "reason", "actor_id"])
    visits = w.sink(Visit, VISIT_COLUMNS)
    participants = w.through(Visit, "participants")
    service = w.sink(ServiceLog, SERVICE_COLUMNS)
    teams = w.sink(MentorTeam, ["id", "workstation_id", "team_type", "lead_id", "formed_on", "ended_on"])
    team_members = w.through(MentorTeam, "members")
    team_youth = w.through(MentorTeam, "youth")
    followups = w.sink(FollowUp, ["id", "youth_id", "number", "done_on", "summary", "created_by_id"])
    milestones = w.sink(Milestone, ["id", "youth_id", "kind", "on", "note"])
    reinvolvements = w.sink(Reinvolvement, ["id", "youth_id", "kind", "on", "note"])
    calls = w.sink(
        PoliceCall,
        ["id", "workstation_id", "kind", "called_at", "reference", "youth_id", "followup_on", "followup_result"],
    )
    encounters = w.sink(NightEncounter, ["id", "workstation_id", "met_at", "place", "measures", "guardian_collected"])
    outcomes, weights = zip(*OUTCOMES, strict=True)
    numbers: set[str] = set()
    window = (until - start).days + 365  # cases opened up to a year before the first generated year
    for station in ctx.active_stations:
        roster = members.get(station.pk, [])
        count = max(1, round(rng.gauss(1, 0.2) * 14.5 * station.size))
        for number in range(count):
            pk = w.new_id(Youth)
            care = rng.random() < 0.12
            gender = rng.choice(["male", "male", "female"])
            intake_on = until - timedelta(days=rng.randrange(window))
            born = intake_on - timedelta(days=rng.randint(10 * 365 + 10, 17 * 365 + 300))
            id_number = ""
            if rng.random() < 0.85:
                while True:
                    id_number = idnumbers.make(station.area, born, rng.randrange(0, 499) * 2 + (gender == "male"))
                    if id_number not in numbers:
                        numbers.add(id_number)
                        break
            risk = rng.choices(RiskLevel.values, weights=[20, 40, 40])[0]
            duration = rng.randint(300, 1100)
            closed_on = intake_on + timedelta(days=duration)
            closed = closed_on < until - timedelta(days=3)
            fresh = (until - intake_on).days < 10 and rng.random() < 0.5
            stage = Stage.CLOSED if closed else (Stage.INTAKE if fresh else Stage.ACTIVE)
            outcome = rng.choices(outcomes, weights=weights)[0] if closed else ""
            done = []
            if closed:
                done = [on for on in due.followup_dues(closed_on=closed_on) if on < until and rng.random() < 0.85]
                if done and len(done) == len(due.followup_months()):
                    stage = Stage.FOLLOWUP_DONE
            # visits: from intake, at the risk level's pace, until closure; one open case in ten lapses
            visit_days = []
            if stage != Stage.INTAKE:
                end = closed_on if closed else until
                if not closed and rng.random() < 0.1:
                    end = until - timedelta(days=due.contact_days(risk) + rng.randint(5, 60))
                pace = 365 / VISITS_PER_YEAR[risk]
                day = intake_on + timedelta(days=rng.randint(2, 12))
                while day <= end:
                    if day >= start:
                        visit_days.append(day)
                    day += timedelta(days=max(3, round(rng.uniform(0.6, 1.4) * pace)))
            last_contact = visit_days[-1] if visit_days else intake_on
            assessed = max(intake_on, last_contact - timedelta(days=rng.randint(0, 120)))
            sealed = closed and not care and rng.random() < 0.03
            minor_under_14 = idnumbers.age_on(born, intake_on) < 14
            categories = (
                rng.sample([Category.POOR, Category.LEFT_BEHIND], rng.randint(1, 2))
                if care
                else rng.sample(MENTORING_CATEGORIES, rng.choice([1, 1, 2]))
            )
            youth_sink.add(
                (
                    pk,
                    station.pk,
                    person_name(rng),
                    gender,
                    born,
                    id_number,
                    idnumbers.lookup_hash(id_number) if id_number else "",
                    rng.choice(SchoolStatus.values),
                    f"{station.name.removesuffix('派出所关爱工作站')}辖区第{rng.randint(1, 12)}社区",
                    "," + ",".join(categories) + ",",
                    Kind.CARE if care else Kind.MENTORING,
                    not care and rng.random() < 0.5,
                    rng.choice(IntakeSource.values),
                    intake_on,
                    f"{station.code}-{number:03d}",
                    risk,
                    assessed,
                    "consent" if minor_under_14 else "statutory_duty",
                    person_name(rng) if minor_under_14 else "",
                    "母亲" if minor_under_14 else "",
                    intake_on if minor_under_14 else None,
                    "帮教记录、走访和结对" if minor_under_14 else "",
                    stage,
                    outcome,
                    "其他原因结案" if outcome == Outcome.OTHER else "",
                    closed_on if closed else None,
                    last_contact,
                    sealed,
                    closed_on + timedelta(days=rng.randint(1, 60)) if sealed else None,
                    "《刑事诉讼法》第二百八十六条" if sealed else "",
                )
            )
            guardians.add(
                (w.new_id(Guardian), pk, rng.choice(["父亲", "母亲", "祖母", "祖父"]), person_name(rng), mobile(rng))
            )
            stages.add((w.new_id(StageChange), pk, "", Stage.INTAKE, intake_on, "接收建档", station.staff_user or None))
            if stage != Stage.INTAKE:
                stages.add(
                    (
                        w.new_id(StageChange),
                        pk,
                        Stage.INTAKE,
                        Stage.ACTIVE,
                        intake_on,
                        "评估后开始帮教",
                        station.staff_user or None,
                    )
                )
            current = [m for m in roster if m[4]]
            per_year: dict[int, int] = {}
            for day in visit_days:
                per_year[day.year] = sequence = per_year.get(day.year, 0) + 1
                visit_pk = w.new_id(Visit)
                hours = Decimal(rng.choice(["0.5", "1.0", "1.0", "1.5", "2.0"]))
                form = rng.choice(VisitForm.values)
                visits.add(
                    (
                        visit_pk,
                        pk,
                        day,
                        sequence,
                        {"phone": "电话", "school": "学校", "home": "家中"}.get(form, "工作站"),
                        form,
                        hours,
                        rng.random() < 0.5,
                        rng.choice(SUMMARIES),
                        "学习、家庭情况稳定" if rng.random() < 0.7 else "仍有晚归现象，需继续关注",
                        rng.choice([0, 0, 0, 1, 2]),
                        "继续按期走访",
                        station.staff_user or None,
                    )
                )
                available = [m for m in current if m[1] <= day]
                for person in rng.sample(available, min(len(available), rng.choice([1, 1, 2, 2, 3]))):
                    participants.add((w.new_id(Visit.participants.through), visit_pk, person[0]))
                    service.add(
                        (w.new_id(ServiceLog), person[0], day, hours, ServiceKind.VISIT, "", visit_type, visit_pk)
                    )
            if stage != Stage.INTAKE and current and rng.random() < 0.85:
                team_pk = w.new_id(MentorTeam)
                lead = rng.choice(current)
                many = len(current) > 2 and rng.random() < 0.35
                teams.add((team_pk, station.pk, "many_to_one" if many else "one_to_one", lead[0], intake_on, None))
                team_youth.add((w.new_id(MentorTeam.youth.through), team_pk, pk))
                if many:
                    for person in rng.sample([m for m in current if m is not lead], 2):
                        team_members.add((w.new_id(MentorTeam.members.through), team_pk, person[0]))
            if closed:
                stages.add(
                    (
                        w.new_id(StageChange),
                        pk,
                        Stage.ACTIVE,
                        Stage.CLOSED,
                        closed_on,
                        "站长批准结案",
                        station.head_user or None,
                    )
                )
                for followup_number, on in enumerate(done, start=1):
                    followups.add(
                        (w.new_id(FollowUp), pk, followup_number, on, "回访：情况稳定", station.staff_user or None)
                    )
                if stage == Stage.FOLLOWUP_DONE:
                    stages.add(
                        (w.new_id(StageChange), pk, Stage.CLOSED, Stage.FOLLOWUP_DONE, done[-1], "回访完成", None)
                    )
                if outcome in (Outcome.BACK_TO_SCHOOL, Outcome.EMPLOYED, Outcome.FURTHER_STUDY):
                    milestones.add((w.new_id(Milestone), pk, outcome, closed_on, ""))
                if outcome in (Outcome.REOFFENDED_ADMIN, Outcome.REOFFENDED_CRIMINAL):
                    kind = "admin" if outcome == Outcome.REOFFENDED_ADMIN else "criminal"
                    reinvolvements.add((w.new_id(Reinvolvement), pk, kind, closed_on, ""))
            elif stage == Stage.ACTIVE and rng.random() < 0.02:
                on = intake_on + timedelta(days=rng.randint(0, max(0, (until - intake_on).days)))
                reinvolvements.add((w.new_id(Reinvolvement), pk, "admin", on, "再次违反治安管理"))
        for year in range(start.year, until.year + 1):
            year_end = min(date(year, 12, 31), until)
            for call_number in range(rng.randint(1, 2 + round(2 * station.size))):
                day = date(year, 1, 1) + timedelta(days=rng.randrange((year_end - date(year, 1, 1)).days + 1))
                followed = day < until and rng.random() < 0.9
                calls.add(
                    (
                        w.new_id(PoliceCall),
                        station.pk,
                        rng.choice(["runaway", "night_wandering"]),
                        _aware(day, rng.choice([21, 22, 23]), 30),
                        f"JQ{day:%Y%m%d}{station.code}{call_number}",
                        None,
                        day + timedelta(days=1) if followed else None,
                        rng.choice(["no_need", "case_opened", "unreachable"]) if followed else "",
                    )
                )
            for _ in range(rng.randint(0, 3)):
                day = date(year, 1, 1) + timedelta(days=rng.randrange((year_end - date(year, 1, 1)).days + 1))
                encounters.add(
                    (
                        w.new_id(NightEncounter),
                        station.pk,
                        _aware(day, rng.choice([22, 23]), 15),
                        rng.choice(["网吧门口", "夜市", "公园", "桥下"]),
                        rng.choice(["供餐、抄写法条", "观看警示片", "谈心教育"]),
                        rng.random() < 0.8,
                    )
                )
