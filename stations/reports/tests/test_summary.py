"""The yearly summary: hand-computed numbers, reconciliation across levels, merges, not-submitted lists,
no personal names, and a query count that does not grow with the number of stations."""

import io
from datetime import date

import pytest
from django.db import connection
from django.http import Http404, QueryDict
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from stations.exports import get_report
from stations.figures import Period
from stations.models import Funding, OrgKind, StationStatus
from stations.reports.summary import build_summary
from stations.tests.factories import OrgUnitFactory, WorkstationFactory


def build(user, **params):
    query = QueryDict(mutable=True)
    query.update({"year": "2025", **params})
    slug = "province-summary" if user.role == "province_officer" else "area-summary"
    return get_report(slug).build(user=user, params=query)


def sheets(result) -> dict[str, list[dict]]:
    book = load_workbook(io.BytesIO(result.content), read_only=True)
    out = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if sheet.title == "说明":
            out["说明"] = rows
            continue
        header = rows[0]
        out[sheet.title] = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return out


@pytest.fixture
def tree(world):
    """Side a: two stations and a third merged into the first; side b: one station; z elsewhere."""
    second = WorkstationFactory(county=world.a.county, name="甲二派出所关爱工作站")
    merged = WorkstationFactory(
        county=world.a.county,
        name="甲三派出所关爱工作站",
        status=StationStatus.MERGED,
        merged_into=world.a.station,
        status_changed_on=date(2025, 3, 1),
    )
    for station, amount in [(world.a.station, 1000), (world.a.station, 500), (second, 300), (merged, 100)]:
        Funding.objects.create(workstation=station, year=2025, amount_yuan=amount)
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=250)
    Funding.objects.create(workstation=world.b.station, year=2024, amount_yuan=9999)
    Funding.objects.create(workstation=world.z.station, year=2025, amount_yuan=7777)
    return {"second": second, "merged": merged}


FUNDING = "到位经费（元）"


def test_hand_computed_funding_on_every_level(world, tree):
    data = sheets(build(world.user("prov")))
    assert data["合计"][0]["单位"] == world.a.province.name
    assert data["合计"][0][FUNDING] == 2150  # 1000 + 500 + 300 + 100 + 250; not 2024, not province z
    cities = {row["市（地）"]: row[FUNDING] for row in data["市（地）"]}
    assert cities == {world.a.city.name: 1900, world.b.city.name: 250}
    counties = {row["县（区）"]: row[FUNDING] for row in data["县（区）"]}
    assert counties == {world.a.county.name: 1900, world.b.county.name: 250}
    stations = {row["工作站"]: row for row in data["工作站"]}
    # The merged station's records count under its successor; it has no row of its own.
    assert tree["merged"].name not in stations
    assert stations[world.a.station.name][FUNDING] == 1600
    assert stations[world.a.station.name]["并入站点"] == tree["merged"].name
    assert stations[tree["second"].name][FUNDING] == 300
    assert world.z.station.name not in stations


def test_cover_says_who_when_and_which_year(world, tree):
    cover = sheets(build(world.user("prov")))["说明"]
    text = " ".join(str(cell) for row in cover for cell in row if cell)
    assert "2025年" in text
    assert world.user("prov").username in text
    assert "导出时间" in text


def test_additive_figures_reconcile_across_levels(world, tree, test_figures):
    values = {world.a.station.pk: 7, tree["second"].pk: 5, tree["merged"].pk: 2, world.b.station.pk: 11}
    test_figures("test.visits", lambda *, station_ids, period: values, label="走访次数", unit="次")
    data = sheets(build(world.user("prov")))
    for key in [FUNDING, "走访次数（次）", "工作站（已建）（个）", "工作站（已合并）（个）"]:
        total = data["合计"][0][key]
        assert sum(row[key] for row in data["市（地）"]) == total, key
        assert sum(row[key] for row in data["县（区）"]) == total, key
        assert sum(row[key] for row in data["工作站"]) == total, key
    assert data["合计"][0]["走访次数（次）"] == 25
    assert data["合计"][0]["工作站（已建）（个）"] == 3  # a, second, b


def test_non_additive_figure_uses_its_own_total_33_of_1038(world, tree, test_figures):
    """DOMAIN.md's example: 33 reoffended of 1038 under mentoring is 3.2 %."""
    reoffended = {world.a.station.pk: 20, world.b.station.pk: 13}
    mentored = {world.a.station.pk: 600, world.b.station.pk: 438}

    def rate(ids):
        under = sum(mentored.get(i, 0) for i in ids)
        return round(100 * sum(reoffended.get(i, 0) for i in ids) / under, 1) if under else 0

    test_figures(
        "test.rate",
        lambda *, station_ids, period: {i: rate([i]) for i in station_ids},
        label="重新违法犯罪率",
        unit="%",
        additive=False,
        total=lambda *, station_ids, period: rate(station_ids),
    )
    data = sheets(build(world.user("prov")))
    assert data["合计"][0]["重新违法犯罪率（%）"] == 3.2
    cities = {row["市（地）"]: row["重新违法犯罪率（%）"] for row in data["市（地）"]}
    assert cities == {world.a.city.name: 3.3, world.b.city.name: 3.0}


