"""Synthetic data at county, province or nation scale for benchmarks (`manage.py generate_scale`, issue 15 §1).

Each app writes its own records in `<app>/scale.py` (`generate(ctx)`), called in app order after the spine
made here (org tree, workstations, funding, system documents, accounts). Rows are written in bulk: COPY on
PostgreSQL, `executemany` on SQLite, with primary keys assigned here so that related rows need no read-back.
Everything the database enforces stays enforced. The same seed and `until` date give the same rows.
All people are invented; ID numbers pass the GB 11643 checksum.
"""

import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connections

from .demo import GIVEN, SURNAMES
from .models import (
    Funding,
    OrgKind,
    OrgUnit,
    PartnerType,
    Role,
    StationStatus,
    SystemDocument,
    User,
    Workstation,
    WorkSystem,
)

# Bump when the generator's output changes: the benchmark regenerates a database made by another version.
VERSION = 2
SCALE_PASSWORD = "Guanai@2026scale"


@dataclass(frozen=True)
class Scale:
    provinces: int
    cities: int  # per province
    counties: tuple[int, int]  # per city, min..max
    stations: int  # per province


SCALES = {
    # `tiny` is for the test suite: every kind of record, a few seconds on SQLite.
    "tiny": Scale(provinces=1, cities=1, counties=(2, 2), stations=5),
    "county": Scale(provinces=1, cities=1, counties=(1, 1), stations=12),
    "province": Scale(provinces=1, cities=13, counties=(7, 13), stations=1500),
    "nation": Scale(provinces=27, cities=13, counties=(7, 13), stations=1500),
}

# Station size: log-normal weights (σ 0.6, mean 1) — a few big urban stations, many small rural ones.
SIZE_SIGMA = 0.6
VOLUNTEERS_PER_STATION = 20.7  # 31k per 1,500 stations (issue 15)
YOUTH_PER_STATION = 13.3  # 20k per 1,500 stations; Changzhou: ≈ 12 key minors per station (DOMAIN §9)
ACTIVITIES_PER_STATION_YEAR = 87.0  # ≈ 399k over 3 years at 1,500 stations (issue 15; DOMAIN §9: 75k/year)

# Seasons (month weights): school terms, the Spring Festival and summer lull, 6.1/6.26 and 12.4 peaks.
MONTH_WEIGHTS = (0.6, 0.5, 1.1, 1.1, 1.1, 1.5, 0.8, 0.7, 1.3, 0.9, 1.1, 1.3)


def fmt_pg(value) -> str:
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif not isinstance(value, str):
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def fmt_sqlite(value):
    if value is None or isinstance(value, (int, str, float)):
        return int(value) if isinstance(value, bool) else value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class Sink:
    """Rows of one table: buffered, flushed in batches; columns not given take the field's default."""

    BATCH = 20000

    def __init__(self, writer, model_or_table, columns: list[str]):
        self.writer = writer
        if isinstance(model_or_table, str):
            self.table, self.columns, self.constants = model_or_table, list(columns), []
            self.label = model_or_table
        else:
            meta = model_or_table._meta
            self.table, self.label = meta.db_table, meta.label
            given = set(columns)
            self.columns = [meta.get_field(name).column for name in columns]
            self.constants = []
            for f in meta.concrete_fields:
                if f.attname in given:
                    continue
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    default = writer.now
                elif f.has_default() or not f.null:
                    default = f.get_default()
                else:
                    default = None
                self.columns.append(f.column)
                self.constants.append(default)
        self.constants = tuple(self.constants)
        self.rows: list = []
        self.count = 0
        self.seconds = 0.0

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.constants if self.constants else row)
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            start = time.perf_counter()
            self.writer.write(self.table, self.columns, self.rows)
            self.seconds += time.perf_counter() - start
            self.count += len(self.rows)
            self.rows = []


