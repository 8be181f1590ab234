"""Demo youth cases for `seed_demo` (synthetic people; ID numbers pass GB 11643). Idempotent: a station
that already has youth records is left alone."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from stations import idnumbers
from volunteers.models import CURRENT_STATUSES, Volunteer

from . import due
from .models import (
    Category,
    FollowUp,
    Guardian,
    IntakeSource,
    MentorTeam,
    Milestone,
    NightEncounter,
    Outcome,
    PoliceCall,
    Reinvolvement,
    SchoolStatus,
    Stage,
    StageChange,
    Visit,
    Youth,
)

CATEGORY_CHOICES = [c for c in Category.values if c not in ("poor", "left_behind")]
SUMMARIES = [
    "与本人谈心，了解近期学习和交友情况，讲解相关法律知识。",
    "家访，与监护人沟通家庭教育方法，约定每周联系。",
    "到学校了解在校表现，与班主任共同制定帮扶计划。",
    "电话回访，情绪稳定，按时上学。",
    "陪同参加社区志愿活动，表现积极。",
]


def seed(*, context) -> None:
    rng, today = context.rng, context.today
    stations = [s for s in context.stations if s.status == "active"]
    outcomes = list(Outcome.values)
    for index, station in enumerate(stations):
        if Youth.all_objects.filter(workstation=station).exists():
            continue
        volunteers = list(Volunteer.objects.filter(workstation=station, status__in=CURRENT_STATUSES)[:6])
        for number in range(rng.randint(8, 15)):
            gender = rng.choice(["male", "male", "female"])
            born = today - timedelta(days=rng.randint(12 * 365 + 30, 17 * 365 + 300))
            sequence = rng.randrange(1, 998)
            if (sequence % 2 == 1) != (gender == "male"):
                sequence += 1
            intake_on = today - timedelta(days=rng.randint(20, 700))
            risk = rng.choice(["high", "medium", "medium", "low", "low"])
            closed = intake_on < today - timedelta(days=240) and number % 3 != 2
            outcome = outcomes[(index * 7 + number) % len(outcomes)] if closed else ""
            closed_on = (
                min(today - timedelta(days=5), intake_on + timedelta(days=rng.randint(180, 300))) if closed else None
            )
            youth = Youth.all_objects.create(
                workstation=station,
                name=context.person_name(),
                gender=gender,
                birth_date=born,
                id_number=idnumbers.make("230102", born, sequence) if number % 4 else "",
                school_status=rng.choice(SchoolStatus.values),
                home_area=f"{station.police_station[:-3]}辖区第{rng.randint(1, 9)}社区",
                categories="," + ",".join(rng.sample(CATEGORY_CHOICES, rng.randint(1, 2))) + ",",
                kind="mentoring",
                is_listed=number % 2 == 0,
                intake_source=rng.choice(IntakeSource.values),
                intake_on=intake_on,
                intake_reference=f"DEMO{station.pk:03d}{number:02d}",
                risk_level=risk,
                risk_assessed_on=intake_on,
                stage=Stage.CLOSED if closed else (Stage.INTAKE if number == 0 else Stage.ACTIVE),
                outcome=outcome,
                outcome_note="演示数据" if outcome == "other" else "",
                closed_on=closed_on,
                last_contact_on=intake_on,
            )
            if youth.id_number:
                youth.id_hash = idnumbers.lookup_hash(youth.id_number)
            if idnumbers.age_on(born, today) < 14:
                youth.legal_basis = "consent"
                youth.consent_by, youth.consent_relation = context.person_name(), "母亲"
                youth.consent_on, youth.consent_scope = intake_on, "帮教记录、走访和结对"
            Guardian.objects.create(
                youth=youth,
                relation=rng.choice(["父亲", "母亲", "祖母"]),
                name=context.person_name(),
                phone=context.mobile(),
            )
            StageChange.objects.create(youth=youth, to_stage=Stage.INTAKE, on=intake_on, reason="接收建档")
            if youth.stage != Stage.INTAKE:
                StageChange.objects.create(
                    youth=youth, from_stage=Stage.INTAKE, to_stage=Stage.ACTIVE, on=intake_on, reason="评估后开始帮教"
                )
            # Visits at the risk cadence; every fourth open case stops early so it shows as overdue.
            end = closed_on or today
            if number % 4 == 1 and not closed:
                end = today - timedelta(days=due.contact_days(risk) + 20)
            day, per_year = intake_on + timedelta(days=rng.randint(3, 15)), {}
            while day <= end and youth.stage != Stage.INTAKE:
                per_year[day.year] = per_year.get(day.year, 0) + 1
                visit = Visit.objects.create(
                    youth=youth,
                    visited_on=day,
                    sequence=per_year[day.year],
                    place=rng.choice(["家中", "学校", "工作站", "电话"]),
                    form=rng.choice(["in_person", "phone", "home", "school", "video"]),
                    hours=Decimal("1.0"),
                    guardian_present=rng.random() < 0.5,
                    summary=rng.choice(SUMMARIES),
                    situation="学习、家庭情况稳定" if rng.random() < 0.7 else "仍有晚归现象，需继续关注",
                    difficulties_solved=rng.randint(0, 2),
                    next_steps="继续按期走访",
                )
                if volunteers:
                    visit.participants.set(rng.sample(volunteers, min(2, len(volunteers))))
                youth.last_contact_on = day
                day += timedelta(days=due.contact_days(risk) - rng.randint(0, 10))
            youth.risk_assessed_on = max(
                intake_on, min(youth.last_contact_on, today - timedelta(days=rng.randint(0, 150)))
            )
            if closed:
                StageChange.objects.create(
                    youth=youth, from_stage=Stage.ACTIVE, to_stage=Stage.CLOSED, on=closed_on, reason="站长批准结案"
                )
                done = [on for on in due.followup_dues(closed_on=closed_on) if on < today and rng.random() < 0.8]
                for followup_number, on in enumerate(done, start=1):
                    FollowUp.objects.create(youth=youth, number=followup_number, done_on=on, summary="回访：情况稳定")
                if len(done) == len(due.followup_months()):
                    youth.stage = Stage.FOLLOWUP_DONE
                    StageChange.objects.create(
                        youth=youth,
                        from_stage=Stage.CLOSED,
                        to_stage=Stage.FOLLOWUP_DONE,
                        on=done[-1],
                        reason="回访完成",
                    )
                if outcome == "back_to_school":
                    Milestone.objects.create(youth=youth, kind="back_to_school", on=closed_on, note="返校复读")
                if outcome in ("reoffended_admin", "reoffended_criminal"):
                    Reinvolvement.objects.create(
                        youth=youth, kind="admin" if outcome == "reoffended_admin" else "criminal", on=closed_on
                    )
            # Sealed files: a couple per province, hidden from every list (DOMAIN §7.5).
            if number == 5 and index % 3 == 0:
                youth.is_sealed, youth.sealed_on = True, today - timedelta(days=10)
                youth.seal_ground = "《刑事诉讼法》第二百八十六条"
            youth.save()
            if volunteers and youth.stage != Stage.INTAKE and number % 5 != 3:
                team = MentorTeam.objects.create(
                    workstation=station,
                    team_type="many_to_one" if len(volunteers) > 1 and number % 2 else "one_to_one",
                    lead=volunteers[number % len(volunteers)],
                    formed_on=intake_on,
                )
                if team.team_type == "many_to_one":
                    team.members.set([v for v in volunteers[:3] if v != team.lead][:2])
                team.youth.set([youth])
        repeat = idnumbers.make("230102", today - timedelta(days=15 * 365 + index), 201 + 2 * index)
        for encounter_number in range(rng.randint(2, 4) + (3 if index == 0 else 0)):
            met = today - timedelta(days=rng.randint(1, 80))
            number = repeat if index == 0 and encounter_number < 3 else ""
            NightEncounter.objects.create(
                workstation=station,
                met_at=timezone.make_aware(datetime.combine(met, time(rng.choice([22, 23]), 15))),
                place=rng.choice(["网吧门口", "夜市", "公园", "桥下"]),
                measures=rng.choice(["供餐、抄写法条", "观看警示片", "谈心教育"]),
                guardian_collected=rng.random() < 0.8,
                id_hash=idnumbers.lookup_hash(number) if number else "",
                id_last4=number[-4:],
            )
        for call_number in range(rng.randint(2, 4)):
            called = today - timedelta(days=rng.randint(0, 300))
            called_at = timezone.make_aware(datetime.combine(called, time(rng.choice([21, 22, 23]), 30)))
            followed = call_number > 0 and called < today
            PoliceCall.objects.create(
                workstation=station,
                kind=rng.choice(["runaway", "night_wandering"]),
                called_at=called_at,
                reference=f"JQ{called:%Y%m%d}{station.pk:03d}{call_number}",
                followup_on=called + timedelta(days=1) if followed else None,
                followup_result=rng.choice(["no_need", "case_opened", "unreachable"]) if followed else "",
            )
