"""Validation against motcua's XSDs (src/motcua/edoc/schema/): one for document packages,
one for status packages; both share the common types."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from .errors import EdxmlError
from .model import NS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"


@cache
def _schema(name: str) -> etree.XMLSchema:
    # the XSDs include each other by relative path: parse from the file so the base URL is known
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def is_status(root: etree._Element) -> bool:
    return (
        root.find(
            f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader/{{{NS}}}MessageHeader/{{{NS}}}StatusCode"
        )
        is not None
    )


def problems(root: etree._Element) -> list[str]:
    """Every schema error, as "line N: message" (empty when the package is valid)."""
    schema = _schema("edxml-status.xsd" if is_status(root) else "edxml.xsd")
    try:
        if schema.validate(root):
            return []
    except etree.XMLSchemaValidateError as exc:
        return [f"không kiểm tra được theo lược đồ: {exc}"]
    return [_describe(e) for e in schema.error_log]


def check(root: etree._Element) -> None:
    found = problems(root)
    if found:
        raise EdxmlError("Gói tin edXML không đúng lược đồ (QCVN 102:2016/BTTTT).", found)


def _describe(error) -> str:
    # strip the namespace braces lxml puts in element names: messages stay readable
    message = error.message.replace("{" + NS + "}", "")
    return f"dòng {error.line}: {message}"
