"""edXML packages: build → validate → parse, the schema's refusals, signatures, the legacy
variant, status packages."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from lxml import etree

from motcua.edoc.edxml import package
from motcua.edoc.edxml.errors import EdxmlError, SignatureError
from motcua.edoc.edxml.model import NS, Attachment, Document, Organ, ResponseFor, Status
from tests.edoc.keys import key_for

A, B, C = "000.01.21.H13", "000.02.21.H13", "000.00.05.H13"
NOW = dt.datetime(2025, 3, 4, 9, 30, 0)


def sample(**kw) -> Document:
    fields = dict(
        sender=Organ(A, name="Ủy ban nhân dân phường Cái Khế"),
        recipients=[Organ(B, name="Ủy ban nhân dân phường An Hòa"), Organ(C, name="Sở Tư pháp")],
        code_number="15",
        code_notation="UBND-VP",
        place="Cần Thơ",
        promulgation_date=dt.date(2025, 3, 4),
        type_name="Công văn",
        subject="Về việc xác minh nơi cư trú của công dân",
        signer_competence="TM.",
        signer_position="Chủ tịch",
        signer_name="Nguyễn Văn An",
        due_date=dt.date(2025, 3, 14),
        priority=1,
        to_places=["Như trên", "Lưu: VT"],
        attachments=[Attachment("cong-van-15.pdf", "application/pdf", b"%PDF-1.4 test\x00\xff")],
    )
    fields.update(kw)
    return Document(**fields)


def test_round_trip_signed_package_validates_and_parses_back():
    data = package.build_document(sample(), key=key_for(A), now=NOW)
    assert package.validate(data) == []
    root = etree.fromstring(data)
    assert etree.QName(root).namespace == NS and etree.QName(root).localname == "edXML"
    # the signature sits at the end of edXMLHeader
    header = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader")
    assert etree.QName(header[-1]).localname == "Signature"
    doc = package.read_verified(data, key_for(A).certificate_pem)
    assert doc.sender.organ_id == A
    assert [r.organ_id for r in doc.recipients] == [B, C]
    assert doc.code == "15/UBND-VP" and doc.subject.startswith("Về việc xác minh")
    assert doc.promulgation_date == dt.date(2025, 3, 4) and doc.due_date == dt.date(2025, 3, 14)
    assert doc.priority == 1 and doc.signer_name == "Nguyễn Văn An"
    assert doc.document_id == f"{A},2025/03/04,15/UBND-VP"
    assert doc.attachments[0].data == b"%PDF-1.4 test\x00\xff"
    assert doc.attachments[0].name == "cong-van-15.pdf"
    assert doc.traces[0].organ_id == A and not doc.legacy


def test_unsigned_build_is_valid_too():
    data = package.build_document(sample(), key=None, now=NOW)
    assert package.validate(data) == []
    assert b"Signature" not in data


def _mutate(data: bytes, path: str, text: str | None = None, remove: bool = False) -> bytes:
    root = etree.fromstring(data)
    el = root.find(path, {"e": NS})
    if remove:
        el.getparent().remove(el)
    else:
        el.text = text
    return etree.tostring(root)


MH = "e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader"


@pytest.mark.parametrize(
    "path, text, remove, expected",
    [
        (f"{MH}/e:Subject", None, True, "Subject"),
        (f"{MH}/e:From/e:OrganId", "H13-UBND", False, "OrganId"),
        (f"{MH}/e:Code/e:CodeNumber", "123456789012", False, "CodeNumber"),
        (f"{MH}/e:PromulgationInfo/e:PromulgationDate", "04-03-2025", False, "PromulgationDate"),
        (f"{MH}/e:OtherInfo/e:Priority", "7", False, "Priority"),
        (f"{MH}/e:To[2]/e:OrganId", B, False, "UniqueRecipient"),
        (
            "e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded",
            "@@@",
            False,
            "ContentTransferEncoded",
        ),
    ],
)
def test_schema_rejects_malformed_packages_with_clear_errors(path, text, remove, expected):
    data = _mutate(package.build_document(sample(), key=None, now=NOW), path, text, remove)
    problems = package.validate(data)
    assert problems and any(expected in p for p in problems), problems
    assert all(p.startswith("dòng ") for p in problems)  # each says where
    with pytest.raises(EdxmlError) as exc:
        package.read(data)
    assert "lược đồ" in exc.value.message


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "rỗng"),
        (b"<edXML", "XML hợp lệ"),
        (b"<html/>", "Không phải gói tin edXML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&e;</edXML>',
            "DOCTYPE",
        ),
    ],
)
def test_garbage_is_refused_clearly(data, expected):
    with pytest.raises(EdxmlError) as exc:
        package.read(data)
    assert expected in str(exc.value)
    assert b"root:" not in str(exc.value).encode()  # no external entity was resolved


def test_tampered_package_is_rejected():
    data = package.build_document(sample(), key=key_for(A), now=NOW)
    tampered = data.replace("xác minh nơi cư trú".encode(), "xác minh nơi ở mới".encode())
    assert package.validate(tampered) == []  # still well-formed and schema-valid
    with pytest.raises(SignatureError):
        package.read_verified(tampered, key_for(A).certificate_pem)
    # an attachment changed is caught as well (the signature covers the whole package)
    payload = base64.b64encode(b"%PDF-1.4 test\x00\xff")
    forged = data.replace(payload, base64.b64encode(b"%PDF-1.4 forged"))
    with pytest.raises(SignatureError):
        package.read_verified(forged, key_for(A).certificate_pem)


def test_signature_by_another_key_is_rejected():
    data = package.build_document(sample(), key=key_for(C), now=NOW)
    with pytest.raises(SignatureError):
        package.read_verified(data, key_for(A).certificate_pem)


def test_unsigned_package_is_rejected_on_verified_read():
    data = package.build_document(sample(), key=None, now=NOW)
    with pytest.raises(SignatureError):
        package.read_verified(data, key_for(A).certificate_pem)


LEGACY = """<?xml version="1.0" encoding="UTF-8"?>
<EdXMLEnvelope xmlns="http://www.go.vn/eDoc">
  <MessageHeader>
    <From><OrganId>000.01.21.H13</OrganId><OrganName>UBND phường Cái Khế</OrganName></From>
    <To><OrganId>000.02.21.H13</OrganId><OrganName>UBND phường An Hòa</OrganName></To>
    <Code><CodeNumber>7</CodeNumber><CodeNotation>UBND-VP</CodeNotation></Code>
    <PromulgationInfo><Promulgator>Nguyễn Văn An</Promulgator>
      <PromulgationDate>2024-12-30T02:00:00.000Z</PromulgationDate></PromulgationInfo>
    <DocumentType>Công văn</DocumentType>
    <Subject>Về việc phối hợp tổng kết năm</Subject>
    <SignerInfo><Signer>Nguyễn Văn An</Signer><Position>Chủ tịch</Position></SignerInfo>
    <OtherInfo><PageAmount>2</PageAmount></OtherInfo>
    <DocumentId>5b0d1e0a-legacy</DocumentId>
    <TraceHeaderList><TraceHeader><Time>2024-12-30T02:00:00Z</Time>
      <Path><From>000.01.21.H13</From><To>000.02.21.H13</To></Path></TraceHeader></TraceHeaderList>
  </MessageHeader>
  <Manifest><Attachment><Content>aGVsbG8=</Content><FileName>a.txt</FileName>
    <FileType>text/plain</FileType></Attachment></Manifest>
