"""The edXML entry points: build (signed when a key is given), read, validate.

Every package motcua emits is checked against its schema before it leaves: a builder bug shows
as an error here, not as a refusal at the other end.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from . import build, parse, schema, signing
from .errors import EdxmlError
from .model import Document, Status
from .signing import SigningKey


def _finish(root: etree._Element, key: SigningKey | None) -> bytes:
    if key is None:
        signing.strip_placeholder(root)
    else:
        root = signing.sign(root, key)
    schema.check(root)
    return build.serialise(root)


def build_document(doc: Document, *, key: SigningKey | None, now: dt.datetime) -> bytes:
    return _finish(build.document_tree(doc, now=now), key)


def build_status(status: Status, *, key: SigningKey | None) -> bytes:
    if status.status_code == "02" and not status.description.strip():
        raise EdxmlError("Từ chối tiếp nhận phải nêu lý do.")
    return _finish(build.status_tree(status), key)


def read(data: bytes) -> Document | Status:
    """Parse (and schema-check) a package without looking at its signature."""
    return parse.parse(data)


def read_verified(data: bytes, certificate_pem: bytes) -> Document | Status:
    """Parse a package whose signature must verify with the sender's certificate; what is
    returned is read from the signed content only."""
    root = parse.load(data)
    if parse.variant(root) == "legacy":
        # the legacy variant has no signature element: its sender is trusted by the hub only
        return parse.parse(root)
    schema.check(root)
    if not signing.has_signature(root):
        raise signing.SignatureError("Gói tin không có chữ ký số của cơ quan gửi.")
    return parse.parse(signing.verify(data, certificate_pem))


def validate(data: bytes) -> list[str]:
    """Every problem found (empty when valid): syntax, root, schema, content rules."""
    try:
        parse.parse(data)
    except EdxmlError as exc:
        return exc.problems or [exc.message]
    return []


def sender_of(data: bytes) -> str:
    """From/OrganId, read before verification to choose the certificate to verify with."""
    root = parse.load(data)
    item = parse.parse(root)
    return item.sender.organ_id
