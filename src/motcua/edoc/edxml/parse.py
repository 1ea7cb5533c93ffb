"""Read edXML packages: the QCVN 102 form (validated against the schema) and, on input only,
the legacy pre-standard variant (``EdXMLEnvelope`` in ``http://www.go.vn/eDoc``)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from lxml import etree

from . import schema
from .errors import EdxmlError
from .model import (
    LEGACY_NS,
    NS,
    Attachment,
    Document,
    Organ,
    ResponseFor,
    Staff,
    Status,
    Trace,
)

# no entities, no DTDs, no network, no huge trees: a package is untrusted input
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def load(data: bytes) -> etree._Element:
    if not data or not data.strip():
        raise EdxmlError("Gói tin rỗng.")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise EdxmlError("Gói tin không phải XML hợp lệ.", [str(exc)]) from exc
    if root.getroottree().docinfo.doctype:
        # a package has no use for a DTD; entities are where XML attacks live
        raise EdxmlError("Gói tin không được chứa khai báo DOCTYPE.")
    return root


def variant(root: etree._Element) -> str:
    """``standard``, ``legacy`` or raise: what kind of package this is."""
    name = etree.QName(root)
    if name.namespace == NS and name.localname == "edXML":
        return "standard"
    if name.namespace == LEGACY_NS and name.localname == "EdXMLEnvelope":
        return "legacy"
    raise EdxmlError(
        f"Không phải gói tin edXML: phần tử gốc là {name.localname!r} "
        f"(cần edXML trong không gian tên {NS})."
    )


def parse(data: bytes | etree._Element) -> Document | Status:
    root = load(data) if isinstance(data, bytes) else data
    if variant(root) == "legacy":
        return _legacy(root)
    schema.check(root)
    header = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader")
    mh = header.find(f"{{{NS}}}MessageHeader")
    if schema.is_status(root):
        return _status(mh)
    return _document(root, header, mh)


# -- standard form ----------------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(el: etree._Element | None, path: str = "", default: str = "") -> str:
    if el is None:
        return default
    found = el.find("/".join(_q(p) for p in path.split("/"))) if path else el
    if found is None or found.text is None:
        return default
    return found.text.strip()


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise EdxmlError(f"Ngày không hợp lệ: {text!r} (cần yyyy/MM/dd).")


def _timestamp(text: str) -> dt.datetime:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(text[:19], fmt)
        except ValueError:
            continue
    raise EdxmlError(f"Thời điểm không hợp lệ: {text!r} (cần yyyy/MM/dd HH:mm:ss).")


def _organ(el: etree._Element) -> Organ:
    return Organ(
        organ_id=_text(el, "OrganId"),
        in_charge=_text(el, "OrganizationInCharge"),
        name=_text(el, "OrganName"),
        address=_text(el, "OrganAdd"),
        email=_text(el, "Email"),
        phone=_text(el, "Telephone"),
        fax=_text(el, "Fax"),
        website=_text(el, "Website"),
    )


def _response_for(el: etree._Element) -> ResponseFor:
    return ResponseFor(
        organ_id=_text(el, "OrganId"),
        code=_text(el, "Code"),
        promulgation_date=_date(_text(el, "PromulgationDate")),
        document_id=_text(el, "DocumentId"),
    )


def _staff(el: etree._Element | None) -> Staff | None:
    if el is None:
        return None
    return Staff(
        department=_text(el, "Department"),
        staff=_text(el, "Staff"),
        mobile=_text(el, "Mobile"),
        email=_text(el, "Email"),
    )


def _status(mh: etree._Element) -> Status:
    status = Status(
        response_for=_response_for(mh.find(_q("ResponseFor"))),
        sender=_organ(mh.find(_q("From"))),
        status_code=_text(mh, "StatusCode"),
        description=_text(mh, "Description"),
        timestamp=_timestamp(_text(mh, "Timestamp")),
        staff=_staff(mh.find(_q("StaffInfo"))),
    )
    if status.status_code == "02" and not status.description:
        raise EdxmlError("Gói tin trạng thái 02 (từ chối) phải nêu lý do (Description).")
    return status


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _document(root: etree._Element, header: etree._Element, mh: etree._Element) -> Document:
    other = mh.find(_q("OtherInfo"))
    business = header.find(f"{_q('TraceHeaderList')}/{_q('Bussiness')}")
    doc = Document(
        sender=_organ(mh.find(_q("From"))),
        recipients=[_organ(el) for el in mh.findall(_q("To"))],
        code_number=_text(mh, "Code/CodeNumber"),
        code_notation=_text(mh, "Code/CodeNotation"),
        place=_text(mh, "PromulgationInfo/Place"),
        promulgation_date=_date(_text(mh, "PromulgationInfo/PromulgationDate")),
        type_code=_int(_text(mh, "DocumentType/Type"), 2),
        type_name=_text(mh, "DocumentType/TypeName"),
        subject=_text(mh, "Subject"),
        content=_text(mh, "Content"),
        signer_competence=_text(mh, "SignerInfo/Competence"),
        signer_position=_text(mh, "SignerInfo/Position"),
        signer_name=_text(mh, "SignerInfo/FullName"),
        due_date=_date(_text(mh, "DueDate")),
        to_places=[(p.text or "").strip() for p in mh.findall(f"{_q('ToPlaces')}/{_q('Place')}")],
        priority=_int(_text(other, "Priority"), 0),
        sphere=_text(other, "SphereOfPromulgation"),
        typer_notation=_text(other, "TyperNotation"),
        promulgation_amount=_int(_text(other, "PromulgationAmount"), 1),
        page_amount=_int(_text(other, "PageAmount"), 1),
        appendixes=[
            (a.text or "").strip()
            for a in (other if other is not None else mh).findall(
                f"{_q('Appendixes')}/{_q('Appendix')}"
            )
        ],
        response_for=[_response_for(el) for el in mh.findall(_q("ResponseFor"))],
        steering_type=_int(_text(mh, "SteeringType"), 1),
        document_id=_text(mh, "DocumentId"),
        traces=[
            Trace(_text(th, "OrganId"), _timestamp(_text(th, "Timestamp")))
            for th in header.findall(f"{_q('TraceHeaderList')}/{_q('TraceHeader')}")
        ],
        business_type=_int(_text(business, "BussinessDocType"), 0),
        business_reason=_text(business, "BussinessDocReason"),
        business_document_id=_text(business, "DocumentId"),
        staff=_staff(business.find(_q("StaffInfo")) if business is not None else None),
        paper=_text(business, "Paper") == "1",
    )
    if not doc.document_id:
        doc.document_id = doc.default_document_id()
    doc.attachments = _attachments(root)
    return doc


def _attachments(root: etree._Element) -> list[Attachment]:
    found = []
    for el in root.findall(f"{_q('AttachmentEncoded')}/{_q('Attachment')}"):
        name = _text(el, "AttachmentName")
        try:
            data = base64.b64decode(
                "".join(_text(el, "ContentTransferEncoded").split()), validate=True
            )
        except (binascii.Error, ValueError) as exc:
            raise EdxmlError(f"Tệp đính kèm {name!r} không giải mã được (base64).") from exc
        found.append(
            Attachment(
                name=name,
                content_type=_text(el, "ContentType"),
                data=data,
                description=_text(el, "Description"),
                content_id=_text(el, "ContentId"),
            )
        )
    return found


# -- the legacy variant -----------------------------------------------------------------------


def _l(el: etree._Element | None, path: str) -> str:
    if el is None:
        return ""
    found = el.find("/".join(f"{{{LEGACY_NS}}}{p}" for p in path.split("/")))
    return (found.text or "").strip() if found is not None else ""


def _legacy(root: etree._Element) -> Document:
    """The pre-standard form some provincial systems still send: MessageHeader directly under
    ``EdXMLEnvelope``, ``Manifest/Attachment{Content,FileName,FileType}``, free-form dates and
    document types. Checked for the fields a register entry needs, then read as a Document."""
    mh = root.find(f"{{{LEGACY_NS}}}MessageHeader")
    problems = []
    if mh is None:
        raise EdxmlError("Gói tin (dạng cũ) thiếu MessageHeader.")
    if not _l(mh, "From/OrganId"):
        problems.append("thiếu From/OrganId")
    recipients = [
        Organ(organ_id=_l(t, "OrganId"), name=_l(t, "OrganName"))
        for t in mh.findall(f"{{{LEGACY_NS}}}To")
    ]
    if not [r for r in recipients if r.organ_id]:
        problems.append("thiếu To/OrganId")
    if not (_l(mh, "Code/CodeNumber") or _l(mh, "Code/CodeNotation")):
        problems.append("thiếu Code (số, ký hiệu)")
    if not _l(mh, "Subject"):
        problems.append("thiếu Subject (trích yếu)")
    if not _l(mh, "PromulgationInfo/PromulgationDate"):
        problems.append("thiếu PromulgationInfo/PromulgationDate (ngày ban hành)")
    if problems:
        raise EdxmlError("Gói tin (dạng cũ) thiếu thông tin bắt buộc.", problems)
    doc_type = mh.find(f"{{{LEGACY_NS}}}DocumentType")
    type_name = _l(doc_type, "TypeName") or (
        (doc_type.text or "").strip() if doc_type is not None else ""
    )
    attachments = []
    for el in root.findall(f"{{{LEGACY_NS}}}Manifest/{{{LEGACY_NS}}}Attachment"):
        try:
            data = base64.b64decode("".join(_l(el, "Content").split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EdxmlError("Tệp đính kèm (dạng cũ) không giải mã được (base64).") from exc
        attachments.append(
            Attachment(
                name=_l(el, "FileName") or "tep-dinh-kem",
                content_type=_l(el, "FileType") or "application/octet-stream",
                data=data,
            )
        )
    doc = Document(
        sender=Organ(organ_id=_l(mh, "From/OrganId"), name=_l(mh, "From/OrganName")),
        recipients=[r for r in recipients if r.organ_id],
        code_number=_l(mh, "Code/CodeNumber"),
        code_notation=_l(mh, "Code/CodeNotation"),
        place=_l(mh, "PromulgationInfo/Place"),
        promulgation_date=_date(_l(mh, "PromulgationInfo/PromulgationDate")),
        type_name=type_name[:100] or "Công văn",
        subject=_l(mh, "Subject"),
        signer_name=_l(mh, "SignerInfo/FullName") or _l(mh, "SignerInfo/Signer"),
        signer_position=_l(mh, "SignerInfo/Position"),
        signer_competence=_l(mh, "SignerInfo/Competence"),
        priority=_int(_l(mh, "OtherInfo/Priority"), 0),
        page_amount=_int(_l(mh, "OtherInfo/PageAmount"), 1),
        document_id=_l(mh, "DocumentId"),
        attachments=attachments,
        legacy=True,
    )
    if doc.priority not in range(5):
        doc.priority = 0
    if not doc.document_id:
        doc.document_id = doc.default_document_id()
    return doc
