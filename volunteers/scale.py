"""Scale data of the volunteers app (`manage.py generate_scale`): rosters sized by station, station roles,
trainings with attendees, and the service hours that are not activities or visits (patrols, mediation…).

Leaves `ctx.shared["members"]`: per station, [(volunteer id, joined_on, left_on or None, is_lecturer)].
"""

from datetime import date, timedelta
from decimal import Decimal

from stations import idnumbers
from stations.scale import mobile, person_name, seasonal_day

from .models import (
    ElderCategory,
    MemberType,
    Position,
    ServiceKind,
    ServiceLog,
    StationRole,
    Training,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
)

RANKS = ["一级警长", "二级警长", "三级警长", "一级警督", "二级警督", "四级高级警长"]
SKILLS = ["法律咨询", "心理疏导", "书法", "调解纠纷", "摄影", "宣讲", "网络信息", "家庭教育"]
TRAINING_TITLES = [
    "五老志愿者法治宣讲能力培训",
    "青少年心理疏导专题培训",
    "矛盾纠纷调解实务培训",
    "关爱工作站工作制度学习",
]
OTHERS = [
    MemberType.COMMUNITY_POLICE,
    MemberType.AUXILIARY_POLICE,
    MemberType.GRID_WORKER,
    MemberType.SECURITY_VOLUNTEER,
    MemberType.SECURITY_VOLUNTEER,
    MemberType.OTHER,
]
# Hours not tied to an activity or a visit, per current volunteer and year (with the activities' and the
# visits' entries the ledger holds ≈ 2.5M rows at province scale over three years).
OWN_ENTRIES_PER_YEAR = 4.3
OWN_KINDS = [ServiceKind.PATROL, ServiceKind.MEDIATION, ServiceKind.COUNSELLING, ServiceKind.OTHER]

COLUMNS = [
    "id",
    "workstation_id",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "id_hash",
    "mobile",
    "elder_category",
    "member_type",
    "former_unit",
    "former_rank",
    "political_status",
    "health",
    "skills",
    "position",
    "joined_on",
    "left_on",
    "left_reason",
    "status",
]
SERVICE_COLUMNS = ["id", "volunteer_id", "served_on", "hours", "kind", "note", "source_type_id", "source_id"]


