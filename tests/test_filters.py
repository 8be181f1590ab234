"""One parser for period and unit filters (stations.filters): every list says the same thing about the same
mistake, a unit or station outside the user's scope is a field error with no rows (never a filter on
someone else's rows), and the query parameters of old bookmarks and dashboard links still work."""

import pytest
from django.urls import reverse

from stations.filters import PERIOD_FORMAT_MESSAGE, PERIOD_RANGE_MESSAGE, STATION_MESSAGE, UNIT_MESSAGE

pytestmark = pytest.mark.django_db

# Every list that filters by period and unit, with the role that reads it.
PERIOD_LISTS = [
    "activities:activity-list",
    "volunteers:volunteer-list",
    "volunteers:training-list",
    "mentoring:youth-list",
    "mentoring:call-list",
    "mentoring:encounter-list",
    "inspections:round-list",
    "inspections:rectification-list",
]
UNIT_LISTS = [*PERIOD_LISTS, "stations:workstation-list"]


def _get(client, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.mark.parametrize("name", PERIOD_LISTS)
@pytest.mark.parametrize(
    ("period", "message"),
    [("2025H3", PERIOD_FORMAT_MESSAGE), ("去年", PERIOD_FORMAT_MESSAGE), ("1999", PERIOD_RANGE_MESSAGE)],
)
def test_a_bad_period_gets_the_same_message_on_every_list_and_no_rows(world, client_as, name, period, message):
    response, page = _get(client_as(world.user("county")), name, {"period": period})
    assert str(message) in page
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("name", UNIT_LISTS)
@pytest.mark.parametrize("side", ["b", "z"])  # a neighbour county of the province; another province
def test_a_unit_outside_the_scope_is_a_field_error_with_no_rows(world, client_as, name, side):
    foreign = getattr(world, side).county
    response, page = _get(client_as(world.user("county")), name, {"org": foreign.pk})
    assert str(UNIT_MESSAGE) in page
    assert response.context["page"].paginator.count == 0
    assert getattr(world, side).station.name not in page


@pytest.mark.parametrize("name", [n for n in PERIOD_LISTS if n != "inspections:round-list"])
def test_a_station_outside_the_scope_is_a_field_error_with_no_rows(world, client_as, name):
    response, page = _get(client_as(world.user("county")), name, {"workstation": world.b.station.pk})
    assert str(STATION_MESSAGE) in page
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("name", ["stations:workstation-list", "volunteers:volunteer-list", "activities:activity-list"])
def test_units_and_stations_outside_the_scope_are_not_offered(world, client_as, name):
    client = client_as(world.user("city"))
    _response, page = _get(client, name, {})
    if name == "stations:workstation-list":
        assert f">{world.a.county}</option>" in page  # the user's own units are offered ...
    else:  # stations are offered by the search box's lookup as the user types (issue 15 §3)
        options = client.get(reverse("stations:station-lookup"), {"q": "站"}).content.decode()
        assert f">{world.a.station.name} · " in options
        for side in (world.b, world.z):
            assert side.station.name not in options
    for side in (world.b, world.z):  # ... a neighbour city's and another province's are not
        assert f">{side.county}</option>" not in page and f">{side.city}</option>" not in page
        assert side.station.name not in page


# Query strings as the lists, the dashboards' figure links and users' bookmarks have always written them.
BOOKMARKS = {
    "activities:activity-list": "q=讲座&type=&system=legal_education&period=2025H1&workstation={station}"
    "&org={county}&partner=学校&partner_type=school",
    "volunteers:volunteer-list": "q=王&workstation={station}&elder_category=&member_type=&role=&status=current"
    "&stars=0&period=2025&org={county}",
    "volunteers:training-list": "q=培训&workstation={station}&period=2025H2&org={county}",
    "mentoring:youth-list": "q=1&stage=&risk=&category=&overdue=on&period=2025&org={county}",
    "mentoring:call-list": "q=110&kind=runaway&open=1&period=2025&org={county}&workstation={station}",
    "mentoring:encounter-list": "q=公园&period=2025H2&org={county}",
    "inspections:round-list": "q=甲&year=&half=1&period=2025H1&org={county}&workstation={station}",
    "inspections:rectification-list": "q=&status=pending&severity=&period=2025&org={county}&workstation={station}",
    "stations:workstation-list": "q=甲&city={city}&county={county}&status=active&partner_type=",
}


@pytest.mark.parametrize("name", BOOKMARKS)
def test_old_bookmarks_keep_their_parameter_names_and_meaning(world, client_as, name):
    query = BOOKMARKS[name].format(station=world.a.station.pk, county=world.a.county.pk, city=world.a.city.pk)
    role = "city" if name == "stations:workstation-list" else "county"  # a county officer has no city to pick
    response = client_as(world.user(role)).get(reverse(name) + "?" + query)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_bound and not form.errors, form.errors
    sent = dict(pair.split("=", 1) for pair in query.split("&"))
    assert set(sent) <= set(form.fields)  # every bookmarked parameter is still a filter of the page
    for key, value in sent.items():
        if value:
            assert key in form.cleaned_data and form.cleaned_data[key] not in (None, ""), key


def test_the_period_filter_keeps_its_meaning(world, client_as):
    from datetime import date

    from volunteers.tests.factories import VolunteerFactory

    VolunteerFactory(workstation=world.a.station, name="二五年在册", joined_on=date(2024, 3, 1))
    VolunteerFactory(workstation=world.a.station, name="二六年入列", joined_on=date(2026, 1, 2))
    client = client_as(world.user("county"))
    _response, page = _get(client, "volunteers:volunteer-list", {"period": "2025", "org": world.a.county.pk})
    assert "二五年在册" in page and "二六年入列" not in page
    _response, page = _get(client, "volunteers:volunteer-list", {"period": "2025h2"})  # case as typed
    assert "二五年在册" in page


def test_dashboard_explains_a_bad_period_and_shows_the_default_one(world, client_as):
    response = client_as(world.user("city")).get(reverse("reports:dashboard"), {"period": "2025H3"})
    assert response.status_code == 200
    assert str(PERIOD_FORMAT_MESSAGE) in response.content.decode()
    assert response.context["period"].half is None


def test_dashboard_of_a_unit_outside_the_scope_is_not_found(world, client_as):
    client = client_as(world.user("city"))
    assert client.get(reverse("reports:dashboard"), {"org": world.b.city.pk}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"org": world.a.county.pk}).status_code == 200


