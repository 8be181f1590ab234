"""The scoring engine, table-driven (DOMAIN §6), including the worked example (96 → 优秀)."""

from decimal import Decimal

import pytest

from inspections import scoring
from inspections.example import EXAMPLE_BONUS_CAP, EXAMPLE_ITEMS
from inspections.scoring import Rule, Term


def example_rules():
    rules = []
    for code, _section, _text, kind, maximum, unit, target, _figure, terms, _evidence in EXAMPLE_ITEMS:
        rules.append(
            Rule(
                code,
                kind,
                Decimal(maximum),
                Decimal(str(unit)),
                None if target is None else Decimal(target),
                tuple(Term(t["figure"], Decimal(str(t["unit"])), scoring.to_decimal(t.get("target"))) for t in terms),
            )
        )
    return rules


PERFECT = {
    "1": [0],
    "2": [3],
    "3": [8],
    "4": [1],
    "5": [6],
    "6": [2],
    "7": [1],
    "8": [4],
    "9": [0, 0],
    "10": [6],
    "11": [0],
}


def test_example_template_totals_100():
    rules = example_rules()
    assert sum(r.max_points for r in rules if r.kind not in ("bonus", "veto")) == 100


def test_worked_example_scores_96_excellent():
    values = {**PERFECT, "2": [2], "5": [5], "9": [0, 1], "B1": [1]}
    result = scoring.score(example_rules(), values, bonus_cap=EXAMPLE_BONUS_CAP)
    assert result.base == Decimal(94)
    assert result.bonus == Decimal(2)
    assert result.total == Decimal(96)
    assert result.grade == "优秀"
    assert result.complete


@pytest.mark.parametrize(
    ("rule", "values", "points"),
    [
        (Rule("m", "manual", Decimal(6)), [4.5], Decimal("4.5")),
        (Rule("m", "manual", Decimal(6)), [9], Decimal(6)),  # clamped to max
        (Rule("m", "manual", Decimal(6)), [-2], Decimal(0)),  # clamped to 0
        (Rule("b", "boolean", Decimal(4)), [True], Decimal(4)),
        (Rule("b", "boolean", Decimal(4)), [0], Decimal(0)),
        (Rule("d", "deduct_per_unit", Decimal(8), Decimal(4)), [1], Decimal(4)),
        (Rule("d", "deduct_per_unit", Decimal(8), Decimal(4)), [5], Decimal(0)),  # floor 0
        (Rule("d", "deduct_per_unit", Decimal(10), Decimal(3), Decimal(3)), [1], Decimal(4)),  # 2 short
        (Rule("d", "deduct_per_unit", Decimal(10), Decimal(3), Decimal(3)), [7], Decimal(10)),  # above target
        (Rule("t", "threshold", Decimal(6), target=Decimal(1)), [1], Decimal(6)),
        (Rule("t", "threshold", Decimal(6), target=Decimal(1)), [0], Decimal(0)),
        (
            Rule("c", "computed", Decimal(14), terms=(Term("x", Decimal("3.5"), Decimal(4)),)),
            [2],
            Decimal(7),
        ),
        (
            Rule("c", "computed", Decimal(16), terms=(Term("a", Decimal(2)), Term("b", Decimal(1)))),
            [3, 4],
            Decimal(6),
        ),
        (
            Rule("c", "computed", Decimal(16), terms=(Term("a", Decimal(2)), Term("b", Decimal(1)))),
            [9, 9],
            Decimal(0),
        ),
        (Rule("B", "bonus", Decimal(0), Decimal(2)), [2], Decimal(4)),
        (Rule("B", "bonus", Decimal(3), Decimal(2)), [2], Decimal(3)),  # per-item cap
    ],
)
def test_item_rules(rule, values, points):
    assert scoring.score_item(rule, values).points == points


def test_bonus_total_is_capped():
    rules = [
        Rule("1", "manual", Decimal(90)),
        Rule("B1", "bonus", unit=Decimal(2)),
        Rule("B2", "bonus", unit=Decimal(2)),
    ]
    result = scoring.score(rules, {"1": [88], "B1": [2], "B2": [1]}, bonus_cap=Decimal(5))
    assert result.bonus == Decimal(5)
    assert result.total == Decimal(93)


def test_missing_data_scores_zero_and_is_reported():
    rules = [Rule("1", "manual", Decimal(50)), Rule("2", "computed", Decimal(50), terms=(Term("a", Decimal(2)),))]
    result = scoring.score(rules, {"1": [40]})
    assert result.total == Decimal(40)
    assert result.missing == ("2",)
    assert not result.complete
    assert scoring.score_item(rules[1], [None]).missing_data


def test_unanswered_bonus_and_veto_are_not_missing():
    rules = [Rule("1", "manual", Decimal(100)), Rule("B", "bonus", unit=Decimal(2)), Rule("V", "veto")]
    result = scoring.score(rules, {"1": [70]})
    assert result.complete
    assert result.grade == "合格"


def test_veto_fails_whatever_the_score():
    values = {**PERFECT, "V1": [True]}
    result = scoring.score(example_rules(), values, bonus_cap=EXAMPLE_BONUS_CAP)
    assert result.total == Decimal(100)
    assert result.vetoed
    assert result.grade == "不合格"


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (Decimal(90), "优秀"),
        (Decimal("89.9"), "良好"),
        (Decimal(80), "良好"),
        (Decimal(60), "合格"),
        (Decimal("59.5"), "不合格"),
    ],
)
def test_default_grades(total, grade):
    assert scoring.grade_for(total) == grade


def test_configured_grades():
    grades = [[95, "优秀"], [70, "合格"]]
    assert scoring.grade_for(Decimal(94), grades=grades) == "合格"
    assert scoring.grade_for(Decimal(69), grades=grades) == "不合格"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Rule("x", "guess")


def test_penalty_for_repeated_findings_is_taken_off_the_total_with_a_floor():
    rules = [Rule("1", "manual", Decimal(100))]
    assert scoring.score(rules, {"1": [90]}, penalty=Decimal(2)).total == Decimal(88)
    assert scoring.score(rules, {"1": [90]}, penalty=Decimal(2)).grade == "良好"
    assert scoring.score(rules, {"1": [1]}, penalty=Decimal(3)).total == Decimal(0)
