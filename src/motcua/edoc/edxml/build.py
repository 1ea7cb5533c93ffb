"""Write edXML packages (the QCVN 102 form only: the legacy variant is never emitted)."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

from lxml import etree

from .model import DS_NS, NS, Attachment, Document, Organ, ResponseFor, Staff, Status

XLINK_NS = "http://www.w3.org/1999/xlink"
NSMAP = {"edXML": NS}


def date_text(day: dt.date) -> str:
    return day.strftime("%Y/%m/%d")


def timestamp_text(moment: dt.datetime) -> str:
    return moment.strftime("%Y/%m/%d %H:%M:%S")


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        child.text = text
    return child


def _opt(parent: etree._Element, name: str, text: str) -> None:
    if text:
        _el(parent, name, text)


def _organ(parent: etree._Element, name: str, organ: Organ) -> None:
    el = _el(parent, name)
    _el(el, "OrganId", organ.organ_id)
    _opt(el, "OrganizationInCharge", organ.in_charge)
    _opt(el, "OrganName", organ.name)
    _opt(el, "OrganAdd", organ.address)
    _opt(el, "Email", organ.email)
    _opt(el, "Telephone", organ.phone)
    _opt(el, "Fax", organ.fax)
    _opt(el, "Website", organ.website)


def _response_for(parent: etree._Element, rf: ResponseFor) -> None:
    el = _el(parent, "ResponseFor")
    _el(el, "OrganId", rf.organ_id)
    _el(el, "Code", rf.code)
    if rf.promulgation_date:
        _el(el, "PromulgationDate", date_text(rf.promulgation_date))
    _el(el, "DocumentId", rf.document_id)


def _staff(parent: etree._Element, staff: Staff | None) -> None:
    if staff is None:
        return
    el = _el(parent, "StaffInfo")
    _opt(el, "Department", staff.department)
    _opt(el, "Staff", staff.staff)
    _opt(el, "Mobile", staff.mobile)
    _opt(el, "Email", staff.email)


def _frame() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{NS}}}edXML", nsmap=NSMAP)
    envelope = _el(root, "edXMLEnvelope")
    return root, _el(envelope, "edXMLHeader")


def signature_placeholder(header: etree._Element) -> None:
    """Where signxml puts the enveloped signature: the end of edXMLHeader."""
    etree.SubElement(header, f"{{{DS_NS}}}Signature", Id="placeholder", nsmap={"ds": DS_NS})


def document_tree(doc: Document, *, now: dt.datetime) -> etree._Element:
    root, header = _frame()
    mh = _el(header, "MessageHeader")
    _organ(mh, "From", doc.sender)
    for organ in doc.recipients:
        _organ(mh, "To", organ)
    code = _el(mh, "Code")
    _el(code, "CodeNumber", doc.code_number)
    _el(code, "CodeNotation", doc.code_notation)
    prom = _el(mh, "PromulgationInfo")
    _el(prom, "Place", doc.place)
    _el(prom, "PromulgationDate", date_text(doc.promulgation_date))
    dtype = _el(mh, "DocumentType")
    _el(dtype, "Type", str(doc.type_code))
    _el(dtype, "TypeName", doc.type_name)
    _el(mh, "Subject", doc.subject)
    _opt(mh, "Content", doc.content)
    signer = _el(mh, "SignerInfo")
    _opt(signer, "Competence", doc.signer_competence)
    _opt(signer, "Position", doc.signer_position)
    _el(signer, "FullName", doc.signer_name)
    if doc.due_date:
        _el(mh, "DueDate", date_text(doc.due_date))
    if doc.to_places:
        places = _el(mh, "ToPlaces")
        for place in doc.to_places:
            _el(places, "Place", place)
    other = _el(mh, "OtherInfo")
    _el(other, "Priority", str(doc.priority))
    _opt(other, "SphereOfPromulgation", doc.sphere)
    _opt(other, "TyperNotation", doc.typer_notation)
    _el(other, "PromulgationAmount", str(doc.promulgation_amount))
    _el(other, "PageAmount", str(doc.page_amount))
    if doc.appendixes:
        appendixes = _el(other, "Appendixes")
        for name in doc.appendixes:
            _el(appendixes, "Appendix", name)
    for rf in doc.response_for:
        _response_for(mh, rf)
    _el(mh, "SteeringType", str(doc.steering_type))
    _el(mh, "DocumentId", doc.document_id or doc.default_document_id())

    traces = _el(header, "TraceHeaderList")
    for trace in doc.traces or []:
        th = _el(traces, "TraceHeader")
        _el(th, "OrganId", trace.organ_id)
        _el(th, "Timestamp", timestamp_text(trace.timestamp))
    if not doc.traces:
        th = _el(traces, "TraceHeader")
        _el(th, "OrganId", doc.sender.organ_id)
        _el(th, "Timestamp", timestamp_text(now))
    business = _el(traces, "Bussiness")
    _el(business, "BussinessDocType", str(doc.business_type))
    _opt(business, "BussinessDocReason", doc.business_reason)
    _opt(business, "DocumentId", doc.business_document_id)
    _staff(business, doc.staff)
    _el(business, "Paper", "1" if doc.paper else "0")
    signature_placeholder(header)

    attachments = [_with_id(a) for a in doc.attachments]
    body = _el(root[0], "edXMLBody")
    manifest = _el(body, "edXMLManifest")
    for a in attachments:
        ref = _el(manifest, "Reference")
        ref.set(f"{{{XLINK_NS}}}href", f"cid:{a.content_id}")
        _opt(ref, "Description", a.description)
        _el(ref, "AttachmentName", a.name)
        _el(ref, "ContentType", a.content_type)
        _el(ref, "ContentId", a.content_id)
    encoded = _el(root, "AttachmentEncoded")
    for a in attachments:
        att = _el(encoded, "Attachment")
        _el(att, "ContentType", a.content_type)
        _el(att, "ContentId", a.content_id)
        _opt(att, "Description", a.description)
        _el(att, "ContentTransferEncoded", base64.b64encode(a.data).decode("ascii"))
        _el(att, "AttachmentName", a.name)
    return root


def _with_id(a: Attachment) -> Attachment:
    if not a.content_id:
        a.content_id = uuid.uuid4().hex
    return a


def status_tree(status: Status) -> etree._Element:
    root, header = _frame()
    mh = _el(header, "MessageHeader")
    _response_for(mh, status.response_for)
    _organ(mh, "From", status.sender)
    _el(mh, "StatusCode", status.status_code)
    _opt(mh, "Description", status.description)
    _el(mh, "Timestamp", timestamp_text(status.timestamp))
    _staff(mh, status.staff)
    signature_placeholder(header)
    return root


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