def test_an_export_link_with_a_bad_filter_is_not_found(world, client_as):
    client = client_as(world.user("staff"))
    url = reverse("stations:export-download", args=["activity-list"])
    assert client.get(url, {"period": "2025"}).status_code == 200
    assert client.get(url, {"period": "2025H3"}).status_code == 404
    assert client.get(url, {"org": world.z.county.pk}).status_code == 404


def test_checklist_list_names_a_foreign_county_with_the_same_message(world, client_as):
    _response, page = _get(client_as(world.user("city")), "inspections:checklist-list", {"county": world.b.county.pk})
    assert str(UNIT_MESSAGE) in page
    assert world.b.station.name not in page


def test_call_list_behind_the_runaway_figure_holds_the_figures_rows(world, client_as):
    """The dashboard links `mentoring.runaway_calls` to the call list with ?period=&org=: it filters now."""
    from datetime import datetime

    from django.utils import timezone

    from mentoring.models import PoliceCall

    def call(station, reference, year):
        at = timezone.make_aware(datetime(year, 3, 1, 22, 0))
        return PoliceCall.objects.create(workstation=station, kind="runaway", called_at=at, reference=reference)

    call(world.a.station, "JQ-2025-A", 2025)
    call(world.a.station, "JQ-2024-A", 2024)
    client = client_as(world.user("county"))
    _response, page = _get(client, "mentoring:call-list", {"period": "2025", "org": world.a.county.pk})
    assert "JQ-2025-A" in page and "JQ-2024-A" not in page
