"""Server-side SVG charts: escaped text, links, no style attributes (strict CSP)."""

from stations.reports.charts import Bar, bar_chart, column_chart


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