class Writer:
    """Bulk writes on one database alias: COPY (psycopg 3) on PostgreSQL, executemany elsewhere."""

    def __init__(self, using: str, now: datetime, progress=None):
        self.using = using
        self.connection = connections[using]
        self.vendor = self.connection.vendor
        self.now = now
        self.progress = progress or (lambda line: None)
        self.sinks: dict[str, Sink] = {}
        self.next_ids: dict[str, int] = {}
        self.started = time.perf_counter()

    def ids(self, model, count: int) -> range:
        """`count` fresh primary keys of `model` (above every existing one)."""
        table = model._meta.db_table
        if table not in self.next_ids:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(table)}")
                self.next_ids[table] = cursor.fetchone()[0] + 1
        first = self.next_ids[table]
        self.next_ids[table] = first + count
        return range(first, first + count)

    def new_id(self, model) -> int:
        return self.ids(model, 1)[0]

    def sink(self, model_or_table, columns: list[str]) -> Sink:
        key = model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table
        if key not in self.sinks:
            self.sinks[key] = Sink(self, model_or_table, columns)
        return self.sinks[key]

    def through(self, model, field_name: str) -> Sink:
        """The link table of a many-to-many field: rows (id, from_id, to_id)."""
        through = model._meta.get_field(field_name).remote_field.through
        source, target = (f.attname for f in through._meta.fields if f.is_relation)
        return self.sink(through, ["id", source, target])

    def write(self, table: str, columns: list[str], rows: list) -> None:
        self.connection.ensure_connection()
        raw = self.connection.connection
        names = ", ".join(self.connection.ops.quote_name(c) for c in columns)
        if self.vendor == "postgresql":
            copy_sql = f"COPY {self.connection.ops.quote_name(table)} ({names}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
                chunk = []
                for row in rows:
                    chunk.append("\t".join([fmt_pg(v) for v in row]))
                    if len(chunk) >= 5000:
                        copy.write("\n".join(chunk) + "\n")
                        chunk = []
                if chunk:
                    copy.write("\n".join(chunk) + "\n")
        else:
            marks = ", ".join("?" * len(columns)) if self.vendor == "sqlite" else ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {self.connection.ops.quote_name(table)} ({names}) VALUES ({marks})"
            data = [tuple(fmt_sqlite(v) for v in row) for row in rows]
            if self.vendor == "sqlite":
                raw.executemany(sql, data)
            else:  # pragma: no cover - other backends: through Django's cursor
                with self.connection.cursor() as cursor:
                    cursor.executemany(sql, data)

    def sync(self) -> None:
        """Write every buffered row; then ORM saves may follow (identity sequences moved past our keys)."""
        for sink in self.sinks.values():
            sink.flush()
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                for table in self.next_ids:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))",
                        [table],
                    )
        self.next_ids.clear()  # re-read: an ORM save may have taken the next key

    def close(self, label: str) -> None:
        """Flush every table and report each (rows, seconds spent writing)."""
        self.sync()
        for key, sink in list(self.sinks.items()):
            self.progress(f"  {sink.label:<40} {sink.count:>10,} rows  {sink.seconds:6.1f} s")
            del self.sinks[key]
        self.progress(f"{label}: done at {time.perf_counter() - self.started:.1f} s")


@dataclass
class StationInfo:
    """What the apps need to know of a generated station (no ORM objects: province scale has 1,500)."""

    pk: int
    code: str
    name: str
    county_id: int
    county_code: str
    area: str  # 6-digit area code for ID numbers
    status: str
    size: float  # relative size, mean 1
    partner_name: str
    partner_type: str
    staff_user: int = 0
    head_user: int = 0
    head_name: str = ""
    deputy_name: str = ""


