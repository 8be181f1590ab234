"""Demo activities for `seed_demo`: last year and this year up to today, every type, some joint county
activities, lectures with audiences of 50–300, relief with amounts; volunteers from each station's current
members (none when the volunteers demo made none). Idempotent: does nothing when demo activities exist."""

from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from stations.models import StationStatus
from volunteers.models import CURRENT_STATUSES, ServiceLog, StationRole, Volunteer

from .models import Activity, ActivityType

# type code → (sessions per year, title stems)
PLAN = {
    "theory_study": (
        12,
        ["学习党的二十大精神", "学习《未成年人保护法》", "学习《预防未成年人犯罪法》", "关工委工作条例学习"],
    ),
    "training": (4, ["五老志愿者业务培训", "帮教工作方法培训", "心理疏导技能培训"]),
    "joint_meeting": (3, ["关爱工作站联席会议", "站校联席会议", "社区共建联席会议"]),
    "legal_lecture": (18, ["法治进校园", "防范电信诈骗宣讲", "禁毒知识讲座", "预防校园欺凌讲座", "模拟法庭"]),
    "mentoring_group": (8, ["结对帮教集体谈心", "帮教对象读书会", "帮教对象职业技能体验"]),
    "relief": (3, ["金秋助学", "困境儿童帮扶", "留守儿童节日慰问"]),
    "care_visit": (6, ["走访慰问困境家庭", "节日走访慰问"]),
    "patrol": (16, ["护学岗值守", "夜间巡逻"]),
    "counselling": (3, ["青少年心理疏导"]),
    "other": (2, ["红色教育参观", "警营开放日"]),
}
SCHOOLS = ["第一小学", "实验小学", "第二中学", "职业技术学校", "第三中学"]
VICE_PRINCIPALS: dict[int, str] = {}
PLACES = ["工作站活动室", "派出所会议室", "社区服务中心", "学校报告厅", "社区广场"]


def seed(*, context) -> None:
    stations = [s for s in context.stations if s.status == StationStatus.ACTIVE]
    if not stations or Activity.objects.filter(workstation__in=stations).exists():
        return
    rng, today = context.rng, context.today
    types = {t.code: t for t in ActivityType.objects.filter(code__in=PLAN)}
    members = defaultdict(list)
    lecturers = defaultdict(list)
    for person in Volunteer.objects.filter(workstation__in=stations, status__in=CURRENT_STATUSES).prefetch_related(
        "roles"
    ):
        members[person.workstation_id].append(person)
        if StationRole.LEGAL_LECTURER in {held.role for held in person.roles.all()}:
            lecturers[person.workstation_id].append(person)

    records: list[tuple[Activity, list, list]] = []
    start = date(today.year - 1, 1, 1)
    span = (today - start).days
    for index, station in enumerate(stations):
        for code, (per_year, stems) in PLAN.items():
            # the last station of each county skips relief this year: coverage then shows a gap
            if code == "relief" and index % 3 == 2:
                per_year = 1
            total = max(1, round(per_year * (span + 1) / 365))
            for n in range(total):
                held_on = start + timedelta(days=rng.randrange(span + 1))
                if code == "relief" and index % 3 == 2 and held_on.year == today.year:
                    held_on = held_on.replace(year=today.year - 1)
                records.append(_make(context, station, types[code], stems, held_on, members, lecturers, n))

    # joint county activities: twice a year the stations of a county hold one meeting together
    by_county = defaultdict(list)
    for station in stations:
        by_county[station.county_id].append(station)
    for county_stations in by_county.values():
        if len(county_stations) < 2:
            continue
        for year, month in ((today.year - 1, 6), (today.year - 1, 12), (today.year, 6)):
            held_on = date(year, month, 20)
            if held_on > today:
                continue
            organiser = county_stations[0]
            activity, volunteers, _stations = _make(
                context, organiser, types["joint_meeting"], ["全县关爱工作站联席会议"], held_on, members, lecturers, 0
            )
            activity.attendee_units = "县公安局关工委、各派出所、教育局、团县委、妇联"
            records.append((activity, volunteers, county_stations))

    Activity.objects.bulk_create([activity for activity, _v, _s in records], batch_size=500)
    station_links, volunteer_links, logs = [], [], []
    activity_type = ContentType.objects.get_for_model(Activity)
    for activity, volunteers, joint in records:
        for station in joint or [activity.workstation]:
            station_links.append(Activity.stations.through(activity_id=activity.pk, workstation_id=station.pk))
        for person in volunteers:
            volunteer_links.append(Activity.volunteers.through(activity_id=activity.pk, volunteer_id=person.pk))
            logs.append(
                ServiceLog(
                    volunteer=person,
                    served_on=activity.held_on,
                    hours=activity.hours,
                    kind=activity.type.service_kind,
                    note=activity.title[:200],
                    source_type=activity_type,
                    source_id=activity.pk,
                )
            )
    Activity.stations.through.objects.bulk_create(station_links, batch_size=1000)
    Activity.volunteers.through.objects.bulk_create(volunteer_links, batch_size=1000)
    ServiceLog.objects.bulk_create(logs, batch_size=1000)


