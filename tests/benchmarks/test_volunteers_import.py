"""Benchmark: a generated 10,000-row valid roster imports (preview + confirm) in < 20 s with a fixed
number of queries per 500-row batch. Results go to docs/benchmarks-volunteers.md."""

import math
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations import idnumbers
from volunteers.importing import BATCH, ParsedFile, validate_rows, volunteer_import
from volunteers.models import Volunteer, VolunteerRole
from volunteers.tests.test_import import HEADERS, xlsx

pytestmark = [pytest.mark.bench]
RESULTS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks-volunteers.md"


def generated(station, count: int) -> bytes:
    rows = []
    for n in range(count):
        born = date(1945, 1, 1) + timedelta(days=n // 500)
        values = {
            "工作站编号": station.code,
            "姓名": f"基准{n}",
            "性别": "",
            "身份证号": idnumbers.make("230102", born, n % 500 * 2 + 1),
            "出生日期": "",
            "手机号码": f"139{n:08d}",
            "五老类别": "老战士",
            "人员类型": "退休民警" if n % 3 else "网格员",
            "原工作单位": "市公安局",
            "原职务/警衔": "一级警长",
            "政治面貌": "中共党员",
            "健康状况": "良好",
            "特长": "调解",
            "站内职务": "成员",
            "站内角色": "法治宣讲员、矛盾调解员",
            "入列日期": "2024/1/16",
        }
        rows.append([values[h] for h in HEADERS])
    return xlsx(rows)


def measure(func):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


@pytest.mark.django_db
def test_ten_thousand_rows_import(world, settings):
    settings.VOLUNTEER_IMPORT_MAX_ROWS = 10_000
    user = world.user("staff")
    results = {}
    for count in (5_000, 10_000):
        Volunteer.objects.all().delete()
        data = generated(world.a.station, count)
        plan, preview_s, preview_q = measure(lambda d=data: validate_rows(user=user, name="bench.xlsx", data=d))
        assert plan.is_valid and len(plan.creates) == count
        stored = plan.parsed.to_json()  # what the preview keeps for the confirm step (as the view does)
        plan, confirm_s, confirm_q = measure(
            lambda t=stored: volunteer_import(actor=user, name="bench.xlsx", parsed=ParsedFile.from_json(t))
        )
        assert Volunteer.objects.count() == count and VolunteerRole.objects.count() == 2 * count
        _again, reimport_s, reimport_q = measure(lambda d=data: validate_rows(user=user, name="bench.xlsx", data=d))
        assert _again.unchanged == count
        results[count] = (len(data), preview_s, preview_q, confirm_s, confirm_q, reimport_s, reimport_q)
    batches = {count: math.ceil(count / BATCH) for count in results}
    # Queries grow per batch of 500 rows only (bulk lookups and bulk writes), never per row. SQLite splits
    # each bulk INSERT into statements of at most 999 parameters, hence ~16 per batch there, ~4 on PostgreSQL.
    per_batch = (results[10_000][4] - results[5_000][4]) / (batches[10_000] - batches[5_000])
    fixed = results[10_000][4] - per_batch * batches[10_000]
    assert per_batch <= 20 and fixed <= 30
    size, preview_s, preview_q, confirm_s, confirm_q, reimport_s, reimport_q = results[10_000]
    assert preview_s + confirm_s < 20
    vendor = connection.vendor
    section = [
        f"<!-- {vendor} -->",
        f"## {vendor}",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on the shared 2-core machine.",
        "",
        "| rows | file | preview | preview queries | confirm | confirm queries | re-preview | re-preview queries |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, (size, p_s, p_q, c_s, c_q, r_s, r_q) in results.items():
        section.append(
            f"| {count:,} | {size / 1024:.0f} KB | {p_s:.1f} s | {p_q} | {c_s:.1f} s | {c_q} | {r_s:.1f} s | {r_q} |"
        )
    section += [
        "",
        f"Confirm queries = {fixed:.0f} fixed + {per_batch:.0f} per {BATCH}-row batch.",
        f"<!-- /{vendor} -->",
    ]
    header = [
        "# Benchmark: volunteer import",
        "",
        "`tests/benchmarks/test_volunteers_import.py` (run with `make bench`). A generated, valid roster",
        "(one station, every row with two roles) is previewed (`validate_rows`: workbook streamed and checked)",
        "and confirmed (`volunteer_import` on the rows the preview kept as JSON: validated again against the",
        "database, then bulk-written in one transaction); then the same file is",
        "previewed again (idempotent: every row unchanged). Target: 10,000 rows in < 20 s, queries per",
        f"{BATCH}-row batch fixed (station codes and ID hashes resolved in bulk, `bulk_create`). SQLite splits",
        "each bulk INSERT into statements of at most 999 parameters, hence more statements per batch there.",
        "The import row limit is 5,000 per file (SECURITY IN-5); the benchmark raises it with the",
        "`VOLUNTEER_IMPORT_MAX_ROWS` setting to measure 10,000 rows.",
        "",
    ]
    sections = {}
    if RESULTS.exists():
        for other in ("sqlite", "postgresql"):
            text = RESULTS.read_text(encoding="utf-8")
            if f"<!-- {other} -->" in text and other != vendor:
                begin = text.index(f"<!-- {other} -->")
                end = text.index(f"<!-- /{other} -->") + len(f"<!-- /{other} -->")
                sections[other] = text[begin:end]
    sections[vendor] = "\n".join(section)
    body = "\n\n".join(sections[key] for key in ("sqlite", "postgresql") if key in sections)
    RESULTS.write_text("\n".join(header) + "\n" + body + "\n", encoding="utf-8")