@dataclass
class ScaleContext:
    """Shared by every app's `generate`: where, how big, which years, and what the spine made."""

    scale: str
    seed: int
    years: int
    until: date
    writer: Writer
    provinces: list[OrgUnit] = field(default_factory=list)
    cities: list[OrgUnit] = field(default_factory=list)
    counties: list[OrgUnit] = field(default_factory=list)
    stations: list[StationInfo] = field(default_factory=list)
    county_users: dict[int, int] = field(default_factory=dict)  # county id → officer user id
    province_users: dict[int, int] = field(default_factory=dict)
    city_users: dict[int, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, scope)
    shared: dict = field(default_factory=dict)  # what one app leaves for a later one

    @property
    def start(self) -> date:
        return date(self.until.year - self.years + 1, 1, 1)

    def rng(self, part: str) -> random.Random:
        """A generator of its own for each part, so adding rows to one part leaves the others as they were."""
        return random.Random(f"{self.seed}:{part}")

    @property
    def active_stations(self) -> list[StationInfo]:
        return [s for s in self.stations if s.status == StationStatus.ACTIVE]


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def seasonal_day(rng: random.Random, start: date, end: date, weights=MONTH_WEIGHTS) -> date:
    """A day in [start, end] drawn with month weights (seasons)."""
    months = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        months.append(cursor)
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)

    def span(month: date) -> tuple[date, date]:
        last_of_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1) - timedelta(days=1)
        return max(month, start), min(last_of_month, end)

    def share(month: date) -> float:
        """The month's weight times the part of it inside [start, end] (a range ending on the 1st of a
        month gives that month one day's worth, not a month's)."""
        first, last = span(month)
        return weights[month.month - 1] * ((last - first).days + 1) / 30

    month = rng.choices(months, weights=[share(m) for m in months])[0]
    first, last = span(month)
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def station_sizes(rng: random.Random, count: int) -> list[float]:
    """Log-normal weights with mean 1 (σ = SIZE_SIGMA)."""
    raw = [rng.lognormvariate(0, SIZE_SIGMA) for _ in range(count)]
    mean = sum(raw) / len(raw) if raw else 1
    return [w / mean for w in raw]


def database_is_empty(using: str) -> bool:
    return not Workstation.objects.db_manager(using).unscoped("aggregate_figure").exists()


