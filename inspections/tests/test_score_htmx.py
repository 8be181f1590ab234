"""The scoring page's per-item save (django-htmx): with the HX-Request header the answer is the item's card
and the running total only; without it (no JavaScript) the same button submits the whole page as before."""

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Inspection

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def inspection(world, officer, province_template):
    return services.round_open(actor=officer, county=world.a.county, year=2025, half=1).inspections.get()


def _entries(inspection):
    return {e.item.code: e for e in inspection.items.select_related("item")}


def test_page_offers_a_per_item_save_that_posts_back_to_the_page(client_as, officer, inspection):
    url = reverse("inspections:inspection-score", args=[inspection.pk])
    page = client_as(officer).get(url).content.decode()
    entry = _entries(inspection)["1"]
    assert f'hx-post="{url}"' in page and f'hx-target="#item-{entry.pk}"' in page
    assert f'name="item" value="{entry.pk}"' in page  # a plain submit button without JavaScript
    assert 'id="score-total"' in page and "vendor/htmx/htmx.min.js" in page


def test_htmx_save_answers_with_the_item_card_and_the_running_total_only(client_as, officer, inspection):
    entries = _entries(inspection)
    item, veto = entries["1"], entries["V"]
    response = client_as(officer).post(
        reverse("inspections:inspection-score", args=[inspection.pk]),
        {"item": item.pk, f"v_{item.pk}_0": "88", f"note_{item.pk}": "台账较全", f"v_{veto.pk}_0": "1"},
        **HX,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and "<form" not in fragment and 'name="inspected_on"' not in fragment
    assert f'id="item-{item.pk}"' in fragment and f'id="item-{veto.pk}"' not in fragment
    assert 'id="score-total"' in fragment and 'hx-swap-oob="true"' in fragment
    assert "当前得分：88" in fragment and "已保存" in fragment
    item.refresh_from_db()
    veto.refresh_from_db()
    assert item.values == [88] and item.note == "台账较全"
    assert veto.values == [None]  # only the item whose button was pressed is saved
    stored = Inspection.objects.get(pk=inspection.pk)
    assert stored.score is not None and f"<strong>{stored.score}</strong>" in fragment


def test_htmx_save_shows_the_error_in_the_card_and_saves_nothing(client_as, officer, inspection):
    item = _entries(inspection)["1"]
    response = client_as(officer).post(
        reverse("inspections:inspection-score", args=[inspection.pk]),
        {"item": item.pk, f"v_{item.pk}_0": "120"},
        **HX,
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and "border-danger" in fragment
    assert 'value="120"' in fragment and "已保存" not in fragment
    item.refresh_from_db()
    assert item.values == [None]


def test_without_javascript_the_item_button_saves_the_whole_page(client_as, officer, inspection):
    entries = _entries(inspection)
    item, veto = entries["1"], entries["V"]
    url = reverse("inspections:inspection-score", args=[inspection.pk])
    data = {"item": item.pk, "methods": ["report"], "inspected_on": "2025-06-10", f"v_{item.pk}_0": "90"}
    response = client_as(officer).post(url, {**data, f"v_{veto.pk}_0": "1"})
    assert response.status_code == 302 and response["Location"] == url
    page = client_as(officer).get(url).content.decode()
    assert "<html" in page and "已保存评分" in page and 'value="90"' in page
    veto.refresh_from_db()
    assert veto.values == [1]  # the whole form was saved


def test_htmx_save_of_an_item_of_another_inspection_is_not_found(world, client_as, officer, inspection):
    other = services.round_open(actor=officer, county=world.a.county, year=2025, half=2).inspections.get()
    foreign = _entries(other)["1"]
    response = client_as(officer).post(
        reverse("inspections:inspection-score", args=[inspection.pk]),
        {"item": foreign.pk, f"v_{foreign.pk}_0": "50"},
        **HX,
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.values == [None]
