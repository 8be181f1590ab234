"""The inspections blocks of the home and station pages: what is due, counted in the user's scope only."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import services
from inspections.models import AnnualChecklist
from stations.models import Role
from stations.tests.factories import UserFactory, WorkstationFactory

from .conftest import scored_round

pytestmark = pytest.mark.django_db


def panel(page: str) -> str:
    start = page.index('data-testid="inspections-panel"')
    return page[start : page.index("</div>\n</div>", start)]


def test_station_home_shows_its_own_findings_and_checklist_only(world, client_as, officer, province_template):
    neighbour = WorkstationFactory(county=world.a.county)
    round = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80, neighbour.pk: 70}
    )
    for inspection in round.inspections.select_related("workstation"):
        services.rectification_raise(
            actor=officer,
            inspection=inspection,
            finding=f"{inspection.workstation.name}的问题",
            responsible="王",
            due_on=date(2099, 1, 1),
        )
    year = timezone.localdate().year - 1
    AnnualChecklist.objects.create(workstation=neighbour, year=year, status="submitted")
    block = panel(client_as(world.user("staff")).get(reverse("stations:home")).content.decode())
    assert "待反馈整改：1 项" in block
    assert f"{world.a.station.name}的问题" in block and neighbour.name not in block
    assert 'data-testid="checklist-link">未填写<' in block  # the neighbour's submitted one is not ours
    AnnualChecklist.objects.create(workstation=world.a.station, year=year, status="submitted")
    block = panel(client_as(world.user("staff")).get(reverse("stations:home")).content.decode())
    assert 'data-testid="checklist-link">已提交<' in block


def test_county_home_counts_drafts_and_overdue_findings_of_its_county_only(
    world, client_as, officer, province_template
):
    services.round_open(actor=officer, county=world.a.county, year=2025, half=1)  # one draft to score
    neighbour_officer = UserFactory(role=Role.COUNTY_OFFICER, org_unit=world.b.county)
    round = scored_round(
        officer=neighbour_officer, county=world.b.county, year=2025, half=1, scores={world.b.station.pk: 60}
    )
    services.rectification_raise(
        actor=neighbour_officer, inspection=round.inspections.get(), finding="乙县逾期的问题", responsible="李"
    )  # overdue at once: the default deadline runs from 2025-06-20
    services.round_open(actor=neighbour_officer, county=world.b.county, year=2025, half=2)
    block = panel(client_as(officer).get(reverse("stations:home")).content.decode())
    assert 'data-testid="to-score">1<' in block
    assert 'data-testid="overdue-count">0<' in block and "乙县逾期的问题" not in block
    block = panel(client_as(neighbour_officer).get(reverse("stations:home")).content.decode())
    assert 'data-testid="to-score">1<' in block
    assert 'data-testid="overdue-count">1<' in block and "乙县逾期的问题" in block