def generate(*, scale: str, years: int, seed: int, until: date, using: str = "default", progress=None):
    """Generate `scale` into database `using`; returns the context (logins, stations)."""
    from importlib import import_module

    from django.apps import apps
    from django.db import transaction

    now = datetime.combine(until, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    writer = Writer(using, now=now, progress=progress)
    ctx = ScaleContext(scale=scale, seed=seed, years=years, until=until, writer=writer)
    with transaction.atomic(using=using):
        _spine(ctx)
        writer.close("stations")
        for config in apps.get_app_configs():
            if config.name == "stations":
                continue
            try:
                module = import_module(f"{config.name}.scale")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.scale":
                    raise
                continue
            module.generate(ctx)
            writer.close(config.label)
    writer.progress(f"committed (deferred foreign keys checked) at {time.perf_counter() - writer.started:.1f} s")
    with writer.connection.cursor() as cursor:
        # fresh planner statistics and visibility maps (index-only scans), as autovacuum would leave them
        vacuum = writer.vendor == "postgresql" and not writer.connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    if writer.vendor == "postgresql":
        set_marker(using, marker(scale, seed, years, until))
    writer.progress(f"total: {time.perf_counter() - writer.started:.1f} s")
    return ctx


def marker(scale: str, seed: int, years: int, until: date) -> str:
    return f"generate_scale v{VERSION} {scale} seed={seed} years={years} until={until.isoformat()}"


def set_marker(using: str, text: str) -> None:
    """The generated data set's name, kept as the PostgreSQL database's comment (the benchmark reuses it)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_database()")
        name = cursor.fetchone()[0]
        cursor.execute(f"COMMENT ON DATABASE {connections[using].ops.quote_name(name)} IS %s", [text])


def get_marker(using: str) -> str:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0] or ""


# --- the spine ---------------------------------------------------------------------------------------

STEMS = "东西南北中新老城郊河湖山林桥站港园湾岭坪集镇堡屯营寨店口沟台"
ROAD = "人民解放建设和平胜利友谊光明幸福团结文化红旗长江黄河松花"


def _unit(ctx, *, kind, name, code, parent) -> OrgUnit:
    """An org unit written in bulk with the materialized path `OrgUnit.save` would give it (its save
    updates the path on the default database, whatever `--database` says)."""
    w = ctx.writer
    pk = w.new_id(OrgUnit)
    path = f"{parent.path}.{pk:04d}" if parent else f"{pk:04d}"
    w.sink(OrgUnit, ["id", "kind", "name", "code", "parent_id", "path"]).add(
        (pk, kind, name, code, parent.pk if parent else None, path)
    )
    return OrgUnit(pk=pk, kind=kind, name=name, code=code, parent=parent, path=path)


def _spine(ctx: ScaleContext) -> None:
    conf = SCALES[ctx.scale]
    rng = ctx.rng("stations")
    prefix = f"G{ctx.seed % 1000:03d}"
    for p in range(conf.provinces):
        pcode = f"{prefix}{p + 1:02d}"
        province = _unit(ctx, kind=OrgKind.PROVINCE, name=f"规模测试第{p + 1}省", code=pcode, parent=None)
        ctx.provinces.append(province)
        counties: list[OrgUnit] = []
        for c in range(conf.cities):
            city = _unit(
                ctx, kind=OrgKind.CITY, name=f"第{p + 1}省第{c + 1}市", code=f"{pcode}{c + 1:02d}", parent=province
            )
            ctx.cities.append(city)
            for k in range(rng.randint(*conf.counties)):
                county = _unit(
                    ctx,
                    kind=OrgKind.COUNTY,
                    name=f"第{c + 1}市{rng.choice(STEMS)}{rng.choice(STEMS)}区{k + 1}",
                    code=f"{pcode}{c + 1:02d}{k + 1:02d}",
                    parent=city,
                )
                counties.append(county)
        ctx.counties.extend(counties)
        _stations(ctx, rng, province, counties, conf.stations)
    _accounts(ctx, rng)


def _stations(ctx, rng, province, counties, count) -> None:
    w = ctx.writer
    sizes = station_sizes(rng, count)
    # urban counties (the first of each city) hold more stations: weights 3 : 1
    county_weights = [3 if county.code.endswith("01") else 1 for county in counties]
    homes = [counties[i % len(counties)] for i in range(len(counties))]  # every county gets one station
    homes += rng.choices(counties, weights=county_weights, k=max(0, count - len(counties)))
    homes = homes[:count]
    homes.sort(key=lambda county: county.path)
    statuses = [StationStatus.ACTIVE] * 92 + [StationStatus.DEFERRED] * 3 + [StationStatus.EXEMPT] * 3
    statuses += [StationStatus.CLOSED] * 1 + [StationStatus.MERGED] * 1
    sink = w.sink(
        Workstation,
        [
            "id",
            "code",
            "name",
            "police_station",
            "county_id",
            "org_path",
            "status",
            "approving_unit",
            "approval_doc_no",
            "approval_date",
            "status_reason",
            "review_on",
            "merged_into_id",
            "status_changed_on",
            "office_location",
            "office_address",
            "partner_name",
            "partner_type",
            "partner_since",
            "established_on",
            "logo_hung",
            "phone",
        ],
    )
    ids = w.ids(Workstation, count)
    per_county: dict[int, int] = {}
    first_in_county: dict[int, int] = {}
    for index, (pk, county) in enumerate(zip(ids, homes, strict=True)):
        number = per_county[county.pk] = per_county.get(county.pk, 0) + 1
        first_in_county.setdefault(county.pk, pk)
        status = rng.choice(statuses) if number > 1 else StationStatus.ACTIVE
        stem = rng.choice(ROAD) + rng.choice(STEMS)
        code = f"{county.code}{number:03d}"
        partner_type = rng.choice([*PartnerType.values, ""]) if status == StationStatus.ACTIVE else ""
        partner_name = {"school": f"{stem}小学", "community": f"{stem}社区", "enterprise": f"{stem}有限公司"}.get(
            partner_type, f"{stem}共建单位" if partner_type else ""
        )
        approval = status in (StationStatus.EXEMPT, StationStatus.DEFERRED)
        changed = date(ctx.until.year - 1, rng.randint(1, 12), rng.randint(1, 28))
        sink.add(
            (
                pk,
                code,
                f"{stem}派出所关爱工作站",
                f"{county.name}{stem}派出所",
                county.pk,
                county.path,
                status,
                f"{county.name}公安分局" if approval else "",
                f"公关〔{changed.year}〕{index % 40 + 1}号" if approval else "",
                changed if approval else None,
                {
                    "exempt": "警力少、无退休民警、辖区青少年少",
                    "deferred": "派出所新建，缓建一年",
                    "closed": "派出所撤销",
                    "merged": "派出所合并",
                }.get(status, ""),
                date(ctx.until.year, 12, 31) if status == StationStatus.DEFERRED else None,
                first_in_county[county.pk] if status == StationStatus.MERGED else None,
                changed if status != StationStatus.ACTIVE else None,
                "community" if index % 4 == 0 else "station",
                f"{county.name}{stem}路{rng.randint(1, 300)}号",
                partner_name,
                partner_type,
                date(ctx.start.year - 1, rng.randint(1, 12), 1) if partner_type else None,
                date(ctx.start.year - rng.randint(1, 3), rng.randint(1, 12), rng.randint(1, 28)),
                status == StationStatus.ACTIVE and rng.random() < 0.9,
                f"0{rng.randint(310, 998)}-8{rng.randrange(10**6):06d}",
            )
        )
        ctx.stations.append(
            StationInfo(
                pk=pk,
                code=code,
                name=f"{stem}派出所关爱工作站",
                county_id=county.pk,
                county_code=county.code,
                area="23" + county.code[-4:],
                status=status,
                size=sizes[index],
                partner_name=partner_name,
                partner_type=partner_type,
            )
        )
    docs = w.sink(SystemDocument, ["id", "workstation_id", "system", "document", "note"])
    funding = w.sink(Funding, ["id", "workstation_id", "year", "amount_yuan", "source"])
    for station in ctx.stations[-count:]:
        for system in WorkSystem.values:
            on_file = station.status == StationStatus.ACTIVE and rng.random() < 0.85
            docs.add(
                (
                    w.new_id(SystemDocument),
                    station.pk,
                    system,
                    f"stations/systems/{ctx.start.year}/{station.code}_{system}.pdf" if on_file else "",
                    "",
                )
            )
        if station.status != StationStatus.ACTIVE:
            continue
        for year in range(ctx.start.year, ctx.until.year + 1):
            if rng.random() < 0.9:
                amount = Decimal(rng.choice([3000, 5000, 8000, 10000, 20000]) * max(1, round(station.size)))
                funding.add(
                    (
                        w.new_id(Funding),
                        station.pk,
                        year,
                        amount,
                        rng.choice(["县公安局关工委", "县关工委", "派出所自筹"]),
                    )
                )


def _accounts(ctx, rng) -> None:
    """Officers of every role at each level; usable logins (one password, printed at the end)."""
    w = ctx.writer
    password = make_password(SCALE_PASSWORD)
    sink = w.sink(
        User,
        [
            "id",
            "password",
            "username",
            "last_name",
            "first_name",
            "role",
            "org_unit_id",
            "workstation_id",
            "must_change_password",
            "password_changed_at",
            "is_active",
            "date_joined",
        ],
    )
    labels = dict(Role.choices)

    def add(username, role, *, unit=None, station=None):
        pk = w.new_id(User)
        name = person_name(rng)
        sink.add(
            (
                pk,
                password,
                username,
                name[0],
                name[1:],
                role,
                unit.pk if unit else None,
                station.pk if station else None,
                False,
                w.now,
                True,
                w.now,
            )
        )
        if len(ctx.logins) < 400:
            scope = unit.name if unit else (station.name if station else "全系统")
            ctx.logins.append((username, str(labels[role]), scope))
        return pk, name

    levels = (
        (Role.PROVINCE_OFFICER, ctx.provinces, ctx.province_users),
        (Role.CITY_OFFICER, ctx.cities, ctx.city_users),
    )
    for role, units, users in (*levels, (Role.COUNTY_OFFICER, ctx.counties, ctx.county_users)):
        for unit in units:
            users[unit.pk], _name = add(unit.code.lower(), role, unit=unit)
    for station in ctx.stations:
        if station.status != StationStatus.ACTIVE:
            continue
        for role, suffix in ((Role.STATION_HEAD, "zhang"), (Role.STATION_STAFF, "luru")):
            pk, name = add(f"{station.code.lower()}_{suffix}", role, station=station)
            if suffix == "zhang":
                station.head_user, station.head_name = pk, name
            else:
                station.staff_user = pk
    w.sync()
    # the three administrators (三员分立) with the demo's second factor (never in production)
    from .demo import _demo_second_factor

    for role, suffix in ((Role.SYSTEM_ADMIN, "sys"), (Role.SECURITY_ADMIN, "sec"), (Role.AUDIT_ADMIN, "audit")):
        username = f"g{ctx.seed % 1000:03d}_{suffix}"
        user = User(username=username, must_change_password=False, password_changed_at=w.now, password=password)
        user.role = role
        user.save(using=w.using)
        _demo_second_factor(user)
        ctx.logins.append((username, str(labels[role]), "全系统"))
