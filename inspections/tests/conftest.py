"""Fixtures of the inspections tests: templates, test-only figures, rounds with scores."""

from decimal import Decimal

import pytest

from inspections import services
from inspections.example import create_example_template
from inspections.models import ChecklistTemplate, TemplateItem
from stations import figures as station_figures
from stations.models import OrgKind


@pytest.fixture
def example_template(db):
    return create_example_template(ChecklistTemplate, TemplateItem, year=2024)


@pytest.fixture
def test_figures():
    """register(key, {station_id: value}) adds a figure under a test-only key; removed afterwards."""
    added = []

    def register(key, values):
        assert key.startswith("test."), "test figures use test-only keys"

        def per_station(*, station_ids, period, _values=values):
            return {k: v for k, v in _values.items() if k in station_ids}

        station_figures.FIGURES.pop(key, None)
        station_figures.figure(key, label=key, unit="个")(per_station)
        added.append(key)

    yield register
    for key in added:
        station_figures.FIGURES.pop(key, None)


def simple_template(province, year, *, version=1):
    """One manual item of 100 points (easy to give any score), plus a veto item."""
    template = ChecklistTemplate.objects.create(province=province, year=year, version=version, name="简易细则")
    TemplateItem.objects.create(
        template=template, order=1, code="1", section="综合", text="综合评价", kind="manual", max_points=100
    )
    TemplateItem.objects.create(template=template, order=2, code="V", section="否决", text="弄虚作假", kind="veto")
    return template


def scored_round(*, officer, county, year, half, scores: dict, veto=()):
    """Open a round and submit every inspection with the given score per workstation id."""
    from datetime import date

    round = services.round_open(actor=officer, county=county, year=year, half=half)
    for inspection in round.inspections.select_related("workstation"):
        if scores.get(inspection.workstation_id) is None:
            continue
        entries = {e.item.code: e for e in inspection.items.select_related("item")}
        services.inspection_score(
            actor=officer,
            inspection=inspection,
            values={
                entries["1"].pk: [scores[inspection.workstation_id]],
                entries["V"].pk: [1 if inspection.workstation_id in veto else 0],
            },
            methods=["report", "ledger"],
            inspected_on=date(year, 6 if half == 1 else 12, 20),
        )
        services.inspection_submit(actor=officer, inspection=inspection)
    return round


@pytest.fixture
def province_template(world):
    return simple_template(world.a.province, 2020)


@pytest.fixture
def officer(world):
    return world.user("county")


def province_of(side):
    return side.county.ancestor(OrgKind.PROVINCE)


D = Decimal
