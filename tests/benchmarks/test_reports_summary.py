"""Province-scale benchmarks of the reports (make bench; results in docs/benchmarks-reports.md).

A generated province of ~1,500 stations with funding rows: the yearly summary against the plain SQL
aggregates that compute the same numbers in the same run (target ≤ 2×), its query count at two sizes,
peak memory, and the station annual report PDF (< 2 s).
"""

import io
import random
import time
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from stations.exports import get_report
from stations.figures import Period, all_figures
from stations.models import Funding, OrgKind, OrgUnit, PartnerType, Role, StationStatus, User, Workstation
from stations.reports.summary import build_summary, write_summary_xlsx

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

CITIES, COUNTIES_PER_CITY, STATIONS = 13, 10, 1500
PERIOD = Period(2025)


def generate(stations=STATIONS, seed=7):
    """A province: 13 cities × 10 counties, `stations` workstations spread over them, two funding rows each."""
    rng = random.Random(seed)
    province = OrgUnit.objects.create(kind=OrgKind.PROVINCE, name="基准省", code="BENCH")
    counties = []
    for c in range(CITIES):
        city = OrgUnit.objects.create(kind=OrgKind.CITY, name=f"基准市{c:02d}", code=f"BC{c:02d}", parent=province)
        for k in range(COUNTIES_PER_CITY):
            counties.append(
                OrgUnit.objects.create(
                    kind=OrgKind.COUNTY, name=f"基准县{c:02d}{k:02d}", code=f"BK{c:02d}{k:02d}", parent=city
                )
            )
    statuses = [StationStatus.ACTIVE] * 17 + [StationStatus.DEFERRED, StationStatus.EXEMPT, StationStatus.CLOSED]
    partners = [*PartnerType.values, ""]
    Workstation.objects.bulk_create(
        [
            Workstation(
                code=f"BS{i:05d}",
                name=f"基准{i}派出所关爱工作站",
                police_station=f"基准{i}派出所",
                county=counties[i % len(counties)],
                org_path=counties[i % len(counties)].path,
                status=rng.choice(statuses),
                partner_type=rng.choice(partners),
            )
            for i in range(stations)
        ],
        batch_size=500,
    )
    ids = list(Workstation.objects.filter(org_path__startswith=province.path).values_list("pk", flat=True))
    Funding.objects.bulk_create(
        [
            Funding(workstation_id=pk, year=year, amount_yuan=Decimal(rng.randint(0, 50000)))
            for pk in ids
            for year in (2024, 2025)
        ],
        batch_size=1000,
    )
    officer = User.objects.create(username="bench_prov", role=Role.PROVINCE_OFFICER, org_unit=province)
    analyze()
    return province, officer


