"""Demo volunteers for `seed_demo`: 15–40 members per active station, roles, trainings, service hours.

All personal data is synthetic (names from the demo generator, checksum-valid IDs from
`stations.idnumbers.make`). Two stations deliberately fail the staffing check (too many retired officers; no deputy); retired
officers do not leave at random, so the other stations stay within the 3–5 rule. Safe to run again:
a station that already has volunteers is left as it is.
"""

from datetime import date, timedelta
from decimal import Decimal

from stations import idnumbers
from stations.models import Role, StationStatus
from stations.roles import holds_role

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
from .services import sync_station_officers

RANKS = ["一级警长", "二级警长", "三级警长", "一级警督", "二级警督", "四级高级警长"]
SKILLS = ["法律咨询", "心理疏导", "书法", "调解纠纷", "摄影", "宣讲", "网络信息", "家庭教育"]
TRAINING_TITLES = [
    "五老志愿者法治宣讲能力培训",
    "青少年心理疏导专题培训",
    "矛盾纠纷调解实务培训",
    "网络舆情监测与信息报送培训",
    "关爱工作站工作制度学习",
]


def _random_day(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def seed(*, context) -> None:
    rng, today = context.rng, context.today
    active = [s for s in context.stations if s.status == StationStatus.ACTIVE]
    used_hashes = set(Volunteer.objects.values_list("id_hash", flat=True))
    sequence = [0]

    def new_id(area: str, born: date, male: bool) -> tuple[str, str]:
        while True:
            sequence[0] += 1
            number = idnumbers.make(area, born, (sequence[0] * 2 + (1 if male else 0)) % 1000)
            digest = idnumbers.lookup_hash(number)
            if digest not in used_hashes:
                used_hashes.add(digest)
                return number, digest

    # A station head's login is the roster's 站长: the same person, named the same way everywhere.
    head_accounts = {
        user.workstation_id: user.get_full_name()
        for user in context.users.values()
        if holds_role(user, Role.STATION_HEAD) and user.workstation_id
    }
    created: dict[int, list[Volunteer]] = {}
    for index, station in enumerate(active):
        if station.volunteers.exists():
            continue
        area = station.code[:6]
        total = rng.randint(15, 40)
        retired = 7 if index == 2 else rng.randint(3, 5)  # station 3 has too many retired officers
        plan = [(Position.HEAD, MemberType.COMMUNITY_POLICE)]
        if index != 4:  # station 5 has no deputy
            plan.append((Position.DEPUTY, MemberType.RETIRED_OFFICER))
            retired -= 1
        plan += [(Position.MEMBER, MemberType.RETIRED_OFFICER)] * retired
        others = [
            MemberType.COMMUNITY_POLICE,
            MemberType.AUXILIARY_POLICE,
            MemberType.GRID_WORKER,
            MemberType.SECURITY_VOLUNTEER,
            MemberType.SECURITY_VOLUNTEER,
            MemberType.OTHER,
        ]
        plan += [(Position.MEMBER, rng.choice(others)) for _ in range(total - len(plan))]
        members = []
        for position, member_type in plan:
            male = rng.random() < 0.7
            retired_person = member_type == MemberType.RETIRED_OFFICER
            born = date(
                rng.randint(1946, 1964) if retired_person else rng.randint(1960, 1995),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            number, digest = new_id(area, born, male)
            if retired_person:
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
            status, left_on, reason = VolunteerStatus.ACTIVE, None, ""
            joined = _random_day(rng, date(today.year - 3, 1, 1), today - timedelta(days=30))
            if position == Position.MEMBER and not retired_person and rng.random() < 0.1:
                status, left_on, reason = (
                    VolunteerStatus.LEFT,
                    _random_day(rng, joined, today),
                    rng.choice(["身体原因", "随子女异地居住", "个人原因"]),
                )
            elif position == Position.MEMBER and not retired_person and rng.random() < 0.05:
                status = VolunteerStatus.PAUSED
            members.append(
                Volunteer(
                    workstation=station,
                    name=(head_accounts.get(station.pk) if position == Position.HEAD else None)
                    or context.person_name(),
                    gender="male" if male else "female",
                    birth_date=born,
                    id_number=number,
                    id_hash=digest,
                    mobile=context.mobile(),
                    elder_category=category,
                    member_type=member_type,
                    former_unit=f"{station.police_station}" if retired_person else "",
                    former_rank=rng.choice(RANKS) if retired_person else "",
                    political_status=rng.choice(["中共党员", "中共党员", "群众"]),
                    health=rng.choice(["良好", "良好", "一般"]),
                    skills=rng.choice(SKILLS),
                    position=position,
                    joined_on=joined,
                    status=status,
                    left_on=left_on,
                    left_reason=reason,
                )
            )
        Volunteer.objects.bulk_create(members)
        created[station.pk] = list(station.volunteers.order_by("pk"))
    sync_station_officers(created)

    if not created:
        return
    roles = []
    for members in created.values():
        for volunteer in members:
            if volunteer.member_type == MemberType.RETIRED_OFFICER or volunteer.elder_category != ElderCategory.NONE:
                for role in rng.sample(StationRole.values, rng.randint(1, 2)):
                    roles.append(VolunteerRole(volunteer=volunteer, role=role))
    VolunteerRole.objects.bulk_create(roles)

    # Transfers: one member of every other station moved to the next station (history kept).
    stations = [s for s in active if s.pk in created]
    for here, there in zip(stations[::2], stations[1::2], strict=False):
        mover = next(
            (
                v
                for v in created[here.pk]
                if v.position == Position.MEMBER
                and v.status == VolunteerStatus.ACTIVE
                and v.member_type != MemberType.RETIRED_OFFICER
            ),
            None,
        )
        if mover is None:
            continue
        moved_on = _random_day(rng, mover.joined_on, today)
        mover.status, mover.left_on, mover.left_reason = VolunteerStatus.LEFT, moved_on, f"调往{there.name}"
        mover.save()
        arrival = Volunteer.objects.create(
            **{
                f.attname: getattr(mover, f.attname)
                for f in Volunteer._meta.concrete_fields
                if f.attname
                not in (
                    "id",
                    "workstation_id",
                    "position",
                    "joined_on",
                    "left_on",
                    "left_reason",
                    "status",
                    "transferred_from_id",
                    "version",
                    "created_at",
                    "updated_at",
                )
            },
            workstation=there,
            position=Position.MEMBER,
            joined_on=moved_on,
            transferred_from=mover,
        )
        created[there.pk].append(arrival)

    logs = []
    for members in created.values():
        for volunteer in members:
            end = volunteer.left_on or today
            start = max(volunteer.joined_on, date(today.year - 1, 1, 1))
            if end <= start:
                continue
            entries = rng.choice([3, 6, 10, 20, 40, 80])
            for _ in range(entries):
                logs.append(
                    ServiceLog(
                        volunteer=volunteer,
                        served_on=_random_day(rng, start, end),
                        hours=Decimal(rng.choice(["1.5", "2.0", "3.0", "4.0", "6.0", "8.0"])),
                        kind=rng.choice(ServiceKind.values),
                        note="",
                    )
                )
    ServiceLog.objects.bulk_create(logs, batch_size=1000)

    for station_id, members in created.items():
        current = [v for v in members if v.status in (VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED)]
        for year in (today.year - 1, today.year):
            for _ in range(rng.randint(1, 3)):
                held_on = _random_day(rng, date(year, 1, 1), min(date(year, 12, 31), today))
                training = Training.objects.create(
                    workstation_id=station_id,
                    title=rng.choice(TRAINING_TITLES),
                    held_on=held_on,
                    organiser=rng.choice(["县公安局关工委", "市公安局关工委", "派出所"]),
                    hours=Decimal(rng.choice(["2.0", "3.0", "4.0", "8.0"])),
                )
                eligible = [v for v in current if v.joined_on <= held_on]
                training.attendees.set(rng.sample(eligible, min(len(eligible), rng.randint(5, 15))))
