"""The content of edXML packages as plain data (what the builder writes and the parser reads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
LEGACY_NS = "http://www.go.vn/eDoc"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"

# OtherInfo/Priority: 0 normal, 1 urgent (khẩn), 2 very urgent (thượng khẩn), 3 express (hỏa
# tốc), 4 timed express (hỏa tốc hẹn giờ)
PRIORITIES = (0, 1, 2, 3, 4)
# TraceHeaderList/Bussiness/BussinessDocType: 0 new, 1 revoke, 2 update, 3 replace
BUSINESS_NEW, BUSINESS_REVOKE, BUSINESS_UPDATE, BUSINESS_REPLACE = 0, 1, 2, 3
BUSINESS_TYPES = (BUSINESS_NEW, BUSINESS_REVOKE, BUSINESS_UPDATE, BUSINESS_REPLACE)
# status packages' StatusCode
STATUS_WAITING = "01"  # chờ tiếp nhận
STATUS_REFUSED = "02"  # từ chối tiếp nhận (a reason is required)
STATUS_RECEIVED = "03"  # đã tiếp nhận
STATUS_ASSIGNED = "04"  # đã phân công
STATUS_IN_PROGRESS = "05"  # đang xử lý
STATUS_DONE = "06"  # hoàn thành
STATUS_REVOKED = "13"  # đã thu hồi (revocation accepted)
STATUS_UPDATE_ACCEPTED = "15"
STATUS_UPDATE_REFUSED = "16"
STATUS_CODES = {
    STATUS_WAITING: "Chờ tiếp nhận",
    STATUS_REFUSED: "Từ chối tiếp nhận",
    STATUS_RECEIVED: "Đã tiếp nhận",
    STATUS_ASSIGNED: "Đã phân công",
    STATUS_IN_PROGRESS: "Đang xử lý",
    STATUS_DONE: "Hoàn thành",
    STATUS_REVOKED: "Đã thu hồi",
    STATUS_UPDATE_ACCEPTED: "Đồng ý cập nhật",
    STATUS_UPDATE_REFUSED: "Từ chối cập nhật",
}


@dataclass
class Organ:
    """From / To: an organisation identified by its QCVN 102 organ id."""

    organ_id: str
    name: str = ""
    in_charge: str = ""  # OrganizationInCharge: the superior body
    address: str = ""
    email: str = ""
    phone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class ResponseFor:
    """The document a package answers (a status, or a revoke/update/replace)."""

    organ_id: str
    code: str  # "number/notation"
    promulgation_date: dt.date | None
    document_id: str


@dataclass
class Staff:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class Trace:
    organ_id: str
    timestamp: dt.datetime


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes
    description: str = ""
    content_id: str = ""


@dataclass
class Document:
    """An electronic document package (gói tin văn bản)."""

    sender: Organ
    recipients: list[Organ]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: dt.date
    subject: str
    type_code: int = 2  # DocumentType/Type: 1 legal normative document, 2 administrative
    type_name: str = "Công văn"
    content: str = ""
    signer_competence: str = ""  # thẩm quyền ký: "TM.", "KT.", "TL.", …
    signer_position: str = ""
    signer_name: str = ""
    due_date: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = 0
    sphere: str = ""  # SphereOfPromulgation: "Liên thông văn bản quốc gia", …
    typer_notation: str = ""
    promulgation_amount: int = 1
    page_amount: int = 1
    appendixes: list[str] = field(default_factory=list)
    response_for: list[ResponseFor] = field(default_factory=list)
    steering_type: int = 1  # 1 not a directive, 2 directive, 3 report on a directive
    document_id: str = ""  # {sender organ id},{yyyy/MM/dd},{number}/{notation}
    traces: list[Trace] = field(default_factory=list)
    business_type: int = BUSINESS_NEW
    business_reason: str = ""
    business_document_id: str = ""  # the document a revoke/update/replace concerns
    staff: Staff | None = None
    paper: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    legacy: bool = False  # read from the pre-standard variant (never emitted)

    @property
    def code(self) -> str:
        return f"{self.code_number}/{self.code_notation}"

    def default_document_id(self) -> str:
        day = self.promulgation_date.strftime("%Y/%m/%d")
        return f"{self.sender.organ_id},{day},{self.code}"


@dataclass
class Status:
    """A status package (gói tin trạng thái) answering a document."""

    response_for: ResponseFor
    sender: Organ
    status_code: str
    timestamp: dt.datetime
    description: str = ""
    staff: Staff | None = None
