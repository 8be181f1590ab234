"""The scoring engine (DOMAIN §6): pure functions of the rules and the entered/computed values, no ORM.

Item kinds:
- ``manual``: the officer enters the points (clamped to 0..max).
- ``boolean``: yes → max, no → 0.
- ``deduct_per_unit``: max − missing × unit, floor 0. ``missing`` is the entered value, or, when the
  rule has a ``target``, max(0, target − value) (e.g. "≥ 3 retired officers, −3 per officer short").
- ``threshold``: value ≥ target → max, else 0.
- ``computed``: one or more terms, each a system figure (confirmed or corrected by the officer);
  every term deducts like ``deduct_per_unit``: max − Σ missingᵢ × unitᵢ, floor 0.
- ``bonus``: value × unit (or the entered points when unit is 0), capped per item by max; the bonus
  total is capped by the template's bonus cap.
- ``veto``: a true value makes the grade 不合格 whatever the score.

Score = Σ items clamped to 0..max + min(Σ bonus, cap).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MANUAL = "manual"
BOOLEAN = "boolean"
DEDUCT = "deduct_per_unit"
THRESHOLD = "threshold"
COMPUTED = "computed"
BONUS = "bonus"
VETO = "veto"
KINDS = (MANUAL, BOOLEAN, DEDUCT, THRESHOLD, COMPUTED, BONUS, VETO)

FAIL = "不合格"
DEFAULT_GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "优秀"),
    (Decimal(80), "良好"),
    (Decimal(60), "合格"),
)
ZERO = Decimal(0)
STEP = Decimal("0.1")


def to_decimal(value) -> Decimal | None:
    """None and "" stay None (missing data); bools become 1/0; numbers and numeric text a Decimal."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


@dataclass(frozen=True)
class Term:
    """One system figure of a computed item (or the single input of a deduction item)."""

    figure: str = ""
    unit: Decimal = ZERO
    target: Decimal | None = None
    label: str = ""

    def missing(self, value: Decimal) -> Decimal:
        if self.target is not None:
            return max(ZERO, self.target - value)
        return max(ZERO, value)


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    max_points: Decimal = ZERO
    unit: Decimal = ZERO
    target: Decimal | None = None
    terms: tuple[Term, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown item kind {self.kind!r}")

    @property
    def inputs(self) -> tuple[Term, ...]:
        """The values this rule needs: one per term for computed items, otherwise one."""
        if self.kind == COMPUTED:
            return self.terms
        return (Term(unit=self.unit, target=self.target),)


@dataclass(frozen=True)
class ItemScore:
    code: str
    kind: str
    points: Decimal
    missing_data: bool = False
    vetoed: bool = False


@dataclass(frozen=True)
class Result:
    items: tuple[ItemScore, ...]
    base: Decimal
    bonus: Decimal
    total: Decimal
    grade: str
    vetoed: bool
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return not self.missing


def _clamp(value: Decimal, upper: Decimal) -> Decimal:
    return min(max(value, ZERO), upper)


def score_item(rule: Rule, values: Sequence) -> ItemScore:
    """Points of one item; a missing value scores 0 and is reported as missing data."""
    numbers = [to_decimal(v) for v in values] if values else []
    needed = len(rule.inputs)
    numbers = (numbers + [None] * needed)[:needed]
    if any(n is None for n in numbers):
        return ItemScore(rule.code, rule.kind, ZERO, missing_data=True)
    value = numbers[0]
    if rule.kind == MANUAL:
        points = _clamp(value, rule.max_points)
    elif rule.kind == BOOLEAN:
        points = rule.max_points if value else ZERO
    elif rule.kind in (DEDUCT, COMPUTED):
        deduction = sum((term.missing(n) * term.unit for term, n in zip(rule.inputs, numbers, strict=True)), ZERO)
        points = _clamp(rule.max_points - deduction, rule.max_points)
    elif rule.kind == THRESHOLD:
        points = rule.max_points if rule.target is not None and value >= rule.target else ZERO
    elif rule.kind == BONUS:
        raw = value * rule.unit if rule.unit else value
        points = _clamp(raw, rule.max_points) if rule.max_points else max(raw, ZERO)
    else:  # VETO
        return ItemScore(rule.code, rule.kind, ZERO, vetoed=bool(value))
    return ItemScore(rule.code, rule.kind, points.quantize(STEP, ROUND_HALF_UP))


def grade_for(total: Decimal, *, vetoed: bool = False, grades: Sequence = DEFAULT_GRADES) -> str:
    """The first grade whose floor the total reaches (grades sorted high to low), else 不合格."""
    if vetoed:
        return FAIL
    for floor, label in sorted(((to_decimal(f), label) for f, label in grades), reverse=True):
        if total >= floor:
            return label
    return FAIL


def score(
    rules: Sequence[Rule],
    values: dict[str, Sequence],
    *,
    bonus_cap: Decimal | None = None,
    grades: Sequence = DEFAULT_GRADES,
    penalty: Decimal = ZERO,
) -> Result:
    """Score a whole checklist. ``values`` maps an item code to its list of inputs.

    ``penalty`` is taken off the total (floor 0): DOMAIN §6 proposes 1 point per repeated finding.
    """
    items = tuple(score_item(rule, values.get(rule.code, ())) for rule in rules)
    base = sum((i.points for i in items if i.kind not in (BONUS, VETO)), ZERO)
    bonus = sum((i.points for i in items if i.kind == BONUS), ZERO)
    if bonus_cap is not None:
        bonus = min(bonus, to_decimal(bonus_cap))
    vetoed = any(i.vetoed for i in items)
    # Unanswered bonus and veto items mean "none": only scored items can be missing data.
    missing = tuple(i.code for i in items if i.missing_data and i.kind not in (BONUS, VETO))
    total = max(base + bonus - to_decimal(penalty), ZERO).quantize(STEP, ROUND_HALF_UP)
    return Result(items, base, bonus, total, grade_for(total, vetoed=vetoed, grades=grades), vetoed, missing)