def test_not_submitted_sheet_without_the_inspections_figure_lists_every_active_station(world, tree, test_figures):
    test_figures.remove("inspections.")
    data = sheets(build(world.user("prov")))
    listed = {row["工作站"] for row in data["未提交年度台账"]}
    assert listed == {world.a.station.name, tree["second"].name, world.b.station.name}
    assert "尚未登记" in data["未提交年度台账"][0]["说明"]
    counties = {row["县（区）"]: row["未提交工作站数"] for row in data["未提交县（区）"]}
    assert counties == {world.a.county.name: 2, world.b.county.name: 1}


def test_not_submitted_sheet_with_the_inspections_figure(world, tree, test_figures):
    test_figures(
        "inspections.checklist_submitted",
        lambda *, station_ids, period: {world.a.station.pk: 1, world.b.station.pk: 1},
        label="年度台账已提交",
    )
    data = sheets(build(world.user("prov")))
    assert [row["工作站"] for row in data["未提交年度台账"]] == [tree["second"].name]
    assert [row["县（区）"] for row in data["未提交县（区）"]] == [world.a.county.name]


def test_no_person_name_anywhere(world, tree):
    """Real people in the station (a minor, a volunteer, the heads, an account) are counted in the
    workbook, yet none of their names or numbers is written anywhere in it."""
    from mentoring.tests.factories import YouthFactory, id_for
    from stations.tests.factories import UserFactory
    from volunteers.tests.factories import VolunteerFactory

    station = world.a.station
    station.head_name, station.deputy_name = "司马站长", "诸葛副站长"
    station.save()
    UserFactory(last_name="上官", first_name="录入员", workstation=station)
    volunteer = VolunteerFactory(workstation=station, name="东方志愿者")
    youth_id = id_for(date(2010, 1, 1))
    YouthFactory(workstation=station, name="欧阳未成年", id_number=youth_id, intake_on=date(2025, 5, 1))
    result = build(world.user("prov"))
    row = next(r for r in sheets(result)["工作站"] if r["工作站"] == station.name)
    assert row["新接收帮教对象（人）"] == 1 and row["在册志愿者（人）"] == 1  # the people were read
    book = load_workbook(io.BytesIO(result.content), read_only=True)
    cells = " ".join(
        str(value) for sheet in book.worksheets for line in sheet.iter_rows(values_only=True) for value in line if value
    )
    for secret in ["欧阳", youth_id, "东方志愿者", volunteer.id_number, volunteer.mobile, "司马", "诸葛", "上官"]:
        assert secret not in cells, secret


def test_city_summary_is_restricted_to_its_subtree(world, tree):
    from stations.tests.factories import UserFactory

    city_user = world.user("city")
    data = sheets(build(city_user))
    assert data["合计"][0]["单位"] == world.a.city.name
    assert data["合计"][0][FUNDING] == 1900
    assert "市（地）" not in data
    assert {row["工作站"] for row in data["工作站"]} == {world.a.station.name, tree["second"].name}
    with pytest.raises(Http404):
        build(city_user, org=str(world.b.city.pk))
    county_user = UserFactory(role="county_officer", org_unit=world.b.county)
    assert sheets(build(county_user))["合计"][0][FUNDING] == 250


def test_query_count_does_not_grow_with_stations(world, test_figures):
    def run():
        with CaptureQueriesContext(connection) as ctx:
            summary = build_summary(root=world.a.province, period=Period(2025))
        return len(ctx.captured_queries), summary

    few, _ = run()
    county = OrgUnitFactory(kind=OrgKind.COUNTY, parent=world.a.city)
    for _index in range(40):
        station = WorkstationFactory(county=world.a.county)
        Funding.objects.create(workstation=station, year=2025, amount_yuan=10)
    many, summary = run()
    assert many == few
    assert len(summary.stations) == 42
    assert county.name in {row.name for row in summary.counties}


def test_county_summary_pdf(world, tree, client_as):
    from django.urls import reverse
    from pypdf import PdfReader

    url = reverse("stations:export-download", kwargs={"slug": "county-summary-pdf"})
    response = client_as(world.user("county")).get(url, {"year": "2025"})
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"{world.a.county.name}2025年工作汇总" in text
    assert world.a.station.name in text and tree["second"].name in text
    assert "1,900" in text  # the county's funding total
    assert world.b.station.name not in text
    city = client_as(world.user("city"))
    assert city.get(url, {"year": "2025", "org": world.a.county.pk}).status_code == 200
    assert city.get(url, {"year": "2025", "org": world.b.county.pk}).status_code == 404
    assert client_as(world.user("staff")).get(url, {"year": "2025"}).status_code == 403
