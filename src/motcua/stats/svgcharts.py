"""Server-rendered SVG charts, for the PDF exports (WeasyPrint runs no JavaScript, so the
pages' Chart.js drawings cannot reach a PDF). Pure functions: numbers in, SVG text out; every
label is escaped. Each chart carries a <title> (its accessible name)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 640
PALETTE = ("#1d4ed8", "#059669", "#b45309", "#b91c1c", "#7c3aed")


def _num(value: float | None) -> float:
    return float(value) if value is not None else 0.0


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float | None], *, unit: str = ""
) -> str:
    """Horizontal bars, one per label, scaled to the largest value (or to 100 for a %)."""
    row_h, left, right = 22, 220, 60
    height = 30 + row_h * max(len(labels), 1)
    top = max([_num(v) for v in values] + [100.0 if unit == "%" else 1.0])
    span = WIDTH - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = 24 + i * row_h
        w = span * _num(value) / top if top else 0
        shown = "—" if value is None else f"{float(value):.2f}".rstrip("0").rstrip(".") + unit
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" font-size="10" text-anchor="end">'
            f"{escape(label[:38])}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="10">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
) -> str:
    """One line per series over the labels (months); a legend below."""
    height, left, bottom, top_pad = 260, 50, 60, 30
    plot_w, plot_h = WIDTH - left - 20, height - bottom - top_pad
    top = max([_num(v) for _, vs in series for v in vs] + [1.0])
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" '
        f'y2="{top_pad + plot_h}" stroke="#555"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" stroke="#555"/>',
        f'<text x="{left - 4}" y="{top_pad + 4}" font-size="9" text-anchor="end">{top:g}</text>',
        f'<text x="{left - 4}" y="{top_pad + plot_h}" font-size="9" text-anchor="end">0</text>',
    ]
    for i, label in enumerate(labels):
        x = left + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{top_pad + plot_h + 14}" font-size="9" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for k, (name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = " ".join(
            f"{left + i * step:.1f},{top_pad + plot_h - plot_h * _num(v) / top:.1f}"
            for i, v in enumerate(values)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        ly = height - 24 + 0
        lx = left + k * 180
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{ly + 9}" font-size="10">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
