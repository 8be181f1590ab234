from decimal import Decimal

from stations.templatetags.numbers import num


def test_figures_print_without_trailing_zeros():
    assert num(Decimal("19937.50")) == "19,937.5"
    assert num(Decimal("5.50")) == "5.5"
    assert num(67000) == "67,000"
    assert num(None) == "0"
    assert num(Decimal("3.175")) == "3.18"
    assert num(Decimal("3.2"), 1) == "3.2"
