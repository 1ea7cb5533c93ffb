"""The bulletin's files: a standalone HTML document, the PDF (WeasyPrint with the project's
bundled fonts and the SVG charts of ``stats.svgcharts``, as the statistics exports) and the
Word file (python-docx: headings, paragraphs and tables; offices edit and sign it in Word).

All three are rendered from a composed ``Bulletin`` (compose.py), never from the database,
so a published issue's files show exactly its snapshot."""

from __future__ import annotations

import hashlib
import io

from django.template.loader import render_to_string
from django.utils import translation

from motcua.bulletin import layout
from motcua.bulletin.compose import DASH, Bulletin, plain_line
from motcua.stats import svgcharts

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMATS = tuple(CONTENT_TYPES)


def _num(raw: str) -> float | None:
    return float(raw) if raw else None


def charts(bulletin: Bulletin) -> dict[str, list[dict]]:
    """Per section key: its charts, each with its bars' labels and values, and the SVG."""
    lang = bulletin.language
    out: dict[str, list[dict]] = {}
    for chart in layout.CHARTS:
        bars = [(en if lang == "en" else vi, bulletin.values[key]) for vi, en, key in chart.bars]
        labels = [label for label, _v in bars]
        values = [_num(v.value) for _l, v in bars]
        out.setdefault(chart.section, []).append(
            {
                "title": chart.title(lang),
                "rows": [(label, v.shown(lang)) for label, v in bars],
                "svg": svgcharts.bar_chart(chart.title(lang), labels, values),
            }
        )
    return out


def shaped(bulletin: Bulletin) -> dict:
    """The template context: sections with their sentences as (text, figure) segments."""
    by_section = charts(bulletin)
    sections = []
    for s in bulletin.sections:
        lines = []
        for line in s.lines:
            segs = []
            for seg in line:
                if seg.key:
                    v = bulletin.values[seg.key]
                    segs.append({"key": seg.key, "shown": v.shown(bulletin.language), "value": v})
                else:
                    segs.append({"text": seg.text})
            lines.append(segs)
        sections.append(
            {
                "key": s.key,
                "number": s.number,
                "title": s.title,
                "narrative": s.narrative,
                "lines": lines,
                "charts": by_section.get(s.key, []),
            }
        )
    sources = [{"value": v, "shown": v.shown(bulletin.language)} for v in bulletin.used()]
    return {"b": bulletin, "sections": sections, "sources": sources, "dash": DASH}


def html_document(bulletin: Bulletin, *, for_pdf: bool = False) -> str:
    """A standalone HTML file (nothing loaded from elsewhere: styles inline, charts as SVG)."""
    from motcua.dossiers.legalforms.render import FONT_FILES, FONTS_DIR

    context = shaped(bulletin) | {"for_pdf": for_pdf, "links": False}
    if for_pdf:
        context["fonts"] = {k: (FONTS_DIR / n).as_uri() for k, n in FONT_FILES.items()}
    with translation.override(bulletin.language):
        return render_to_string("bulletin/document.html", context)


def pdf_bytes(bulletin: Bulletin) -> bytes:
    from weasyprint import HTML  # heavy import, kept off the module import path

    from motcua.dossiers.legalforms.render import FONTS_DIR, local_fonts_fetcher

    html = html_document(bulletin, for_pdf=True)
    document = HTML(
        string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=local_fonts_fetcher()
    )
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    return document.write_pdf(pdf_identifier=identifier)


def _heading_texts(lang: str) -> dict[str, str]:
    en = lang == "en"
    return {
        "issue": "Issue No." if en else "Bản tin số",
        "period": "Period" if en else "Kỳ",
        "scope": "Scope" if en else "Phạm vi",
        "sources": "Where each figure comes from" if en else "Nguồn của từng số liệu",
        "key": "Key" if en else "Mã số liệu",
        "figure": "Figure" if en else "Số liệu",
        "value": "Value" if en else "Giá trị",
        "source": "Source" if en else "Nguồn",
        "missing": "Figures not available" if en else "Số liệu chưa có",
        "draft": "DRAFT" if en else "DỰ THẢO",
        "to_ministry": "To: the Ministry of Home Affairs" if en else "Kính gửi: Bộ Nội vụ",
        "annex": "Annex: figures and their sources" if en else "Phụ lục: số liệu và nguồn số liệu",
    }


def docx_bytes(bulletin: Bulletin) -> bytes:
    """The Word file: title, one heading per section with the editor's text and the figures'
    sentences, each chart as a small table, the sources table."""
    from docx import Document
    from docx.shared import Pt

    t = _heading_texts(bulletin.language)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    doc.core_properties.title = bulletin.title
    doc.core_properties.language = bulletin.language
    doc.add_heading(bulletin.title, level=0)
    if bulletin.kind == "ministry":
        doc.add_paragraph(t["to_ministry"]).runs[0].bold = True
    else:
        number = bulletin.number or t["draft"]
        doc.add_paragraph(f"{t['issue']} {number}").runs[0].bold = True
    doc.add_paragraph(f"{t['period']}: {bulletin.period_label}")
    doc.add_paragraph(f"{t['scope']}: {bulletin.scope_name}")
    by_section = charts(bulletin)
    for s in bulletin.sections:
        doc.add_heading(f"{s.number}. {s.title}", level=1)
        for para in (p for p in s.narrative.splitlines() if p.strip()):
            doc.add_paragraph(para.strip())
        for line in s.lines:
            p = doc.add_paragraph()
            for seg in line:
                if seg.key:
                    p.add_run(bulletin.values[seg.key].shown(bulletin.language)).bold = True
                else:
                    p.add_run(seg.text)
        for chart in by_section.get(s.key, []):
            doc.add_paragraph(chart["title"]).runs[0].italic = True
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, shown in chart["rows"]:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, shown
    doc.add_heading(t["annex"] if bulletin.kind == "ministry" else t["sources"], level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (t["key"], t["figure"], t["value"], t["source"]), strict=True
    ):
        cell.text = text
    for v in bulletin.used():
        cells = table.add_row().cells
        cells[0].text, cells[1].text = v.key, v.label
        cells[2].text, cells[3].text = v.shown(bulletin.language), v.source or DASH
    if bulletin.missing:
        doc.add_heading(t["missing"], level=2)
        doc.add_paragraph(", ".join(bulletin.missing))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(bulletin: Bulletin, fmt: str) -> bytes:
    if fmt == "html":
        return html_document(bulletin).encode("utf-8")
    if fmt == "pdf":
        return pdf_bytes(bulletin)
    if fmt == "docx":
        return docx_bytes(bulletin)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "docx_bytes", "html_document", "pdf_bytes", "plain_line", "render"]