def analyze():
    """Fresh planner statistics, as autovacuum would have them in a real province database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def plain_sql(province):
    """The same numbers with hand-written aggregates: per station, per county, per city, province."""
    stations = Workstation.objects.filter(org_path__startswith=province.path + ".")
    flags = list(stations.values("pk", "county_id", "county__parent_id", "status", "partner_type"))
    funding = Funding.objects.filter(workstation__org_path__startswith=province.path + ".", year=PERIOD.year)
    per_station = dict(
        funding.values("workstation_id").annotate(t=Sum("amount_yuan")).values_list("workstation_id", "t")
    )
    per_county = list(funding.values("workstation__county_id").annotate(t=Sum("amount_yuan")))
    per_city = list(funding.values("workstation__county__parent_id").annotate(t=Sum("amount_yuan")))
    total = funding.aggregate(t=Sum("amount_yuan"))["t"]
    status_terms = {f"s_{s}": Count("pk", filter=Q(status=s)) for s in StationStatus.values}
    partner_terms = {
        f"p_{p}": Count("pk", filter=Q(partner_type=p, status=StationStatus.ACTIVE)) for p in PartnerType.values
    }
    county_counts = list(stations.values("county_id").annotate(**status_terms, **partner_terms))
    city_counts = list(stations.values("county__parent_id").annotate(**status_terms, **partner_terms))
    province_counts = stations.aggregate(**status_terms, **partner_terms)
    return flags, per_station, per_county, per_city, total, county_counts, city_counts, province_counts


def best_of(n, func):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def test_yearly_summary_against_plain_sql(capsys):
    province, officer = generate()
    # The plain SQL computes the stations app's figures (status, joint-build type, funding): compare the
    # summary on the same figures; the whole summary (every app's figures) is timed below.
    same = [fig for fig in all_figures() if fig.key.startswith("stations.")]
    # Interleaved, best of 15 each: the machine is shared, so both sides see the same noise.
    sql_times, summary_times = [], []
    for _ in range(15):
        seconds, sql = best_of(1, lambda: plain_sql(province))
        sql_times.append(seconds)
        seconds, summary = best_of(1, lambda: build_summary(root=province, period=PERIOD, figures=same))
        summary_times.append(seconds)
    sql_seconds, summary_seconds = min(sql_times), min(summary_times)
    assert summary.total.values["stations.funding_yuan"] == sql[4]
    assert summary.total.values["stations.status_active"] == sql[7]["s_active"]
    excel_seconds, (content, _rows) = best_of(
        3, lambda: write_summary_xlsx(build_summary(root=province, period=PERIOD), user=officer, title="基准")
    )
    ratio = summary_seconds / sql_seconds
    with CaptureQueriesContext(connection) as queries:
        full_seconds, _full = best_of(3, lambda: build_summary(root=province, period=PERIOD))
    with capsys.disabled():
        print(
            f"\nwhole summary, all {len(all_figures())} figures: {full_seconds * 1000:.0f} ms, "
            f"{len(queries.captured_queries) // 3} queries"
        )
        print(
            f"\nsummary of {STATIONS} stations, {len(same)} figures: build {summary_seconds * 1000:.0f} ms, "
            f"plain SQL {sql_seconds * 1000:.0f} ms (ratio {ratio:.2f}), build + Excel {excel_seconds * 1000:.0f} ms, "
            f"file {len(content) // 1024} KiB"
        )
    assert ratio <= 2.0
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert sum(1 for _row in book["工作站"].iter_rows()) == STATIONS + 1


def test_query_count_does_not_depend_on_station_count(capsys):
    small, _ = generate(stations=300, seed=1)
    with CaptureQueriesContext(connection) as few:
        build_summary(root=small, period=PERIOD)
    Workstation.objects.all().delete()
    large, _ = generate_more(small)
    with CaptureQueriesContext(connection) as many:
        build_summary(root=large, period=PERIOD)
    with capsys.disabled():
        print(f"\nqueries: {len(few.captured_queries)} at 300 stations, {len(many.captured_queries)} at 1,500")
    assert len(few.captured_queries) == len(many.captured_queries)


def generate_more(province):
    """1,500 stations in the same org tree."""
    counties = list(OrgUnit.objects.filter(kind=OrgKind.COUNTY, path__startswith=province.path + "."))
    Workstation.objects.bulk_create(
        [
            Workstation(
                code=f"BM{i:05d}",
                name=f"扩充{i}",
                police_station=f"扩充{i}所",
                county=counties[i % len(counties)],
                org_path=counties[i % len(counties)].path,
            )
            for i in range(STATIONS)
        ],
        batch_size=500,
    )
    analyze()
    return province, None


def test_peak_memory_of_the_yearly_summary_excel(capsys):
    province, officer = generate()
    query = QueryDict(mutable=True)
    query.update({"year": "2025", "org": str(province.pk)})
    tracemalloc.start()
    get_report("province-summary").build(user=officer, params=query)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with capsys.disabled():
        print(f"\npeak Python memory of the province summary export: {peak / 2**20:.1f} MiB")
    assert peak < 300 * 2**20


def test_station_annual_report_pdf_under_two_seconds(capsys):
    province, _officer = generate(stations=50)
    station = Workstation.objects.filter(org_path__startswith=province.path + ".").first()
    head = User.objects.create(username="bench_head", role=Role.STATION_HEAD, workstation=station)
    query = QueryDict(mutable=True)
    query.update({"workstation": str(station.pk), "year": "2025"})
    report = get_report("station-annual-report")
    report.build(user=head, params=query)  # warm up fonts
    seconds, result = best_of(3, lambda: report.build(user=head, params=query))
    with capsys.disabled():
        print(f"\nstation annual report PDF: {seconds * 1000:.0f} ms, {len(result.content) // 1024} KiB")
    assert seconds < 2.0
