"""Demo province for `seed_demo`: org tree, workstations, one account of every role.

All personal data is synthetic. Later apps add their records through their own `<app>/demo.py`
with a `seed(*, context)` function, called in INSTALLED_APPS order after this one.
"""

import random
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from .models import OrgKind, OrgUnit, PartnerType, Role, StationStatus, SystemDocument, User, Workstation, WorkSystem

DEMO_PASSWORD = "Guanai@2026demo"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国志红梅林海波宇晨浩然博文凯欣怡佳琪子轩梓涵雨泽思远振东德福春雪松柏"

# (code, name, kind, parent code)
ORG_TREE = [
    ("23", "黑龙江省", OrgKind.PROVINCE, None),
    ("2301", "哈尔滨市", OrgKind.CITY, "23"),
    ("2311", "黑河市", OrgKind.CITY, "23"),
    ("230102", "道里区", OrgKind.COUNTY, "2301"),
    ("230103", "南岗区", OrgKind.COUNTY, "2301"),
    ("231102", "爱辉区", OrgKind.COUNTY, "2311"),
    ("231181", "北安市", OrgKind.COUNTY, "2311"),
]

# (code, station name stem, county code, status, partner type)
STATIONS = [
    ("230102001", "新阳路", "230102", StationStatus.ACTIVE, PartnerType.SCHOOL),
    ("230102002", "安静街", "230102", StationStatus.ACTIVE, PartnerType.COMMUNITY),
    ("230102003", "通江街", "230102", StationStatus.ACTIVE, PartnerType.ENTERPRISE),
    ("230102004", "榆树镇", "230102", StationStatus.DEFERRED, ""),
    ("230103001", "花园街", "230103", StationStatus.ACTIVE, PartnerType.SCHOOL),
    ("230103002", "大成街", "230103", StationStatus.ACTIVE, PartnerType.COMMUNITY),
    ("230103003", "曲线街", "230103", StationStatus.MERGED, ""),
    ("231102001", "兴安", "231102", StationStatus.ACTIVE, PartnerType.SCHOOL),
    ("231102002", "海兰", "231102", StationStatus.ACTIVE, PartnerType.COMMUNITY),
    ("231102003", "西岗子", "231102", StationStatus.EXEMPT, ""),
    ("231181001", "铁西", "231181", StationStatus.ACTIVE, PartnerType.ENTERPRISE),
    ("231181002", "和平", "231181", StationStatus.ACTIVE, PartnerType.SCHOOL),
    ("231181003", "城郊", "231181", StationStatus.CLOSED, ""),
]

# (username, role, scope code, display name)
ACCOUNTS = [
    ("zhan_luru", Role.STATION_STAFF, "230102001", "刘晓燕"),
    ("zhan_zhang", Role.STATION_HEAD, "230102001", "王建国"),
    ("zhan_luru2", Role.STATION_STAFF, "231102001", "赵丽娟"),
    ("xian_daoli", Role.COUNTY_OFFICER, "230102", "孙志明"),
    ("xian_aihui", Role.COUNTY_OFFICER, "231102", "周海波"),
    ("shi_haerbin", Role.CITY_OFFICER, "2301", "陈德福"),
    ("sheng_gongwei", Role.PROVINCE_OFFICER, "23", "郑春雪"),
    ("xitong_admin", Role.SYSTEM_ADMIN, None, "吴振东"),
    ("anquan_admin", Role.SECURITY_ADMIN, None, "何思远"),
    ("shenji_admin", Role.AUDIT_ADMIN, None, "林佳琪"),
]


@dataclass
class DemoContext:
    """Shared by every app's `seed`: a seeded random generator and what the stations app made."""

    rng: random.Random
    today: date
    province: OrgUnit
    stations: list[Workstation] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)

    def person_name(self) -> str:
        given = self.rng.choice(GIVEN) + (self.rng.choice(GIVEN) if self.rng.random() < 0.7 else "")
        return self.rng.choice(SURNAMES) + given

    def mobile(self) -> str:
        return f"1{self.rng.choice('38')}{self.rng.randrange(10**9):09d}"  # 13x, 18x: allocated ranges