def generate(ctx) -> None:
    rng = ctx.rng("volunteers")
    w = ctx.writer
    volunteers = w.sink(Volunteer, COLUMNS)
    roles = w.sink(VolunteerRole, ["id", "volunteer_id", "role"])
    trainings = w.sink(Training, ["id", "workstation_id", "title", "held_on", "organiser", "hours", "created_by_id"])
    attendees = w.through(Training, "attendees")
    service = w.sink(ServiceLog, SERVICE_COLUMNS)
    members: dict[int, list] = {}
    numbers: set[str] = set()
    until, start = ctx.until, ctx.start
    for station in ctx.active_stations:
        total = max(6, round(rng.gauss(1, 0.15) * 22.5 * station.size))
        retired = rng.choices([2, 3, 4, 5, 6], weights=[5, 30, 35, 25, 5])[0]
        plan = [(Position.HEAD, MemberType.COMMUNITY_POLICE)]
        if rng.random() < 0.95:  # a few stations lack a deputy (a staffing warning, DOMAIN §2)
            plan.append((Position.DEPUTY, MemberType.RETIRED_OFFICER))
            retired -= 1
        plan += [(Position.MEMBER, MemberType.RETIRED_OFFICER)] * retired
        plan += [(Position.MEMBER, rng.choice(OTHERS)) for _ in range(total - len(plan))]
        ids = w.ids(Volunteer, len(plan))
        roster = []
        for pk, (position, member_type) in zip(ids, plan, strict=True):
            male = rng.random() < 0.7
            is_retired = member_type == MemberType.RETIRED_OFFICER
            born = date(
                rng.randint(1946, 1964) if is_retired else rng.randint(1960, 1998),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            while True:
                number = idnumbers.make(station.area, born, rng.randrange(0, 499) * 2 + (1 if male else 0))
                if number not in numbers:
                    numbers.add(number)
                    break
            if is_retired:
                category = rng.choice(
                    [ElderCategory.VETERAN_CADRE, ElderCategory.VETERAN_SOLDIER, ElderCategory.VETERAN_EXPERT]
                )
            elif member_type in (MemberType.SECURITY_VOLUNTEER, MemberType.OTHER):
                category = rng.choice(
                    [
                        ElderCategory.VETERAN_TEACHER,
                        ElderCategory.MODEL_WORKER,
                        ElderCategory.VETERAN_EXPERT,
                        ElderCategory.NONE,
                    ]
                )
            else:
                category = ElderCategory.NONE
            # most joined before the generated years, new elders keep joining (新五老入列)
            joined = (
                start - timedelta(days=rng.randint(30, 1500))
                if rng.random() < 0.7
                else seasonal_day(rng, start, until - timedelta(days=30))
            )
            status, left_on, reason = VolunteerStatus.ACTIVE, None, ""
            draw = rng.random()
            if position == Position.MEMBER and not is_retired and draw < 0.08:
                status, reason = VolunteerStatus.LEFT, rng.choice(["身体原因", "随子女异地居住", "个人原因"])
                left_on = joined + timedelta(days=rng.randint(1, max(1, (until - joined).days)))
            elif position == Position.MEMBER and draw < 0.12:
                status = VolunteerStatus.PAUSED
            name = station.head_name if position == Position.HEAD and station.head_name else person_name(rng)
            if position == Position.DEPUTY:
                station.deputy_name = name
            volunteers.add(
                (
                    pk,
                    station.pk,
                    name,
                    "male" if male else "female",
                    born,
                    number,
                    idnumbers.lookup_hash(number),
                    mobile(rng),
                    category,
                    member_type,
                    station.name.removesuffix("关爱工作站") if is_retired else "",
                    rng.choice(RANKS) if is_retired else "",
                    rng.choice(["中共党员", "中共党员", "群众"]),
                    rng.choice(["良好", "良好", "一般"]),
                    rng.choice(SKILLS),
                    position,
                    joined,
                    left_on,
                    reason,
                    status,
                )
            )
            held = (
                rng.sample(StationRole.values, rng.randint(1, 2))
                if is_retired or category != ElderCategory.NONE
                else []
            )
            for station_role in held:
                roles.add((w.new_id(VolunteerRole), pk, station_role))
            lecturer = StationRole.LEGAL_LECTURER in held
            current = status != VolunteerStatus.LEFT
            roster.append((pk, joined, left_on, lecturer, current))
        members[station.pk] = roster

        for year in range(start.year, until.year + 1):
            year_end = min(date(year, 12, 31), until)
            for _ in range(rng.randint(1, 2 + round(station.size))):
                held_on = seasonal_day(rng, date(year, 1, 1), year_end)
                pk = w.new_id(Training)
                trainings.add(
                    (
                        pk,
                        station.pk,
                        rng.choice(TRAINING_TITLES),
                        held_on,
                        rng.choice(["县公安局关工委", "市公安局关工委", "派出所"]),
                        Decimal(rng.choice(["2.0", "3.0", "4.0"])),
                        station.staff_user or None,
                    )
                )
                eligible = [m for m in roster if m[1] <= held_on and (m[2] is None or m[2] >= held_on)]
                for person in rng.sample(eligible, min(len(eligible), rng.randint(5, 15))):
                    attendees.add((w.new_id(Training.attendees.through), pk, person[0]))
        for pk, joined, left_on, _lecturer, _current in roster:
            first, last = max(joined, start), min(left_on or until, until)
            if last <= first:
                continue
            for _ in range(round(OWN_ENTRIES_PER_YEAR * (last - first).days / 365 * rng.uniform(0.3, 1.7))):
                service.add(
                    (
                        w.new_id(ServiceLog),
                        pk,
                        seasonal_day(rng, first, last),
                        Decimal(rng.choice(["1.5", "2.0", "3.0", "4.0"])),
                        rng.choice(OWN_KINDS),
                        "",
                        None,
                        None,
                    )
                )
    ctx.shared["members"] = members
    # the profile's head and deputy are the roster's (volunteers.services.sync_station_officers)
    volunteers.flush()
    from stations.models import Workstation

    with w.connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Workstation._meta.db_table} SET head_name = %s, deputy_name = %s WHERE id = %s",
            [(s.head_name, s.deputy_name, s.pk) for s in ctx.active_stations],
        )
