"""Server-side SVG charts (DESIGN §7): the same markup goes into the web page and into the PDF.

Only presentation attributes (fill, font-size…) are used, never style attributes, so the strict CSP
holds; every text is escaped. Bars may link to the list behind them.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, sans-serif"
TICKS = 5  # grid intervals: with maxima of 1, 2, 2.5, 5 or 10 × 10^n every tick is a round number
COLOURS = ["#1f4e79", "#2e75b6", "#5b9bd5", "#9dc3e6", "#c55a11", "#70ad47"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no figure yet, drawn as "—"
    href: str = ""
    colour: str = ""  # default: the chart's alternating colours


def _svg_open(width: int, height: int, name: str, bars: list[Bar]) -> str:
    """The <svg> tag, named for screen readers. A chart whose bars link to lists is a group of links
    (an image's content is hidden from assistive technology, and links may not sit inside it)."""
    role = "group" if any(bar.href for bar in bars) else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="{FONT}" font-size="12" role="{role}" aria-label="{escape(name)}">'
    )


def _fmt(value) -> str:
    number = float(value or 0)
    return f"{int(number):,}" if number == int(number) else f"{number:,.1f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 2.5, 5, 10):
        magnitude = 10 ** (len(str(int(value))) - 1)
        if step * magnitude >= value:
            return step * magnitude
    return value


def bar_chart(
    bars: list[Bar],
    *,
    title: str = "",
    unit: str = "",
    width: int = 640,
    percent=False,
    peak: float | None = None,
    ticks: list[float] | None = None,
    decimals: int | None = None,
    label: str = "",
) -> SafeString:
    """Horizontal bars, one per item (labels in Chinese fit on the left).

    `peak` is the value the full plot width stands for (full marks, 100 %); a value above it (bonus
    points) widens the scale rather than being drawn as long as the peak. `ticks` replaces the evenly
    spaced grid (e.g. score bands 60, 80, 90, 100). `decimals` fixes the printed values' precision
    (scores read "93.0" everywhere). `label` names a chart drawn without a title for screen readers.
    """
    row, label_w, top = 24, 150, 30 if title else 8
    height = top + row * max(len(bars), 1) + 24
    plot_w = width - label_w - 70
    largest = max((float(b.value) for b in bars if b.value is not None), default=0)
    peak = float(peak) if peak else 100 if percent else _nice_max(largest)
    peak = max(peak, largest)
    parts = [_svg_open(width, height, label or title, bars)]
    if title:
        parts.append(f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#222">{escape(title)}</text>')
    for tick_value in ticks if ticks is not None else [peak * tick / TICKS for tick in range(TICKS + 1)]:
        x = label_w + plot_w * float(tick_value) / peak
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 20}" stroke="#e3e3e3"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="#666" font-size="10">'
            f"{_fmt(tick_value)}{'%' if percent else ''}</text>"
        )
    if not bars:
        parts.append(f'<text x="{label_w}" y="{top + 16}" fill="#888">—</text>')
    for index, bar in enumerate(bars):
        y = top + index * row
        label = escape(bar.label if len(bar.label) <= 12 else bar.label[:11] + "…")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" fill="#333"><title>{escape(bar.label)}</title>'
            f"{label}</text>"
        )
        if bar.value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 16}" fill="#888">—</text>')
            continue
        value = float(bar.value)
        length = plot_w * value / peak if peak else 0
        rect = (
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{escape(bar.colour or COLOURS[index % 2])}" rx="2"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 16}" fill="#222">'
            f"{_fmt(value) if decimals is None else f'{value:,.{decimals}f}'}{'%' if percent else escape(unit)}</text>"
        )
        parts.append(f'<a href="{escape(bar.href)}">{rect}</a>' if bar.href else rect)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above


def column_chart(bars: list[Bar], *, title: str = "", unit: str = "", width: int = 640, label: str = "") -> SafeString:
    """Vertical columns (distributions: score bands, months)."""
    height, top, bottom, left = 220, 30 if title else 8, 36, 40
    plot_h = height - top - bottom
    plot_w = width - left - 10
    peak = _nice_max(max((float(b.value or 0) for b in bars), default=0))
    slot = plot_w / max(len(bars), 1)
    parts = [_svg_open(width, height, label or title, bars)]
    if title:
        parts.append(f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#222">{escape(title)}</text>')
    for tick in range(TICKS + 1):
        y = top + plot_h - plot_h * tick / TICKS
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#666" font-size="10">'
            f"{_fmt(peak * tick / TICKS)}</text>"
        )
    for index, bar in enumerate(bars):
        value = float(bar.value or 0)
        h = plot_h * min(value / peak, 1) if peak else 0
        x = left + index * slot + slot * 0.15
        y = top + plot_h - h
        col = (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{COLOURS[1]}" rx="2"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle" fill="#222" font-size="11">'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
        parts.append(f'<a href="{escape(bar.href)}">{col}</a>' if bar.href else col)
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#333">'
            f"{escape(bar.label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above
