"""The header search: only what the user may see, youth as the youth list shows them, and "更多" leads to
the kind's list filtered by the same text (the same rows)."""

from datetime import date

import pytest
from django.urls import reverse

from activities.tests.factories import activity
from mentoring.tests.factories import YouthFactory
from volunteers.tests.factories import VolunteerFactory


def _search(client, term):
    response = client.get(reverse("search:results"), {"q": term})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def records(world):
    return {
        "volunteer": VolunteerFactory(workstation=world.a.station, name="甲志远"),
        "youth": YouthFactory(workstation=world.a.station, name="甲晓明"),
        "sealed": YouthFactory(workstation=world.a.station, name="封晓明", is_sealed=True),
        "other_volunteer": VolunteerFactory(workstation=world.b.station, name="乙志远"),
        "other_youth": YouthFactory(workstation=world.b.station, name="乙晓明"),
        "activity": activity(world.a.station, "legal_lecture", held_on=date(2025, 3, 1), title="甲站普法讲座"),
        "other_activity": activity(world.b.station, "legal_lecture", held_on=date(2025, 3, 1), title="乙站普法讲座"),
    }


def test_station_user_finds_own_volunteer_youth_activity_and_station(world, client_as, records):
    client = client_as(world.user("staff"))
    page = _search(client, "志远")
    assert "甲志远" in page and "乙志远" not in page
    page = _search(client, "晓明")
    assert "甲晓明" in page and "乙晓明" not in page
    assert "封晓明" not in page  # sealed cases are never found (DATA-2)
    page = _search(client, "普法讲座")
    assert "甲站普法讲座" in page and "乙站普法讲座" not in page
    assert world.a.station.name in _search(client, "甲站")


def test_one_character_finds_a_surname(world, client_as, records):
    page = _search(client_as(world.user("staff")), "甲")
    assert "甲志远" in page and "甲晓明" in page


def test_activities_need_three_characters_and_offer_the_list_instead(world, client_as, records):
    page = _search(client_as(world.user("staff")), "普法")
    assert "甲站普法讲座" not in page and 'data-testid="search-note"' in page
    assert 'href="/activities/?q=%E6%99%AE%E6%B3%95"' in page


def test_above_the_station_youth_are_found_by_case_number_only_and_masked(world, client_as, records):
    client = client_as(world.user("county"))
    page = _search(client, "晓明")
    assert "晓明" not in page.replace("“晓明”", "").replace('value="晓明"', "")
    page = _search(client, f"#{records['youth'].pk}")
    assert f"#{records['youth'].pk} 甲某" in page
    assert "甲晓明" not in page


def test_search_never_matches_or_shows_id_numbers(world, client_as, records):
    youth = records["youth"]
    youth.id_number = "11010520100101001X"
    youth.save()
    client = client_as(world.user("staff"))
    page = _search(client, "11010520100101001X")
    assert 'data-testid="search-row"' not in page  # no ID search is offered (the youth list has none)
    page = _search(client, "甲晓明")
    assert "甲晓明" in page and "110105" not in page and "001X" not in page


def test_more_links_to_the_list_with_the_same_filter(world, client_as):
    for n in range(12):
        VolunteerFactory(workstation=world.a.station, name=f"王志{n:02d}")
    client = client_as(world.user("staff"))
    page = _search(client, "王志")
    assert page.count('data-testid="search-row"') == 10
    more = reverse("volunteers:volunteer-list") + "?q=%E7%8E%8B%E5%BF%97"
    assert f'href="{more}"' in page
    listed = client.get(more).content.decode()
    assert listed.count("王志") >= 12


def test_administrators_have_no_search(world, client_as):
    client = client_as(world.user("audit"))
    assert client.get(reverse("search:results"), {"q": "甲"}).status_code == 403
    assert 'data-testid="header-search"' not in client.get(reverse("notifications:list")).content.decode()


def test_search_queries_do_not_grow_with_matches(world, client_as, django_assert_max_num_queries):
    client = client_as(world.user("staff"))
    for n in range(3):
        VolunteerFactory(workstation=world.a.station, name=f"李志{n}")
    with django_assert_max_num_queries(20) as few:
        _search(client, "李志")
    for n in range(30):
        VolunteerFactory(workstation=world.a.station, name=f"李志多{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        _search(client, "李志")