def seed(*, rng: random.Random) -> DemoContext:
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent in ORG_TREE:
        unit, _ = OrgUnit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": units.get(parent)}
        )
        units[code] = unit
    context = DemoContext(rng=rng, today=timezone.localdate(), province=units["23"])
    by_code: dict[str, Workstation] = {}
    for index, (code, stem, county_code, status, partner_type) in enumerate(STATIONS):
        station = Workstation.objects.filter(code=code).first()
        if station is None:
            station = Workstation.objects.create(
                code=code,
                name=f"{stem}派出所关爱工作站",
                police_station=f"{units[county_code].name}{stem}派出所",
                county=units[county_code],
                office_location="station" if index % 3 else "community",
                office_address=f"{units[county_code].name}{stem}{rng.randint(1, 300)}号",
                partner_name={
                    "school": f"{stem}小学",
                    "community": f"{stem}社区",
                    "enterprise": f"{stem}热电有限公司",
                }.get(partner_type, ""),
                partner_type=partner_type,
                established_on=date(2024, rng.randint(1, 12), rng.randint(1, 28)),
                logo_hung=status == StationStatus.ACTIVE,
                phone=(  # Harbin numbers have 8 digits, Heihe numbers 7
                    f"0451-8{rng.randrange(10**7):07d}"
                    if county_code.startswith("2301")
                    else f"0456-8{rng.randrange(10**6):06d}"
                ),
            )
            _seed_profile(station, status, rng, context.today)
            _apply_status(station, status, by_code, context.today)
        by_code[code] = station
    context.stations = list(Workstation.objects.order_by("code"))
    for username, role, scope, display in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                last_name=display[0],
                first_name=display[1:],
                must_change_password=False,
                password_changed_at=timezone.now(),
            )
            if scope in by_code:
                user.workstation = by_code[scope]
            elif scope:
                user.org_unit = units[scope]
            user.set_password(DEMO_PASSWORD)
            user.save()
        context.users[username] = user
        _demo_second_factor(user)
    return context


# Demo administrators sign in with a second factor (AUTH-7): `manage.py demo_totp <user>` prints the code.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


def _demo_second_factor(user: User) -> None:
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .roles import requires_second_factor

    # Never a publicly known secret in production: there the administrators bind their own device.
    if (
        not settings.PRODUCTION
        and requires_second_factor(user)
        and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    ):
        TOTPDevice.objects.create(user=user, name="演示 TOTP", key=DEMO_TOTP_KEY, confirmed=True)


# A one-page placeholder PDF standing for a station's scanned rule document.
RULE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _seed_profile(station: Workstation, status: str, rng: random.Random, today: date) -> None:
    """Rule documents for most systems of active stations, and two years of funding."""
    from django.core.files.base import ContentFile

    from .models import Funding

    for system in WorkSystem.values:
        document, _ = SystemDocument.objects.get_or_create(workstation=station, system=system)
        if status == StationStatus.ACTIVE and rng.random() < 0.8:
            document.document.save(f"{station.code}_{system}.pdf", ContentFile(RULE_PDF), save=True)
    if status == StationStatus.ACTIVE:
        for year in (today.year - 1, today.year):
            Funding.objects.create(
                workstation=station,
                year=year,
                amount_yuan=rng.choice([3000, 5000, 8000, 10000]),
                source=rng.choice(["县公安局关工委", "县关工委", "派出所自筹"]),
            )


def _apply_status(station: Workstation, status: str, by_code: dict, today: date) -> None:
    if status == StationStatus.ACTIVE:
        return
    station.status = status
    station.status_changed_on = date(today.year - 1, 7, 1)
    if status in (StationStatus.EXEMPT, StationStatus.DEFERRED):
        station.approving_unit = f"{station.county.name}公安分局"
        station.approval_doc_no = f"{station.county.name[:2]}公关〔{today.year - 1}〕{station.pk % 20 + 1}号"
        station.approval_date = date(today.year - 1, 6, 20)
        station.status_reason = "警力少、无退休民警、辖区青少年少"
        if status == StationStatus.DEFERRED:
            station.review_on = date(today.year, 7, 1)
    if status == StationStatus.MERGED:
        station.merged_into = by_code.get(f"{station.code[:6]}001")
        station.status_reason = "派出所合并"
    if status == StationStatus.CLOSED:
        station.status_reason = "派出所撤销"
    station.save()


def seed_province(*, random_seed: int = 2026, report=None) -> DemoContext:
    """The whole demo province: the spine (`seed`), then each app's `<app>.demo.seed(context=…)` in app
    order. `report(app_config)` is called after each app (the command prints progress with it)."""
    from importlib import import_module

    from django.apps import apps

    context = seed(rng=random.Random(random_seed))
    for config in apps.get_app_configs():
        if config.name == "stations":
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        module.seed(context=context)
        if report:
            report(config)
    return context
