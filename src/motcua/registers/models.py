"""The registers behind the bulletin's non-one-stop sections (issue 12 §4).

One row per thing that happened (a draft appraised, a decision issued, a meeting held, a class
run), so every bulletin figure is a COUNT or a SUM over rows of a period. Only two registers
hold snapshots, because their figures come from systems motcua does not run: the e-document
system's agency counts (``EdocSnapshot``) and other outside statistics (``OutsideFigure``);
their figure is the latest snapshot at or before the period's end.

Every row belongs to an agency: officers see and edit the rows of their agencies, the reform
office sees all (``registers.permissions``). Rows change only through ``registers.services``.
"""

from __future__ import annotations

from django.db import models

from motcua.agencies.models import Agency
from motcua.registers.rules import (
    MAX_NOTE,
    MAX_REFERENCE,
    MAX_TEXT,
    ApparatusKind,
    AutonomyKind,
    CivilServiceKind,
    LegalKind,
    MeetingLevel,
    Proposal,
    TrainingKind,
)


class Entry(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("ngày", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk} ({self.date:%d/%m/%Y})"


class LegalDocument(Entry):
    """A legal document handled: appraised, commented on, or self-checked after issue."""

    kind = models.CharField("loại công việc", max_length=40, choices=LegalKind.choices)
    number = models.CharField("số, ký hiệu", max_length=MAX_REFERENCE, blank=True)
    title = models.CharField("tên văn bản", max_length=MAX_TEXT)
    errors_found = models.BooleanField("phát hiện lỗi", default=False)
    error_notes = models.TextField("lỗi phát hiện", max_length=MAX_NOTE, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "văn bản QPPL"
        indexes = [models.Index(fields=["kind", "date"])]


class ProcedureAnnouncement(Entry):
    """A decision announcing procedures (quyết định công bố TTHC)."""

    number = models.CharField("số quyết định", max_length=MAX_REFERENCE)
    title = models.CharField("trích yếu", max_length=MAX_TEXT, blank=True)
    procedures_count = models.PositiveIntegerField("số thủ tục công bố")
    procedures = models.ManyToManyField(
        "catalog.Procedure", verbose_name="thủ tục", blank=True, related_name="+"
    )

    class Meta(Entry.Meta):
        verbose_name = "quyết định công bố TTHC"


class SimplificationItem(Entry):
    """One procedure of a simplification plan, with the kind of proposal and whether the
    plan was adopted (the date is the adopting decision's)."""

    procedure_name = models.CharField("thủ tục", max_length=MAX_TEXT)
    procedure = models.ForeignKey(
        "catalog.Procedure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    field_name = models.CharField("lĩnh vực", max_length=255, blank=True)
    proposal = models.CharField("phương án", max_length=20, choices=Proposal.choices)
    adopted = models.BooleanField("đã thông qua", default=True)
    decision = models.CharField("quyết định", max_length=MAX_REFERENCE, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "phương án đơn giản hóa TTHC"


class WorkflowDecision(Entry):
    """A decision approving internal workflows (quy trình nội bộ), with how many."""

    number = models.CharField("số quyết định", max_length=MAX_REFERENCE)
    title = models.CharField("trích yếu", max_length=MAX_TEXT, blank=True)
    workflows = models.PositiveIntegerField("số quy trình nội bộ")

    class Meta(Entry.Meta):
        verbose_name = "quyết định phê duyệt quy trình nội bộ"


class ApparatusChange(Entry):
    """A unit established, dissolved, merged or reorganised; an inter-agency body set up or
    adjusted; a unit approved for a financial mechanism."""

    kind = models.CharField("loại", max_length=30, choices=ApparatusKind.choices)
    unit_name = models.CharField("đơn vị, tổ chức", max_length=MAX_TEXT)
    decision = models.CharField("quyết định", max_length=MAX_REFERENCE, blank=True)
    note = models.CharField("ghi chú", max_length=MAX_TEXT, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "thay đổi tổ chức bộ máy"
        indexes = [models.Index(fields=["kind", "date"])]


class StaffStreamlining(Entry):
    """A decision approving a staff-streamlining list, by category of staff."""

    decision = models.CharField("quyết định", max_length=MAX_REFERENCE)
    civil_servants = models.PositiveIntegerField("công chức", default=0)
    public_employees = models.PositiveIntegerField("viên chức", default=0)
    contract_workers = models.PositiveIntegerField("hợp đồng lao động", default=0)

    class Meta(Entry.Meta):
        verbose_name = "tinh giản biên chế"


class CivilServiceRecord(Entry):
    """A batch of civil-service work: decisions issued, or cases settled (one row per batch or
    decision, with how many it covers)."""

    kind = models.CharField("loại", max_length=30, choices=CivilServiceKind.choices)
    count = models.PositiveIntegerField("số lượng", default=1)
    reference = models.CharField("văn bản", max_length=MAX_REFERENCE, blank=True)
    note = models.CharField("ghi chú", max_length=MAX_TEXT, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "công tác cán bộ, công chức"
        indexes = [models.Index(fields=["kind", "date"])]


class TrainingClass(Entry):
    """A training class (lớp bồi dưỡng); ``date`` is its opening day."""

    kind = models.CharField("loại lớp", max_length=20, choices=TrainingKind.choices)
    title = models.CharField("tên lớp", max_length=MAX_TEXT)
    end_date = models.DateField("ngày kết thúc", null=True, blank=True)
    participants = models.PositiveIntegerField("số học viên", default=0)

    class Meta(Entry.Meta):
        verbose_name = "lớp bồi dưỡng"


class AutonomyUnit(Entry):
    """A unit under the public-finance autonomy mechanism since ``date`` (its decision's),
    until ``ended_on`` (exclusive) when it left it. A stock: counted at a day."""

    kind = models.CharField("loại đơn vị", max_length=20, choices=AutonomyKind.choices)
    unit_name = models.CharField("đơn vị", max_length=MAX_TEXT)
    decision = models.CharField("quyết định", max_length=MAX_REFERENCE, blank=True)
    ended_on = models.DateField("thôi thực hiện từ ngày", null=True, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "đơn vị thực hiện cơ chế tự chủ"


class OnlineMeeting(Entry):
    """An online (video-conference) meeting; ``agency`` chaired it."""

    level = models.CharField("cấp", max_length=20, choices=MeetingLevel.choices)
    title = models.CharField("nội dung", max_length=MAX_TEXT)

    class Meta(Entry.Meta):
        verbose_name = "hội nghị truyền hình trực tuyến"
        indexes = [models.Index(fields=["level", "date"])]


class EdocSnapshot(Entry):
    """The e-document system's figures on a day (read from that system, not counted here)."""

    agencies_connected = models.PositiveIntegerField("cơ quan đã triển khai")
    agencies_exchanging = models.PositiveIntegerField("cơ quan gửi, nhận văn bản liên thông")
    source = models.CharField("nguồn", max_length=255, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "số liệu hệ thống quản lý văn bản"


class OutsideFigure(Entry):
    """A figure an outside system reports (national portal users, LGSP connections…) as of
    ``date``."""

    key = models.CharField("mã số liệu", max_length=60)
    label = models.CharField("tên số liệu", max_length=255)
    value = models.DecimalField("giá trị", max_digits=16, decimal_places=2)
    source = models.CharField("hệ thống nguồn", max_length=255)

    class Meta(Entry.Meta):
        verbose_name = "số liệu từ hệ thống khác"
        indexes = [models.Index(fields=["key", "date"])]
