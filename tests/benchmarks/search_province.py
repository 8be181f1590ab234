"""By hand, not collected: seed a province-scale dataset and time the header search (docs/benchmarks-search.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanai_bench_search .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanai_bench_search PYTHONPATH=. \\
        .venv/bin/python tests/benchmarks/search_province.py

Writes into the database it is given (bulk inserts, about two minutes): use a throwaway one.
"""

import os
import random
import statistics
import time
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402

from activities.models import Activity, ActivityType  # noqa: E402
from mentoring.models import Youth  # noqa: E402
from stations.models import OrgKind, User, Workstation  # noqa: E402
from stations.search import registry  # noqa: E402
from stations.tests.factories import OrgUnitFactory, UserFactory, WorkstationFactory  # noqa: E402
from volunteers.models import Volunteer  # noqa: E402

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志远晓红文玉凤海波宇浩然欣怡子涵梓轩雨泽一诺")
WORDS = [
    *("普法讲座", "护学岗", "家访", "心理辅导", "法治进校园"),
    *("禁毒宣传", "关爱留守儿童", "联席会议", "骨干培训", "慈善助学"),
]
PLACES = ["社区活动室", "第一中学", "派出所会议室", "文化广场", "实验小学"]
TERMS = ["王", "志远", "普法", "王志远", "法治进校园", "不存在的词语", "#12345"]


def name() -> str:
    return random.choice(SURNAMES) + "".join(random.choice(GIVEN) for _ in range(random.choice((1, 2, 2))))


def seed() -> None:
    random.seed(16)
    province = OrgUnitFactory(kind=OrgKind.PROVINCE, name="测试省")
    stations = []
    for c in range(13):
        city = OrgUnitFactory(kind=OrgKind.CITY, parent=province, name=f"第{c}市")
        for k in range(9):
            county = OrgUnitFactory(kind=OrgKind.COUNTY, parent=city, name=f"第{c}市{k}县")
            for s in range(13):
                label = f"{random.choice(SURNAMES)}{random.choice(GIVEN)}派出所关爱工作站{c}-{k}-{s}"
                stations.append(WorkstationFactory(county=county, name=label))
    UserFactory(username="bench_prov", role="province_officer", org_unit=province)
    UserFactory(username="bench_county", role="county_officer", org_unit=stations[0].county)
    UserFactory(username="bench_staff", role="station_staff", workstation=stations[0])
    volunteers = [
        Volunteer(
            workstation=stations[i % len(stations)],
            name=name(),
            gender="male",
            birth_date=date(1955, 3, 14),
            mobile=f"139{i:08d}",
            elder_category="none",
            member_type="retired_officer",
            position="member",
            joined_on=date(2024, 1, 16),
        )
        for i in range(31_000)
    ]
    Volunteer.objects.bulk_create(volunteers, batch_size=2000)
    day = date(2026, 12, 1)
    youth = [
        Youth(
            workstation=stations[i % len(stations)],
            name=name(),
            gender="male",
            birth_date=date(2010, 5, 1),
            school_status="junior",
            home_area="测试社区",
            categories=",misconduct,",
            intake_source="school",
            intake_on=day - timedelta(days=i % 700),
            risk_level="low",
            risk_assessed_on=day - timedelta(days=i % 700),
            last_contact_on=day - timedelta(days=i % 700),
            stage="active",
            intake_reference=f"来源{i}",
        )
        for i in range(20_000)
    ]
    Youth.all_objects.bulk_create(youth, batch_size=2000)
    types = list(ActivityType.objects.all())
    through = Activity.stations.through
    for chunk in range(40):
        activities = [
            Activity(
                workstation=stations[(chunk * 10_000 + i) % len(stations)],
                type=types[i % len(types)],
                title=f"{random.choice(WORDS)}{random.choice(WORDS)}第{chunk * 10_000 + i}期",
                place=random.choice(PLACES),
                summary=f"{random.choice(WORDS)}，{random.choice(SURNAMES)}老师主讲",
                held_on=date(2022, 1, 1) + timedelta(days=(chunk * 10_000 + i) % 1800),
                audience_count=i % 300,
            )
            for i in range(10_000)
        ]
        Activity.objects.bulk_create(activities, batch_size=2000)
        links = [through(activity_id=a.pk, workstation_id=a.workstation_id) for a in activities]
        through.objects.bulk_create(links, batch_size=5000)


def measure() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for key in ("prov", "county", "staff"):
        user = User.objects.get(username=f"bench_{key}")
        for term in TERMS:
            totals, per_kind = [], {}
            for _run in range(5):
                total = 0.0
                for capability, function in registry.group_functions():
                    if not user.has_cap(capability):
                        continue
                    started = time.perf_counter()
                    group = function(user, term)
                    spent = (time.perf_counter() - started) * 1000
                    per_kind.setdefault(group.kind, []).append(spent)
                    total += spent
                totals.append(total)
            detail = ", ".join(f"{kind} {statistics.median(ms):.0f}" for kind, ms in per_kind.items())
            print(f"{key:6} {term:8} median {statistics.median(totals):6.1f} ms ({detail})")


if __name__ == "__main__":
    if not Workstation.objects.unscoped("aggregate_figure").filter(name__contains="-0-0").exists():
        seed()
    measure()
