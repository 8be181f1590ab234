"""Dashboards: key figures against the previous period, ranking, SVG charts with links, fixed queries."""

import re

from django.urls import reverse

from stations.figures import FIGURES
from stations.models import Funding, OrgKind, WorkSystem
from stations.tests.factories import OrgUnitFactory, WorkstationFactory


def dashboard(client, **params):
    return client.get(reverse("reports:dashboard"), params)


def test_province_dashboard_shows_totals_change_and_ranking(world, client_as):
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=800)
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=200)
    Funding.objects.create(workstation=world.b.station, year=2024, amount_yuan=600)
    Funding.objects.create(workstation=world.z.station, year=2025, amount_yuan=5000)
    response = dashboard(client_as(world.user("prov")), period="2025", rank="stations.funding_yuan")
    assert response.status_code == 200
    page = response.content.decode()
    card = page[page.index('data-testid="kpi-stations.funding_yuan"') :]
    card = card[: card.index("</div></div>")]
    assert ">1,000<" in card.replace(" ", "")
    assert "上期 600" in card
    assert "+400" in card
    ranking = page[page.index('data-testid="ranking"') :]
    assert ranking.index(world.a.city.name) < ranking.index(world.b.city.name)  # 800 before 200
    assert world.z.city.name not in page
    assert "<svg" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'style="' not in page


def test_half_year_period_and_previous_half(world, client_as, test_figures):
    def sessions(*, station_ids, period):
        return {world.a.station.pk: 4 if period.half == 1 else 9}

    test_figures("activities.sessions", sessions, label="活动场次", unit="场")
    page = dashboard(client_as(world.user("county")), period="2025H2").content.decode()
    assert "2025年下半年" in page
    card = page[page.index('data-testid="kpi-activities.sessions"') :]
    card = card[: card.index("</div></div>")]
    assert "上期 4" in card
    assert "+5" in card


def test_figures_link_to_the_list_behind_them(world, client_as, test_figures):
    test_figures(
        "activities.sessions",
        lambda *, station_ids, period: {world.a.station.pk: 3},
        label="活动场次",
        unit="场",
        link="stations:workstation-list",
    )
    page = dashboard(client_as(world.user("county")), period="2025").content.decode()
    list_url = reverse("stations:workstation-list")
    assert f'href="{list_url}?period=2025&amp;org={world.a.county.pk}"' in page
    # A county's sub-units are its stations: their links filter by workstation.
    assert f'href="{list_url}?period=2025&amp;workstation={world.a.station.pk}"' in page


def test_six_system_coverage_and_score_distribution_when_figures_exist(world, client_as, test_figures):
    second = WorkstationFactory(county=world.a.county)
    for index, (system, _label) in enumerate(WorkSystem.choices):
        values = {world.a.station.pk: 1} if index % 2 else {world.a.station.pk: 1, second.pk: 2}
        test_figures(f"activities.sessions_{system}", lambda *, station_ids, period, v=values: v)
    test_figures(
        "inspections.score_h2",
        lambda *, station_ids, period: {world.a.station.pk: 92, second.pk: 75},
        additive=False,
        total=lambda *, station_ids, period: 83.5,
    )
    page = dashboard(client_as(world.user("county")), period="2025").content.decode()
    assert "六项制度活动覆盖率" in page
    assert "100%" in page and "50%" in page
    assert "检查评分分布" in page
    assert "90–100" in page


def test_charts_are_absent_without_their_figures(world, client_as, test_figures):
    test_figures.remove("activities.", "inspections.")
    page = dashboard(client_as(world.user("county")), period="2025").content.decode()
    assert "六项制度活动覆盖率" not in page
    assert "检查评分分布" not in page


def test_out_of_scope_org_is_404_and_station_roles_403(world, client_as):
    assert dashboard(client_as(world.user("city")), org=world.b.city.pk).status_code == 404
    assert dashboard(client_as(world.user("staff"))).status_code == 403


def test_province_officer_sees_one_click_export(world, client_as):
    page = dashboard(client_as(world.user("prov")), period="2025").content.decode()
    assert reverse("reports:job-start", kwargs={"slug": "province-summary"}) in page
    assert "一键导出" in page
    page = dashboard(client_as(world.user("city")), period="2025").content.decode()
    assert reverse("reports:job-start", kwargs={"slug": "area-summary"}) in page


def test_dashboard_query_count_is_fixed(world, client_as, django_assert_max_num_queries, test_figures):
    """Pinned at 50 and at 500 stations: queries depend on the figures and sub-units, never on stations."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stations.models import Workstation

    counties = [world.a.county, OrgUnitFactory(kind=OrgKind.COUNTY, parent=world.a.city)]

    def add_stations(start, stop):
        Workstation.objects.bulk_create(
            [
                Workstation(
                    code=f"B{index:05d}",
                    name=f"批量{index}",
                    police_station=f"批量{index}所",
                    county=counties[index % 2],
                    org_path=counties[index % 2].path,
                )
                for index in range(start, stop)
            ]
        )

    for system, _label in WorkSystem.choices:
        test_figures(f"activities.sessions_{system}", lambda *, station_ids, period: dict.fromkeys(station_ids, 1))
    client = client_as(world.user("city"))
    add_stations(0, 49)
    with CaptureQueriesContext(connection) as at_50:
        assert "六项制度活动覆盖率" in dashboard(client, period="2025").content.decode()
    assert len(at_50.captured_queries) <= 19 + 2 * len(FIGURES)
    add_stations(49, 499)
    assert Workstation.objects.filter(county__in=counties).count() == 500
    with django_assert_max_num_queries(len(at_50.captured_queries)):
        page = dashboard(client, period="2025").content.decode()
    assert len(re.findall('data-testid="rank-row"', page)) == 2


def test_county_dashboard_offers_the_county_pdf(world, client_as):
    page = dashboard(client_as(world.user("county")), period="2025").content.decode()
    assert 'data-testid="county-pdf"' in page
    assert f"county-summary-pdf/?org={world.a.county.pk}&amp;year=2025" in page
    assert 'data-testid="county-pdf"' not in dashboard(client_as(world.user("city")), period="2025").content.decode()


def trend_of(page: str, key: str) -> str:
    """The change line under a key figure: its colour class and its text."""
    card = page[page.index(f'data-testid="kpi-{key}"') :]
    return card[card.index('data-testid="trend"') - 60 : card.index("</div></div>")]


def test_a_rising_reoffending_rate_is_shown_as_bad_news(world, client_as):
    from datetime import date

    from mentoring.models import Reinvolvement
    from mentoring.tests.factories import YouthFactory

    first, _second = (YouthFactory(workstation=world.a.station, intake_on=date(2024, 1, 10)) for _ in range(2))
    Reinvolvement.objects.create(youth=first, kind="admin", on=date(2025, 3, 1))
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=800)

    page = dashboard(client_as(world.user("prov")), period="2025").content.decode()

    rate = trend_of(page, "mentoring.reoffending_rate")
    assert "+50" in rate
    assert "text-danger" in rate and "text-success" not in rate
    assert "（变差）" in rate
    funding = trend_of(page, "stations.funding_yuan")  # more money is good news: still green
    assert "+800" in funding
    assert "text-success" in funding and "text-danger" not in funding
    assert "（向好）" in funding
