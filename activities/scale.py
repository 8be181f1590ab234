"""Scale data of the activities app (`manage.py generate_scale`): activities of every type through the
seasons (school terms, holidays, 6.26 anti-drug day, 12.4 legal day), joint county activities shared by
several stations, lecturers and volunteers with their service hours."""

from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from stations.scale import person_name, seasonal_day
from volunteers.models import ServiceLog
from volunteers.scale import SERVICE_COLUMNS

from .demo import PLACES, PLAN, SCHOOLS
from .models import Activity, ActivityType

TERM = (0.3, 0.2, 1.2, 1.2, 1.2, 1.3, 0.2, 0.2, 1.4, 1.1, 1.2, 1.2)  # school terms: lectures, school guards
HOLIDAY = (1.6, 1.8, 0.8, 0.8, 0.8, 0.9, 1.5, 1.5, 0.8, 1.0, 0.8, 1.0)  # care visits, summer/winter breaks
RELIEF = (1.5, 1.2, 0.6, 0.6, 0.6, 1.2, 0.6, 0.8, 2.0, 0.8, 0.6, 1.0)  # Spring Festival, 6.1, 金秋助学 in September
SEASONS = {"legal_lecture": TERM, "patrol": TERM, "care_visit": HOLIDAY, "relief": RELIEF, "other": HOLIDAY}
# share of lectures held on a day of national campaigns (6.26 anti-drug day, 12.4 national legal day, 6.1)
CAMPAIGN_DAYS = ((6, 26), (12, 4), (6, 1))
CAMPAIGN_SHARE = 0.15
JOINT_PER_COUNTY_YEAR = (2, 5)
COLUMNS = [
    "id",
    "workstation_id",
    "type_id",
    "title",
    "held_on",
    "start_time",
    "hours",
    "place",
    "partner_name",
    "partner_type",
    "police_count",
    "teacher_count",
    "parent_count",
    "audience_count",
    "audience_kind",
    "minors_reached",
    "summary",
    "school",
    "lecturer_id",
    "vice_principal_name",
    "attendee_units",
    "decisions",
    "people_helped",
    "amount_yuan",
    "goods",
    "is_archived",
    "archived_reason",
    "archived_at",
    "created_by_id",
]


