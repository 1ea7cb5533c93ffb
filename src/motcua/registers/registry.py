"""What each register holds, declared once: its model, title, and fields in the order the
desk form and the Excel sheet show them. Forms, the Excel import/export, the services'
checks and the list pages are all driven by this table, so a field's bound is the same
everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.registers import models as m
from motcua.registers.rules import (
    MAX_COUNT,
    MAX_NOTE,
    MAX_REFERENCE,
    MAX_TEXT,
    MAX_VALUE,
    ApparatusKind,
    AutonomyKind,
    CivilServiceKind,
    LegalKind,
    MeetingLevel,
    Proposal,
    TrainingKind,
)

TEXT, NOTE, INT, DECIMAL, DATE, BOOL, CHOICE, AGENCY, PROCEDURES = (
    "text",
    "note",
    "int",
    "decimal",
    "date",
    "bool",
    "choice",
    "agency",
    "procedures",
)


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    type: str
    required: bool = True
    max_length: int = MAX_TEXT
    max_value: int = MAX_COUNT
    choices: type[models.TextChoices] | None = None
    listed: bool = True  # shown as a column of the list page


@dataclass(frozen=True)
class Register:
    slug: str
    model: type[m.Entry]
    title: Promise
    section: Promise  # the bulletin section it feeds
    fields: tuple[Field, ...]
    kind_field: str = ""  # the choice field the list page filters by ("" when none)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def filters(self) -> tuple[Field, ...]:
        """Fields a list page (and a figure's drill-down link) may filter by."""
        return tuple(f for f in self.fields if f.type in (CHOICE, BOOL) or f.name == "key")


def _agency(label: Promise | None = None) -> Field:
    return Field("agency", label or _("Cơ quan"), AGENCY)


def _date(label: Promise | None = None) -> Field:
    return Field("date", label or _("Ngày"), DATE)


def _ref(name: str, label: Promise, required: bool = True) -> Field:
    return Field(name, label, TEXT, required=required, max_length=MAX_REFERENCE)


def _count(name: str, label: Promise, required: bool = True) -> Field:
    return Field(name, label, INT, required=required)


REGISTERS: dict[str, Register] = {
    r.slug: r
    for r in (
        Register(
            "legal",
            m.LegalDocument,
            _("Văn bản quy phạm pháp luật"),
            _("Cải cách thể chế"),
            (
                _date(_("Ngày thực hiện")),
                _agency(_("Cơ quan thực hiện")),
                Field("kind", _("Loại công việc"), CHOICE, choices=LegalKind),
                _ref("number", _("Số, ký hiệu"), required=False),
                Field("title", _("Tên văn bản"), TEXT),
                Field("errors_found", _("Phát hiện lỗi"), BOOL, required=False),
                Field("error_notes", _("Lỗi phát hiện"), NOTE, False, MAX_NOTE, listed=False),
            ),
            kind_field="kind",
        ),
        Register(
            "announcements",
            m.ProcedureAnnouncement,
            _("Quyết định công bố thủ tục hành chính"),
            _("Cải cách thủ tục hành chính"),
            (
                _date(_("Ngày ban hành")),
                _agency(_("Cơ quan ban hành")),
                _ref("number", _("Số quyết định")),
                Field("title", _("Trích yếu"), TEXT, required=False),
                _count("procedures_count", _("Số thủ tục công bố")),
                Field(
                    "procedures",
                    _("Mã thủ tục liên kết (cách nhau bởi dấu phẩy)"),
                    PROCEDURES,
                    required=False,
                    max_length=MAX_NOTE,
                    listed=False,
                ),
            ),
        ),
        Register(
            "simplification",
            m.SimplificationItem,
            _("Phương án đơn giản hóa thủ tục hành chính"),
            _("Cải cách thủ tục hành chính"),
            (
                _date(_("Ngày thông qua")),
                _agency(_("Cơ quan đề xuất")),
                Field("procedure_name", _("Thủ tục"), TEXT),
                Field("field_name", _("Lĩnh vực"), TEXT, required=False, max_length=255),
                Field("proposal", _("Phương án"), CHOICE, choices=Proposal),
                Field("adopted", _("Đã thông qua"), BOOL, required=False),
                _ref("decision", _("Quyết định"), required=False),
            ),
            kind_field="proposal",
        ),
        Register(
            "workflows",
            m.WorkflowDecision,
            _("Quyết định phê duyệt quy trình nội bộ"),
            _("Cải cách thủ tục hành chính"),
            (
                _date(_("Ngày ban hành")),
                _agency(_("Cơ quan đề xuất")),
                _ref("number", _("Số quyết định")),
                Field("title", _("Trích yếu"), TEXT, required=False),
                _count("workflows", _("Số quy trình nội bộ")),
            ),
        ),
        Register(
            "apparatus",
            m.ApparatusChange,
            _("Tổ chức bộ máy"),
            _("Cải cách tổ chức bộ máy hành chính nhà nước"),
            (
                _date(_("Ngày quyết định")),
                _agency(_("Cơ quan chủ quản")),
                Field("kind", _("Loại"), CHOICE, choices=ApparatusKind),
                Field("unit_name", _("Đơn vị, tổ chức"), TEXT),
                _ref("decision", _("Quyết định"), required=False),
                Field("note", _("Ghi chú"), TEXT, required=False, listed=False),
            ),
            kind_field="kind",
        ),
        Register(
            "streamlining",
            m.StaffStreamlining,
            _("Tinh giản biên chế"),
            _("Cải cách tổ chức bộ máy hành chính nhà nước"),
            (
                _date(_("Ngày phê duyệt")),
                _agency(_("Cơ quan")),
                _ref("decision", _("Quyết định")),
                _count("civil_servants", _("Công chức"), required=False),
                _count("public_employees", _("Viên chức"), required=False),
                _count("contract_workers", _("Hợp đồng lao động"), required=False),
            ),
        ),
        Register(
            "civil_service",
            m.CivilServiceRecord,
            _("Công tác cán bộ, công chức, viên chức"),
            _("Cải cách chế độ công vụ"),
            (
                _date(),
                _agency(),
                Field("kind", _("Loại"), CHOICE, choices=CivilServiceKind),
                _count("count", _("Số lượng")),
                _ref("reference", _("Văn bản"), required=False),
                Field("note", _("Ghi chú"), TEXT, required=False),
            ),
            kind_field="kind",
        ),
        Register(
            "training",
            m.TrainingClass,
            _("Lớp bồi dưỡng"),
            _("Cải cách chế độ công vụ"),
            (
                _date(_("Ngày khai giảng")),
                _agency(_("Cơ quan tổ chức")),
                Field("kind", _("Loại lớp"), CHOICE, choices=TrainingKind),
                Field("title", _("Tên lớp"), TEXT),
                Field("end_date", _("Ngày kết thúc"), DATE, required=False),
                _count("participants", _("Số học viên"), required=False),
            ),
            kind_field="kind",
        ),
        Register(
            "autonomy",
            m.AutonomyUnit,
            _("Đơn vị thực hiện cơ chế tự chủ"),
            _("Cải cách tài chính công"),
            (
                _date(_("Thực hiện từ ngày")),
                _agency(_("Cơ quan quản lý")),
                Field("kind", _("Loại đơn vị"), CHOICE, choices=AutonomyKind),
                Field("unit_name", _("Đơn vị"), TEXT),
                _ref("decision", _("Quyết định"), required=False),
                Field("ended_on", _("Thôi thực hiện từ ngày"), DATE, required=False),
            ),
            kind_field="kind",
        ),
        Register(
            "meetings",
            m.OnlineMeeting,
            _("Hội nghị truyền hình trực tuyến"),
            _("Hiện đại hóa hành chính"),
            (
                _date(),
                _agency(_("Cơ quan chủ trì")),
                Field("level", _("Cấp"), CHOICE, choices=MeetingLevel),
                Field("title", _("Nội dung"), TEXT),
            ),
            kind_field="level",
        ),
        Register(
            "edoc",
            m.EdocSnapshot,
            _("Số liệu hệ thống quản lý văn bản và điều hành"),
            _("Hiện đại hóa hành chính"),
            (
                _date(_("Số liệu tại ngày")),
                _agency(_("Cơ quan báo cáo")),
                _count("agencies_connected", _("Cơ quan đã triển khai")),
                _count("agencies_exchanging", _("Cơ quan gửi, nhận văn bản liên thông")),
                Field("source", _("Nguồn"), TEXT, required=False, max_length=255),
            ),
        ),
        Register(
            "outside",
            m.OutsideFigure,
            _("Số liệu từ hệ thống khác"),
            _("Hiện đại hóa hành chính"),
            (
                _date(_("Số liệu tại ngày")),
                _agency(_("Cơ quan báo cáo")),
                Field("key", _("Mã số liệu"), TEXT, max_length=60),
                Field("label", _("Tên số liệu"), TEXT, max_length=255),
                Field("value", _("Giá trị"), DECIMAL, max_value=MAX_VALUE),
                Field("source", _("Hệ thống nguồn"), TEXT, max_length=255),
            ),
        ),
    )
}


def get(slug: str) -> Register | None:
    return REGISTERS.get(slug)
