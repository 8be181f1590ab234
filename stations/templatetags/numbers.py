"""Number formatting for figures: thousands separators, at most two decimals, no trailing zeros."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def num(value, places=2):
    """19937.50 → 19,937.5; 5.50 → 5.5; 67000 → 67,000; None → 0."""
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        return value
    quantum = Decimal(1).scaleb(-int(places))
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


MONEY_UNIT = "元"


def money_number(value) -> str:
    """Yuan with separators; cents only when there are any, then both digits: 10,000 and 8,000.50."""
    try:
        amount = Decimal(str(value if value not in (None, "") else 0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return value
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


@register.filter
def yuan(value):
    """Money, one format everywhere (pages, PDFs; workbooks use the matching number format):
    10000 → "10,000 元", 8000.5 → "8,000.50 元"."""
    return f"{money_number(value)} {MONEY_UNIT}"


@register.filter
def amount(value, unit=""):
    """A figure's number as its unit wants it (for tables that print the unit apart): money as yuan."""
    return money_number(value) if str(unit) == MONEY_UNIT else num(value)


@register.filter
def with_unit(value, unit=""):
    """A figure with its unit: "10,000 元", "12 人"; the one way pages and PDFs print a figure."""
    if str(unit) == MONEY_UNIT:
        return yuan(value)
    return f"{num(value)} {unit}" if unit else num(value)