</EdXMLEnvelope>""".encode()


def test_legacy_variant_is_accepted_on_input():
    doc = package.read(LEGACY)
    assert doc.legacy and doc.sender.organ_id == A and doc.recipients[0].organ_id == B
    assert doc.code == "7/UBND-VP" and doc.type_name == "Công văn"
    assert doc.promulgation_date == dt.date(2024, 12, 30) and doc.signer_name == "Nguyễn Văn An"
    assert doc.attachments[0].data == b"hello" and doc.page_amount == 2
    assert package.validate(LEGACY) == []


def test_legacy_variant_is_never_emitted():
    doc = package.read(LEGACY)
    data = package.build_document(doc, key=None, now=NOW)
    assert b"go.vn/eDoc" not in data and b"EdXMLEnvelope" not in data
    assert package.validate(data) == []


def test_legacy_variant_missing_fields_is_refused():
    broken = LEGACY.replace(b"<Subject>", b"<Sub>").replace(b"</Subject>", b"</Sub>")
    problems = package.validate(broken)
    assert any("Subject" in p for p in problems)


def status(code="03", description=""):
    return Status(
        response_for=ResponseFor(
            A, "15/UBND-VP", dt.date(2025, 3, 4), f"{A},2025/03/04,15/UBND-VP"
        ),
        sender=Organ(B, name="Ủy ban nhân dân phường An Hòa"),
        status_code=code,
        description=description,
        timestamp=NOW,
    )


def test_status_package_round_trip():
    data = package.build_status(status("02", "Không đúng thẩm quyền"), key=key_for(B))
    assert package.validate(data) == []
    got = package.read_verified(data, key_for(B).certificate_pem)
    assert isinstance(got, Status)
    assert got.status_code == "02" and got.description == "Không đúng thẩm quyền"
    assert got.response_for.document_id == f"{A},2025/03/04,15/UBND-VP"
    assert got.timestamp == NOW


def test_refusal_needs_a_reason_and_codes_are_checked():
    with pytest.raises(EdxmlError):
        package.build_status(status("02", ""), key=None)
    data = package.build_status(status("03"), key=None)
    bad = data.replace(b"<edXML:StatusCode>03<", b"<edXML:StatusCode>99<")
    assert any("StatusCode" in p for p in package.validate(bad))
