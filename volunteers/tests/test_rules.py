"""Pure rules: staffing check, star levels, ID checksum (property-style over many generated numbers)."""

import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from stations import idnumbers
from volunteers.selectors import staffing_problems, star_level


def member(position="member", member_type="retired_officer"):
    return {"position": position, "member_type": member_type}


def test_a_complete_station_has_no_staffing_problems():
    members = [
        member("head", "community_police"),
        member("deputy"),
        member(),
        member(),
        member("member", "grid_worker"),
    ]
    assert staffing_problems(members) == []


def test_an_empty_station_lists_every_rule_in_chinese():
    assert staffing_problems([]) == [
        "未配备站长",
        "未配备副站长",
        "退休民警 0 名，应为 3–5 名",
        "成员中缺少社区民警、辅警、网格员或治安志愿者",
    ]


@pytest.mark.parametrize(("retired", "ok"), [(2, False), (3, True), (5, True), (6, False)])
def test_three_to_five_retired_officers(retired, ok):
    members = [member("head", "community_police"), member("deputy", "grid_worker")] + [member()] * retired
    problems = staffing_problems(members)
    assert (problems == []) is ok
    if not ok:
        assert problems == [f"退休民警 {retired} 名，应为 3–5 名"]


@pytest.mark.parametrize(
    ("hours", "stars"), [(0, 0), (99.9, 0), (100, 1), (299, 1), (300, 2), (600, 3), (1000, 4), (1500, 5), (9999, 5)]
)
def test_star_levels_default_thresholds(hours, stars):
    assert star_level(hours) == stars


def test_star_thresholds_come_from_settings(settings):
    settings.VOLUNTEER_STAR_HOURS = (10, 20)
    assert star_level(15) == 1 and star_level(25) == 2


def test_known_valid_id_passes_and_any_single_digit_change_fails():
    number = "11010519491231002X"
    assert idnumbers.validate(number) == number
    for position in range(17):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            changed = number[:position] + digit + number[position + 1 :]
            with pytest.raises(ValidationError):
                idnumbers.validate(changed)


def test_generated_ids_round_trip_birth_date_and_gender():
    rng = random.Random(11643)
    for _ in range(500):
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(30_000))
        sequence = rng.randrange(1000)
        number = idnumbers.make(rng.choice(["230102", "110105", "230104"]), born, sequence)
        gender = "male" if sequence % 2 else "female"
        assert idnumbers.validate(number, birth_date=born, gender=gender) == number
        wrong = number[:17] + ("0" if number[17] != "0" else "1")
        with pytest.raises(ValidationError):
            idnumbers.validate(wrong)


def test_february_30_fails():
    body = "23010219560230001"
    with pytest.raises(ValidationError, match="出生日期不存在"):
        idnumbers.validate(body + idnumbers.check_char(body))