def generate(ctx) -> None:
    rng = ctx.rng("activities")
    w = ctx.writer
    until, start = ctx.until, ctx.start
    types = {t.code: t for t in ActivityType.objects.using(w.using).filter(code__in=PLAN)}
    codes = list(PLAN)
    shares = [PLAN[code][0] for code in codes]
    members = ctx.shared.get("members", {})
    activity_ct = ContentType.objects.db_manager(w.using).get_for_model(Activity).pk
    sink = w.sink(Activity, COLUMNS)
    links = w.through(Activity, "stations")
    volunteer_links = w.through(Activity, "volunteers")
    service = w.sink(ServiceLog, SERVICE_COLUMNS)
    vice_principals: dict[int, str] = {}

    def add(station, code, held_on, joint=()):
        pk = w.new_id(Activity)
        activity_type = types[code]
        title = rng.choice(PLAN[code][1]) if not joint else "全县关爱工作站联合活动"
        roster = [m for m in members.get(station.pk, []) if m[4] and m[1] <= held_on]
        chosen = rng.sample(roster, min(len(roster), rng.choice([1, 2, 2, 3, 3, 4])))
        hours = Decimal(rng.choice(["1.0", "1.5", "2.0", "2.0", "3.0"]))
        police, teachers, parents = rng.randint(0, 3), 0, 0
        audience, audience_kind, minors = rng.randint(10, 40), "mixed", 0
        school = partner_name = partner_type = vice = units = decisions = goods = ""
        lecturer, helped, amount = None, 0, Decimal(0)
        place = rng.choice(PLACES)
        if code == "legal_lecture":
            school = partner_name = station.name.removesuffix("派出所关爱工作站") + rng.choice(SCHOOLS)
            partner_type, place = "school", f"{school}报告厅"
            audience = rng.randint(50, 300) if rng.random() < 0.9 else rng.randint(300, 1200)
            audience_kind, minors, teachers = "pupils", audience, rng.randint(1, 6)
            lecturers = [m for m in roster if m[3]]
            if lecturers and rng.random() < 0.7:
                lecturer = rng.choice(lecturers)
                if lecturer not in chosen:
                    chosen.append(lecturer)
                lecturer = lecturer[0]
            else:
                vice = vice_principals.setdefault(station.pk, person_name(rng))
        elif code == "joint_meeting":
            units = "派出所、社区居委会、辖区学校、共建单位"
            decisions = "一、明确本季度重点帮教对象分工；二、开展护学岗联合值守。"
            audience, police = 0, rng.randint(2, 8)
        elif code == "relief":
            helped = rng.randint(1, 20)
            amount = Decimal(rng.randrange(500, 20000, 100))
            goods = rng.choice(["", "书包、文具", "棉衣、米面油", "学习用品"])
            audience, minors = 0, helped
        elif code in ("patrol", "counselling", "mentoring_group"):
            audience = rng.randint(0, 15)
            minors = audience
            parents = rng.randint(0, 5) if code != "patrol" else 0
        elif code in ("theory_study", "training"):
            audience = 0
        if station.partner_name and not partner_name and rng.random() < 0.3:
            partner_name, partner_type = station.partner_name, station.partner_type
        archived = rng.random() < 0.005
        sink.add(
            (
                pk,
                station.pk,
                activity_type.pk,
                title,
                held_on,
                time(rng.choice([9, 10, 14, 15, 19]), rng.choice([0, 30])),
                hours,
                place,
                partner_name,
                partner_type,
                police,
                teachers,
                parents,
                audience,
                audience_kind,
                minors,
                f"{station.name}组织开展{title}活动。",
                school,
                lecturer,
                vice,
                units,
                decisions,
                helped,
                amount,
                goods,
                archived,
                "重复录入" if archived else "",
                w.now if archived else None,
                station.staff_user or None,
            )
        )
        for participant in joint or (station,):
            links.add((w.new_id(Activity.stations.through), pk, participant.pk))
        for person in chosen:
            volunteer_links.add((w.new_id(Activity.volunteers.through), pk, person[0]))
            service.add(
                (
                    w.new_id(ServiceLog),
                    person[0],
                    held_on,
                    hours,
                    activity_type.service_kind,
                    title[:200],
                    activity_ct,
                    pk,
                )
            )

    by_county = defaultdict(list)
    for station in ctx.active_stations:
        by_county[station.county_id].append(station)
        for year in range(start.year, until.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), until)
            total = max(8, round(95.0 * station.size * rng.gauss(1, 0.15) * ((last - first).days + 1) / 365))
            for code in rng.choices(codes, weights=shares, k=total):
                if code == "legal_lecture" and rng.random() < CAMPAIGN_SHARE:
                    month, day = rng.choice(CAMPAIGN_DAYS)
                    held_on = date(year, month, day) + timedelta(days=rng.randint(-2, 2))
                    if not first <= held_on <= last:
                        held_on = seasonal_day(rng, first, last, TERM)
                else:
                    held_on = seasonal_day(rng, first, last, SEASONS.get(code, (1,) * 12))
                add(station, code, held_on)
    for stations in by_county.values():
        if len(stations) < 2:
            continue
        for year in range(start.year, until.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), until)
            for _ in range(rng.randint(*JOINT_PER_COUNTY_YEAR)):
                joint = rng.sample(stations, rng.randint(2, len(stations)))
                code = rng.choice(["joint_meeting", "legal_lecture", "training"])
                add(joint[0], code, seasonal_day(rng, first, last), joint=joint)
