"""Minimal but well-formed Office Open XML packages, and hostile variants, built in memory."""

from __future__ import annotations

import io
import zipfile

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlforma'
    'ts.org/officeDocument/2006/relationships/officeDocument" Target="{main}"/></Relationships>'
)


def content_types(main_part: str, main_type: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        f'"application/xml"/><Override PartName="/{main_part}" ContentType="{main_type}"/>'
        f"{extra}</Types>"
    )


def package(entries: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_entries(**extra: bytes | str) -> dict[str, bytes | str]:
    return {
        "[Content_Types].xml": content_types("word/document.xml", WORD_MAIN),
        "_rels/.rels": RELS.format(main="word/document.xml"),
        "word/document.xml": "<w:document><w:body><w:p/></w:body></w:document>",
        **extra,
    }


def docx(**extra: bytes | str) -> bytes:
    return package(docx_entries(**extra))


def xlsx() -> bytes:
    return package(
        {
            "[Content_Types].xml": content_types("xl/workbook.xml", SHEET_MAIN),
            "_rels/.rels": RELS.format(main="xl/workbook.xml"),
            "xl/workbook.xml": "<workbook><sheets/></workbook>",
            "xl/worksheets/sheet1.xml": "<worksheet/>",
            "xl/printerSettings/printerSettings1.bin": b"\x00\x01printer",
        }
    )
