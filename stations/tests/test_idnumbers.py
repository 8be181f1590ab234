"""GB 11643 ID numbers and the 周岁 age rule, against DOMAIN.md §8's table."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from stations import idnumbers


@pytest.mark.parametrize(
    ("value", "born", "gender"),
    [
        ("11010519491231002X", date(1949, 12, 31), "female"),
        ("440524188001010014", date(1880, 1, 1), "male"),
        ("230102201203150036", date(2012, 3, 15), "male"),
        ("320402201001010076", date(2010, 1, 1), "male"),
        ("230102200907310048", date(2009, 7, 31), "female"),
    ],
)
def test_valid_numbers_pass_with_their_birth_date_and_gender(value, born, gender):
    assert idnumbers.validate(value, birth_date=born, gender=gender) == value


@pytest.mark.parametrize("value", ["110105194912310021", "440524188001010015"])
def test_wrong_check_character_is_refused_in_chinese(value):
    with pytest.raises(ValidationError, match="校验位错误"):
        idnumbers.validate(value)


def test_every_single_digit_change_is_caught():
    valid = "11010519491231002X"
    for position in range(17):
        digit = int(valid[position])
        for replacement in {(digit + 1) % 10, (digit + 7) % 10}:
            changed = valid[:position] + str(replacement) + valid[position + 1 :]
            with pytest.raises(ValidationError):
                idnumbers.validate(changed)


def test_legacy_15_digit_number_is_upgraded():
    assert idnumbers.normalise("110105491231002") == "11010519491231002X"


def test_full_width_digits_and_lowercase_x_normalise_to_the_same_hash():
    full_width = "１１０１０５１９４９１２３１００２ｘ"
    assert idnumbers.normalise(full_width) == "11010519491231002X"
    assert idnumbers.lookup_hash(full_width) == idnumbers.lookup_hash("11010519491231002x ")


def test_february_30_is_refused():
    body = "11010520100230001"
    with pytest.raises(ValidationError, match="出生日期不存在"):
        idnumbers.validate(body + idnumbers.check_char(body))


def test_mismatching_birth_date_and_gender_are_refused():
    with pytest.raises(ValidationError, match=r"出生日期.*不一致"):
        idnumbers.validate("230102201203150036", birth_date=date(2012, 3, 16))
    with pytest.raises(ValidationError, match="性别位"):
        idnumbers.validate("230102201203150036", gender="female")


def test_generated_numbers_are_valid():
    number = idnumbers.make("230102", date(2012, 3, 15), 3)
    assert number == "230102201203150036"
    assert idnumbers.gender_of(number) == "male"


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2012, 3, 15), date(2026, 3, 15), 13),
        (date(2012, 3, 15), date(2026, 3, 16), 14),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 19),
        (date(2008, 2, 29), date(2028, 3, 1), 20),
    ],
)
def test_age_counts_from_the_day_after_the_anniversary(born, on, age):
    assert idnumbers.age_on(born, on) == age


def _strategies():
    from hypothesis import strategies as st

    areas = st.sampled_from(["110105", "230102", "231102", "320402", "440524"])
    born = st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31))
    return areas, born, st.integers(min_value=0, max_value=999)


def test_property_generated_numbers_validate_and_any_digit_change_is_caught():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    areas, born, sequence = _strategies()

    @settings(max_examples=200, derandomize=True, deadline=None)
    @given(areas, born, sequence, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
    def check(area, birth, seq, position, shift):
        number = idnumbers.make(area, birth, seq)
        assert idnumbers.validate(number, birth_date=birth, gender=idnumbers.gender_of(number)) == number
        changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
        with pytest.raises(ValidationError):
            idnumbers.validate(changed)

    check()
