"""PDF of the same tables (WeasyPrint, the project's bundled fonts, nothing fetched from the
network), with the charts as server-rendered SVG (``stats.svgcharts``)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from motcua.dossiers.legalforms.render import FONT_FILES, FONTS_DIR, local_fonts_fetcher

from .tables import Table


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def render_html(title: str, tables: list[Table], charts: list[str] | None = None) -> str:
    shaped = [
        {
            "table": t,
            "header": [
                [
                    (text, span, t.row_span(level, col) if span == 1 else 1)
                    for col, span, text in cells
                ]
                for level, cells in enumerate(t.header_cells())
            ],
            "numbers": [f"({i})" for i in range(1, len(t.columns) + 1)] if t.numbered else [],
            "rows": [[_shown(v) for v in r] for r in t.rows],
            "total": [_shown(v) for v in t.total] if t.total is not None else None,
        }
        for t in tables
    ]
    fonts = {key: (FONTS_DIR / name).as_uri() for key, name in FONT_FILES.items()}
    return render_to_string(
        "stats/pdf/report.html",
        {
            "title": title,
            "tables": shaped,
            "charts": charts or [],
            "fonts": fonts,
            "printed": timezone.localtime(),
        },
    )


def pdf_bytes(title: str, tables: list[Table], charts: list[str] | None = None) -> bytes:
    from weasyprint import HTML  # heavy import, kept off the module import path

    html = render_html(title, tables, charts)
    document = HTML(
        string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=local_fonts_fetcher()
    )
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    return document.write_pdf(pdf_identifier=identifier)
