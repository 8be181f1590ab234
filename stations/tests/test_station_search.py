"""Station filters are a search box (issue 15 §3): the lookup answers the user's stations only, the box
accepts an id (figure links), a code or a unique exact name, and no list page renders every station."""

import pytest

from stations.tests.factories import WorkstationFactory

pytestmark = pytest.mark.django_db


def test_lookup_offers_matching_stations_in_scope_only(world, client_as):
    mine = WorkstationFactory(county=world.a.county, name="城东派出所关爱工作站")
    WorkstationFactory(county=world.b.county, name="城东镇派出所关爱工作站")  # another county's
    client = client_as(world.user("county"))
    page = client.get("/stations/lookup/", {"q": "城东"}).content.decode()
    assert f'value="{mine.code}"' in page and page.count("<option") == 1
    by_code = client.get("/stations/lookup/", {"workstation": mine.code.lower()}).content.decode()
    assert f'value="{mine.code}"' in by_code
    assert "<option" not in client.get("/stations/lookup/", {"q": " "}).content.decode()


@pytest.mark.parametrize("value", ["pk", "code", "name"])
def test_volunteer_list_filters_by_id_code_or_exact_name(world, client_as, value):
    from volunteers.tests.factories import VolunteerFactory

    other = WorkstationFactory(county=world.a.county, name="城西派出所关爱工作站")
    VolunteerFactory(workstation=world.a.station, name="站甲志愿者")
    VolunteerFactory(workstation=other, name="城西志愿者")
    given = {"pk": other.pk, "code": other.code, "name": other.name}[value]
    page = client_as(world.user("county")).get("/volunteers/", {"workstation": given}).content.decode()
    assert "城西志愿者" in page and "站甲志愿者" not in page
    # the box shows the station's code and offers a datalist, not an option per station
    assert f'value="{other.code}"' in page and 'list="id_workstation-options"' in page
    assert world.a.station.name not in page.split('id="id_workstation"', 1)[1].split("</form>", 1)[0]


def test_station_outside_scope_or_unknown_is_a_field_error(world, client_as):
    client = client_as(world.user("county"))
    for given in [world.b.station.pk, world.b.station.code, "没有这个站"]:
        page = client.get("/volunteers/", {"workstation": given}).content.decode()
        assert "所选工作站不存在或不在您的管辖范围内" in page
