"""Server-side SVG charts: escaped text, links, no style attributes (strict CSP)."""

from stations.charts import Bar, bar_chart, column_chart


def test_bar_chart_escapes_labels_and_links_bars():
    svg = str(bar_chart([Bar("<script>alert(1)</script>站", 12, "/x/?a=1&b=2"), Bar("乙站", 3)], title="标题<b>"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'href="/x/?a=1&amp;b=2"' in svg
    assert "标题&lt;b&gt;" in svg
    assert "style=" not in svg
    assert svg.count("<rect") == 2


def test_percent_chart_and_column_chart():
    svg = str(bar_chart([Bar("理论学习", 66.7)], percent=True))
    assert "66.7%" in svg and "100%" in svg
    svg = str(column_chart([Bar("<60", 1), Bar("90–100", 4)], title="分布"))
    assert svg.count("<rect") == 2
    assert "&lt;60" in svg


def test_empty_chart_still_renders():
    svg = str(bar_chart([], title="空"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def _bar_widths(svg: str) -> list[float]:
    import re

    return [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]


def test_a_value_above_full_marks_is_drawn_longer_than_full_marks():
    svg = str(bar_chart([Bar("甲站", 102), Bar("乙站", 100)], peak=100, ticks=[0, 60, 80, 90, 100]))
    wider, full = _bar_widths(svg)
    assert wider > full


def test_a_missing_value_is_a_dash_without_a_bar():
    svg = str(bar_chart([Bar("甲站", None), Bar("乙站", 80, colour="#c62828")], peak=100, decimals=1))
    assert svg.count("<rect") == 1 and 'fill="#c62828"' in svg and ">—</text>" in svg and ">80.0</text>" in svg