def _make(context, station, activity_type, stems, held_on, members, lecturers, n):
    rng = context.rng
    stem = rng.choice(stems)
    available = [p for p in members.get(station.pk, []) if p.joined_on <= held_on]
    volunteers = rng.sample(available, min(len(available), rng.randint(1, 4))) if available else []
    activity = Activity(
        workstation=station,
        type=activity_type,
        title=stem,
        held_on=held_on,
        start_time=time(rng.choice([9, 10, 14, 15, 19]), rng.choice([0, 30])),
        hours=Decimal(rng.choice(["1.0", "1.5", "2.0", "2.0", "3.0"])),
        place=rng.choice(PLACES),
        police_count=rng.randint(0, 3),
        audience_count=rng.randint(10, 40),
        audience_kind="mixed",
        summary=f"{station.name}组织开展{stem}活动。",
    )
    code = activity_type.code
    if code == "legal_lecture":
        school = station.name.removesuffix("派出所关爱工作站") + rng.choice(SCHOOLS)
        activity.school = school
        activity.partner_name = school
        activity.partner_type = "school"
        activity.place = f"{school}报告厅"
        activity.audience_count = rng.randint(50, 300)
        activity.audience_kind = "pupils"
        activity.minors_reached = activity.audience_count
        activity.teacher_count = rng.randint(1, 6)
        eligible = [p for p in lecturers.get(station.pk, []) if p.joined_on <= held_on]
        if eligible and rng.random() < 0.7:
            activity.lecturer = rng.choice(eligible)
            if activity.lecturer not in volunteers:
                volunteers.append(activity.lecturer)
        else:
            # one 法治副校长 per station (an officer appointed at the partner school)
            activity.vice_principal_name = VICE_PRINCIPALS.setdefault(station.pk, context.person_name())
    elif code == "joint_meeting":
        activity.attendee_units = "派出所、社区居委会、辖区学校、共建单位"
        activity.decisions = "一、明确本季度重点帮教对象分工；二、开展护学岗联合值守。"
        activity.audience_count = 0
        activity.police_count = rng.randint(2, 6)
    elif code == "relief":
        activity.people_helped = rng.randint(1, 20)
        activity.amount_yuan = Decimal(rng.randrange(500, 20000, 100))
        activity.goods = rng.choice(["", "书包、文具", "棉衣、米面油", "学习用品"])
        activity.audience_count = 0
        activity.minors_reached = activity.people_helped
    elif code in ("patrol", "counselling", "mentoring_group"):
        activity.audience_count = rng.randint(0, 15)
        activity.minors_reached = activity.audience_count
        activity.parent_count = rng.randint(0, 5) if code != "patrol" else 0
    elif code in ("theory_study", "training"):
        activity.audience_count = 0
    if station.partner_name and not activity.partner_name and rng.random() < 0.3:
        activity.partner_name = station.partner_name
        activity.partner_type = station.partner_type
    return activity, volunteers, []
