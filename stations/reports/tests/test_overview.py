"""Home pages above the county (issue 16 §2): units, not stations; reporting rates ranked; every number
opens the list it counts; the stations one click down; the page's queries do not grow with stations."""

import re
from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.models import AnnualChecklist, ChecklistStatus
from inspections.progress import checklist_due
from stations.models import OrgKind
from stations.tests.factories import OrgUnitFactory, WorkstationFactory

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
TOTAL = re.compile(r'data-total="(\d+)"')


def submitted(station, *, on: date, status=ChecklistStatus.SUBMITTED):
    return AnnualChecklist.objects.create(
        workstation=station,
        year=LAST_YEAR,
        status=status,
        submitted_at=timezone.make_aware(datetime.combine(on, time(9))),
    )


def overview_block(page: str) -> str:
    start = page.index('data-testid="unit-overview"')
    return page[start : page.index("</table>", start)]


def lines(block: str) -> list[str]:
    """Each unit line's text, in the page's order."""
    rows = re.findall(r'<tr data-testid="unit-line">(.*?)</tr>', block, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def cell(block: str, unit: str, key: str) -> tuple[str, str]:
    """(number, href) of a unit line's figure cell."""
    row = next(r for r in re.findall(r'<tr data-testid="unit-line">(.*?)</tr>', block, re.S) if f">{unit}<" in r)
    found = re.search(
        rf'(?:<a href="([^"]*)" data-figure="{re.escape(key)}">|<span data-figure="{re.escape(key)}">)(\d+)', row
    )
    return found.group(2), (found.group(1) or "").replace("&amp;", "&")


@pytest.fixture
def province(world):
    """Side a's city (甲市) with a second county; side b's city (乙市) in the same province."""
    a, b = world.a, world.b
    second = OrgUnitFactory(kind=OrgKind.COUNTY, parent=a.city, name="甲二县")
    due = checklist_due(LAST_YEAR)
    early = [WorkstationFactory(county=a.county, name=f"甲按时{i}派出所关爱工作站") for i in range(2)]
    for station in early:
        submitted(station, on=date(due.year, 1, 10))
    late = WorkstationFactory(county=second, name="甲逾期派出所关爱工作站")
    submitted(late, on=date(due.year, 3, 2), status=ChecklistStatus.REVIEWED)
    submitted(b.station, on=date(due.year, 1, 20))
    return world


def test_province_home_ranks_cities_by_on_time_rate_and_names_no_station(province, client_as):
    world = province
    page = client_as(world.user("prov")).get(reverse("stations:home")).content.decode()
    block = overview_block(page)
    # 乙市: 1 of 1 on time (100%); 甲市: 2 of 4 active stations on time (50%)
    assert [line.split()[:2] for line in lines(block)] == [["1", "乙市"], ["2", "甲市"]]
    assert 'data-rate="checklist">50.0%' in block and 'data-rate="checklist">100.0%' in block
    assert cell(block, "甲市", "inspections.checklist_on_time")[0] == "2"
    assert cell(block, "甲市", "inspections.checklist_late")[0] == "1"
    assert cell(block, "甲市", "inspections.checklist_missing")[0] == "1"
    assert "派出所关爱工作站" not in page  # units, not stations: no station is named on the province home
    assert 'data-testid="panel-stations-due"' not in page


def test_every_number_opens_the_list_of_exactly_its_rows(province, client_as):
    world = province
    client = client_as(world.user("prov"))
    block = overview_block(client.get(reverse("stations:home")).content.decode())
    checked = 0
    for unit in ("甲市", "乙市"):
        for key in (
            "inspections.checklist_on_time",
            "inspections.checklist_late",
            "inspections.checklist_missing",
            "inspections.stations_missing",
            "stations.documents_missing",
        ):
            number, href = cell(block, unit, key)
            if number == "0":
                assert not href, "a zero is not a link to an empty list"
                continue
            listed = TOTAL.search(client.get(href).content.decode()).group(1)
            assert listed == number, f"{unit} {key}: {number} on the home page, {listed} rows in {href}"
            checked += 1
    assert checked >= 6


def test_units_one_click_down_to_the_stations(province, client_as):
    world = province
    client = client_as(world.user("prov"))
    home = client.get(reverse("stations:home")).content.decode()
    city_href = re.search(r'<a href="([^"]+)">甲市</a>', home).group(1).replace("&amp;", "&")
    city_page = client.get(city_href).content.decode()
    assert [line.split()[1] for line in lines(overview_block(city_page))] == ["甲县", "甲二县"]
    assert "返回上一级" in city_page
    county_href = re.search(r'<a href="([^"]+)">甲县</a>', city_page).group(1).replace("&amp;", "&")
    county_block = overview_block(client.get(county_href).content.decode())
    station_link = reverse("stations:workstation-detail", args=[world.a.station.pk])
    assert f'<a href="{station_link}">{world.a.station.name}</a>' in county_block


def test_city_home_shows_its_counties_and_the_round_and_award_steps(province, client_as):
    page = client_as(province.user("city")).get(reverse("stations:home")).content.decode()
    assert [line.split()[1] for line in lines(overview_block(page))] == ["甲县", "甲二县"]
    assert "乙" not in overview_block(page)
    progress = page[page.index('data-testid="supervisor-progress"') :]
    assert "已开启 0 / 2 个县（区）" in progress
    assert "尚未开启评选" in progress


def test_a_county_officer_cannot_open_the_city_above(province, client_as):
    client = client_as(province.user("county"))
    assert client.get(reverse("reports:overview"), {"org": province.a.city.pk}).status_code == 404
    page = client.get(reverse("reports:overview")).content.decode()
    assert "返回上一级" not in page  # the user's own unit has no way up


def test_home_queries_do_not_grow_with_stations(province, client_as):
    world = province

    def queries():
        client = client_as(world.user("prov"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("stations:home")).status_code == 200
        return len(captured)

    before = queries()
    for i in range(12):
        station = WorkstationFactory(county=world.b.county, name=f"乙新{i}派出所关爱工作站")
        if i % 2:
            submitted(station, on=checklist_due(LAST_YEAR))
    assert queries() == before
