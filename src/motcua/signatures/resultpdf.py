"""The result document as a PDF with its signature blocks located: WeasyPrint lays the page
out, and the boxes of the elements ``#signature-<slot>`` give where each visible signature goes
(in PDF points, origin bottom left)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from motcua.dossiers.legalforms.render import FONT_FILES, FONTS_DIR, local_fonts_fetcher
from motcua.signatures.pdfsign import Box

PX_TO_PT = 0.75  # CSS px are 1/96 in, PDF points 1/72 in
SLOT_PREFIX = "signature-"


def render_with_slots(template: str, context: dict[str, Any]) -> tuple[bytes, dict[str, Box]]:
    context = {**context, "fonts": {k: (FONTS_DIR / n).as_uri() for k, n in FONT_FILES.items()}}
    return html_with_slots(render_to_string(template, context))


def html_with_slots(html: str) -> tuple[bytes, dict[str, Box]]:
    """Lay out ``html`` (bundled fonts only) and locate its ``#signature-<slot>`` boxes."""
    from weasyprint import HTML

    document = HTML(
        string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=local_fonts_fetcher()
    ).render()
    slots: dict[str, Box] = {}
    for index, page in enumerate(document.pages):
        height = page.height
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            ident = element.get("id", "") if element is not None else ""
            if not ident.startswith(SLOT_PREFIX) or ident[len(SLOT_PREFIX) :] in slots:
                continue
            x, y = box.border_box_x(), box.border_box_y()
            w, h = box.border_width(), box.border_height()
            slots[ident[len(SLOT_PREFIX) :]] = Box(
                index,
                x * PX_TO_PT,
                (height - y - h) * PX_TO_PT,
                (x + w) * PX_TO_PT,
                (height - y) * PX_TO_PT,
            )
    return document.write_pdf(), slots


def _walk(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)
