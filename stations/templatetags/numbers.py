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


@register.filter
def yuan(value):
    """Money, one format everywhere (pages and PDFs): 10000 → "10,000 元", 8000.50 → "8,000.5 元"."""
    return f"{num(value)} 元"
