"""Quick entry with django-htmx: with the HX-Request header the answer is the entry block only (errors in
place, or the confirmation and a fresh form); without it the page posts and redirects as before."""

import pytest
from django.utils import timezone

from activities.models import Activity
from activities.tests.test_views import form_data

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_entry_form_posts_with_htmx_and_still_works_as_a_plain_form(world, client_as):
    page = client_as(world.user("staff")).get("/activities/new/").content.decode()
    assert 'id="activity-entry"' in page and 'hx-post="/activities/new/"' in page
    assert 'hx-target="#activity-entry"' in page and 'method="post"' in page


def test_htmx_save_confirms_in_place_and_offers_a_fresh_form(world, client_as):
    response = client_as(world.user("staff")).post("/activities/new/", form_data(), **HX)
    assert response.status_code == 200
    fragment = response.content.decode()
    record = Activity.objects.get()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="activity-entry">')
    assert "活动已登记：法治进校园讲座" in fragment and f'href="/activities/{record.pk}/"' in fragment
    assert 'value="法治进校园讲座"' not in fragment  # the next entry starts empty
    assert f'value="{timezone.localdate().isoformat()}"' in fragment  # dated today again
    assert record.workstation == world.a.station


def test_htmx_errors_are_shown_next_to_the_field_and_nothing_is_saved(world, client_as):
    response = client_as(world.user("staff")).post("/activities/new/", form_data(title=""), **HX)
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert 'data-field="title"' in fragment and 'value="300"' in fragment  # typed values kept
    assert not Activity.objects.exists()


def test_without_htmx_the_form_redirects_to_the_saved_activity(world, client_as):
    response = client_as(world.user("staff")).post("/activities/new/", form_data())
    record = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/activities/{record.pk}/"


def test_edit_page_is_not_turned_into_quick_entry(world, client_as):
    client = client_as(world.user("staff"))
    client.post("/activities/new/", form_data())
    record = Activity.objects.get()
    page = client.get(f"/activities/{record.pk}/edit/").content.decode()
    assert "hx-post" not in page.split('id="activity-entry"')[1].split("</form>")[0]
