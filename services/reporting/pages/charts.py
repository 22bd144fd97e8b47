"""Charts as inline SVG drawn on the server: no scripts, no network, crisp in print."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence

from markupsafe import Markup, escape

WIDE = 1040  # charts across the page: drawn at about the size they are shown, so text stays 12–13 px
HALF = 500  # charts in half of the page
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee4"
PRIMARY = "#1d4f91"
SECONDARY = "#8fb3de"
ACCENT = "#b5121b"

_ids = itertools.count(1)


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    second: float | None = None  # a second bar under the first (e.g. requested beside granted)
    second_text: str | None = None


def _svg(width: int, height: int, title: str, desc: str, body: list[str], css_class: str) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="chart {css_class}" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="chart-t{n} chart-d{n}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="inherit">'
        f'<title id="chart-t{n}">{escape(title)}</title><desc id="chart-d{n}">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 13, fill: str = INK, weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}">{escape(content)}</text>'
    )


def _legend(items: Sequence[tuple[str, str, str]], y: float, x: float = 0) -> list[str]:
    """(colour, label, shape 'box'|'line') items in a row."""
    parts = []
    for colour, label, shape in items:
        if shape == "line":
            parts.append(f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 18:.1f}" y2="{y - 4:.1f}" stroke="{colour}" stroke-width="3"/>')
            parts.append(f'<circle cx="{x + 9:.1f}" cy="{y - 4:.1f}" r="3.5" fill="{colour}"/>')
        else:
            parts.append(f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14" rx="2" fill="{colour}"/>')
        parts.append(_text(x + 24, y, label, size=12, fill=MUTED))
        x += 24 + 7.2 * len(label) + 22
    return parts


def _text_width(text: str, size: int = 12) -> float:
    return len(text) * size * 0.6


def hbars(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    legend: Sequence[tuple[str, str]] = (),
    label_width: int = 200,
    width: int = HALF,
) -> Markup:
    """Horizontal bars, one row per item; with `second` values each row has two bars."""
    paired = any(b.second is not None for b in bars)
    row = 46 if paired else 30
    top = 30 if legend else 6
    height = top + row * len(bars) + 6
    value_room = 16 + max([_text_width(b.text) for b in bars] + [_text_width(b.second_text or "") for b in bars])
    span = max(width - label_width - value_room, 40)
    peak = max([b.value for b in bars] + [b.second or 0 for b in bars] + [1])
    body: list[str] = []
    if legend:
        body += _legend([(colour, label, "box") for colour, label in legend], 16, x=label_width)
    for index, bar in enumerate(bars):
        y = top + index * row
        body.append(_text(label_width - 10, y + (row / 2) + 4, bar.label, anchor="end"))
        heights = [(bar.value, bar.text, PRIMARY)]
        if paired:
            heights.append((bar.second or 0, bar.second_text or "", SECONDARY))
        thickness = 16 if paired else 18
        for offset, (value, text, colour) in enumerate(heights):
            by = y + (row - thickness * len(heights) - 2 * (len(heights) - 1)) / 2 + offset * (thickness + 2)
            length = max(span * value / peak, 2 if value else 0)
            body.append(
                f'<rect x="{label_width}" y="{by:.1f}" width="{length:.1f}" height="{thickness}" rx="2" fill="{colour}">'
                f"<title>{escape(bar.label)}: {escape(text)}</title></rect>"
            )
            body.append(_text(label_width + length + 6, by + thickness - 4, text, size=12, fill=INK if offset == 0 else MUTED))
    body.append(f'<line x1="{label_width}" y1="{top - 2}" x2="{label_width}" y2="{height - 4}" stroke="{GRID}" stroke-width="1"/>')
    return _svg(width, height, title, desc, body, "chart-hbars")


def axis(peak: float, most_ticks: int = 6) -> tuple[int, int]:
    """(step, number of steps) of a count axis: whole steps of 1, 2, 5 × 10ⁿ reaching `peak`."""
    peak = max(int(math.ceil(peak)), 1)
    for exponent in range(0, 12):
        for base in (1, 2, 5):
            step = base * 10**exponent
            if step * most_ticks >= peak:
                return step, max(1, math.ceil(peak / step))
    raise ValueError(peak)


def columns_and_line(
    labels: Sequence[str],
    columns: Sequence[int],
    line: Sequence[int],
    *,
    title: str,
    desc: str,
    column_label: str,
    line_label: str,
) -> Markup:
    """Vertical columns (e.g. active volunteers each month) with a line (e.g. joined so far)."""
    width, height, left, right, top, bottom = WIDE, 280, 52, 28, 34, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    step, ticks = axis(max(list(columns) + list(line) + [1]))
    peak = step * ticks
    body: list[str] = _legend([(PRIMARY, column_label, "box"), (ACCENT, line_label, "line")], 16, x=left)
    for t in range(ticks + 1):
        y = top + plot_h - plot_h * t / ticks
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(left - 8, y + 4, f"{step * t:,}".replace(",", "\u00a0"), anchor="end", size=11, fill=MUTED))
    n = max(len(labels), 1)
    slot = plot_w / n
    bar = min(slot * 0.6, 44)
    every = max(1, math.ceil(n / 18))
    points = []
    for i, (label, column, joined) in enumerate(zip(labels, columns, line)):
        cx = left + slot * i + slot / 2
        h = plot_h * column / peak
        body.append(
            f'<rect x="{cx - bar / 2:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="2" '
            f'fill="{PRIMARY}"><title>{escape(label)}: {escape(column_label.lower())} {column}, '
            f"{escape(line_label.lower())} {joined}</title></rect>"
        )
        points.append((cx, top + plot_h - plot_h * joined / peak))
        if i % every == 0:
            body.append(_text(cx, height - bottom + 18, label, anchor="middle", size=11, fill=MUTED))
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{MUTED}" stroke-width="1"/>')
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2.5" stroke-linejoin="round"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT}"/>' for x, y in points]
    return _svg(width, height, title, desc, body, "chart-columns")
