"""Dossiers (hồ sơ) of the one-stop engine.

State changes happen only in ``services.py`` through the transition table of ``rules.py``;
deadlines are data (stored at reception, with every clock pause kept as an interval), and every
change writes an append-only ``AuditEvent``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.dossiers.rules import CLOCK_RUNNING_STATES, STATE_LABELS_VI, WORK_STATES, State

STATE_CHOICES = [(s.value, STATE_LABELS_VI[s]) for s in State]

cccd_validator = RegexValidator(
    r"^\d{12}$", "Số định danh cá nhân (CCCD) phải gồm 12 chữ số.", code="invalid_id_number"
)
tax_code_validator = RegexValidator(
    r"^\d{10}(-?\d{3})?$", "Mã số thuế phải gồm 10 hoặc 13 chữ số.", code="invalid_tax_code"
)


class Channel(models.TextChoices):
    DESK = "desk", "Trực tiếp tại Bộ phận Một cửa"
    POST = "post", "Qua dịch vụ bưu chính công ích"
    CITY_PORTAL = "city_portal", "Cổng Dịch vụ công của tỉnh"
    NATIONAL_PORTAL = "national_portal", "Cổng Dịch vụ công quốc gia"
    KIOSK = "kiosk", "Ki-ốt thông minh"


ONLINE_CHANNELS = frozenset({Channel.CITY_PORTAL, Channel.NATIONAL_PORTAL})
# Channel codes of the national portal (KenhThucHien): 1 direct, 2 online, 3 public post.
NATIONAL_CHANNEL = {
    Channel.DESK: 1,
    Channel.KIOSK: 1,
    Channel.POST: 3,
    Channel.CITY_PORTAL: 2,
    Channel.NATIONAL_PORTAL: 2,
}


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", "Cá nhân"
    ORGANISATION = "organisation", "Tổ chức"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Giải quyết"
    REFUSED = "refused", "Từ chối giải quyết"


class Delivery(models.TextChoices):
    DESK = "desk", "Tại Bộ phận Một cửa"
    POST = "post", "Qua bưu chính"
    ONLINE = "online", "Trực tuyến"


AGENCY_COLUMNS = ("receiving_agency", "deciding_agency", "current_agency")


class QueueIndex(models.Index):
    """A work-queue index whose ``effective_due_at`` sorts NULLs (not yet received) first.

    PostgreSQL sorts NULLs last in ascending order unless the index says NULLS FIRST; SQLite
    sorts them first already and refuses NULLS FIRST in an index definition."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        columns = [
            models.F(model._meta.get_field(name).attname).asc(nulls_first=True)
            if name == "effective_due_at"
            else models.F(model._meta.get_field(name).attname)
            for name in self.fields
        ]
        index = models.Index(
            *columns, condition=self.condition, name=self.name, include=self.include
        )
        return index.create_sql(model, schema_editor, using=using, **kwargs)


class Dossier(models.Model):
    code = models.CharField("mã hồ sơ", max_length=60, unique=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic-lock counter.")
    # no index of its own: the open states have ``dossier_open_state`` (Meta.indexes), and an
    # index over every dossier's state led PostgreSQL to intersect 300,000 entries of it with
    # a few thousand from a better index (issue 11)
    state = models.CharField("trạng thái", max_length=24, choices=STATE_CHOICES)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name="thủ tục",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    workflow = models.ForeignKey(
        "catalog.Workflow",
        verbose_name="quy trình (phiên bản)",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="nơi tiếp nhận",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        db_index=False,  # led by ``dossier_list_*`` (Meta.indexes), which serves lookups too
    )
    deciding_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan giải quyết",
        on_delete=models.PROTECT,
        related_name="decided_dossiers",
        db_index=False,  # led by ``dossier_list_*`` (Meta.indexes), which serves lookups too
    )
    current_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan đang xử lý",
        on_delete=models.PROTECT,
        related_name="current_dossiers",
        db_index=False,  # led by ``dossier_list_*`` (Meta.indexes), which serves lookups too
    )
    current_step = models.PositiveSmallIntegerField("bước hiện tại", default=0)
    channel = models.CharField("kênh nộp", max_length=20, choices=Channel.choices)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)

    # applicant (người nộp hồ sơ)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản người nộp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_kind = models.CharField(max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField("họ tên / tên tổ chức", max_length=255)
    applicant_name_search = models.CharField(max_length=255, db_index=True)
    applicant_id_number = models.CharField(
        "số CCCD", max_length=12, blank=True, db_index=True, validators=[cccd_validator]
    )
    applicant_birth_date = models.DateField("ngày sinh", null=True, blank=True)
    applicant_tax_code = models.CharField(
        "mã số thuế", max_length=14, blank=True, validators=[tax_code_validator]
    )
    applicant_representative = models.CharField("người đại diện", max_length=255, blank=True)
    applicant_phone = models.CharField("số điện thoại", max_length=20, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True)
    applicant_vneid = models.BooleanField("xác thực qua VNeID", default=False)

    # dates (stored UTC; deadlines computed in Asia/Ho_Chi_Minh by the working calendar)
    submitted_at = models.DateTimeField("ngày nộp")
    received_at = models.DateTimeField("ngày tiếp nhận", null=True, blank=True)
    due_at = models.DateTimeField("ngày hẹn trả (theo luật)", null=True, blank=True)
    extended_due_at = models.DateTimeField("ngày hẹn trả lại (Mẫu 04)", null=True, blank=True)
    effective_due_at = models.DateTimeField(
        "hạn xử lý hiện tại",
        null=True,
        blank=True,
        db_index=True,
        help_text="Due date moved by the paused working time and the apology (derived, indexed).",
    )
    paused_total = models.DurationField("thời gian tạm dừng (đã kết thúc)", default=timedelta(0))
    paused_working_seconds = models.PositiveIntegerField(default=0)
    supplement_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    ended_at = models.DateTimeField("kết thúc xử lý", null=True, blank=True)
    returned_at = models.DateTimeField("ngày trả kết quả", null=True, blank=True)

    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices, blank=True)
    decision_note = models.TextField("lý do / ghi chú kết quả", blank=True)
    result_electronic = models.BooleanField("kết quả điện tử", default=False)
    result_delivery = models.CharField(
        "hình thức trả", max_length=10, choices=Delivery.choices, blank=True
    )
    # answers to the procedure's declaration fields (catalog.FormField), by key: strings,
    # dates as YYYY-MM-DD (checked by dossiers.fields)
    field_values = models.JSONField("thông tin tờ khai", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # history import (docs/history-import.md): a dossier of the province's previous system
    imported = models.BooleanField(
        "nhập từ hệ thống cũ",
        default=False,
        db_default=False,  # raw INSERTs (benchmarks, bulk paths) may leave it out
        db_index=True,
        help_text="Loaded by `motcua history import`, not processed in motcua.",
    )
    legacy_code = models.CharField(
        "mã hồ sơ trên hệ thống cũ",
        max_length=60,
        blank=True,
        default="",
        db_default="",
        help_text="The previous system's dossier code (unique when set).",
    )
    national_synced_at = models.DateTimeField(
        "đồng bộ Cổng DVCQG lần đầu",
        null=True,
        blank=True,
        help_text=(
            "First successful sync to the national portal; issue 13 maintains it for live dossiers."
        ),
    )

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        # The work queue: open dossiers by due date, overall and per agency column. Partial
        # indexes keep finished dossiers (the vast majority after a few months) out of them.
        # Dossiers not yet received have no due date and come FIRST (waiting for reception is
        # a desk's most urgent work): the indexes sort NULLs first, as the queue does.
        indexes = [
            QueueIndex(
                fields=["effective_due_at", "submitted_at", "id"],
                condition=models.Q(state__in=[s.value for s in WORK_STATES]),
                name="dossier_open_due",
            ),
            *(
                QueueIndex(
                    fields=[field, "effective_due_at"],
                    condition=models.Q(state__in=[s.value for s in WORK_STATES]),
                    name=f"dossier_open_{field.split('_')[0]}",
                    # covering (PostgreSQL): the queue's counts by state and procedure
                    # (queries.queue_summary) are index-only scans, one per agency column
                    include=["state", "procedure", *sorted(set(AGENCY_COLUMNS) - {field})],
                )
                for field in AGENCY_COLUMNS
            ),
            # The queue counts' arms for the deciding and current columns
            # (queries.queue_summary) exclude dossiers received in the officer's scope, so
            # they only ever count dossiers decided, or now held, elsewhere than where they
            # were received: these hold those alone. Read through the indexes above, the two
            # arms scanned every open dossier of the scope a second and a third time to
            # exclude them all (half the counts' time for a district, issue 11).
            *(
                QueueIndex(
                    fields=[field, "effective_due_at"],
                    condition=models.Q(state__in=[s.value for s in WORK_STATES])
                    & ~models.Q(**{field: F("receiving_agency")}),
                    name=f"dossier_away_{field.split('_')[0]}",
                    include=["state", "procedure", *sorted(set(AGENCY_COLUMNS) - {field})],
                )
                for field in AGENCY_COLUMNS[1:]
            ),
            # "Overdue now" per agency (stats.overdue): without it PostgreSQL intersected the
            # current-agency index with the whole ``state`` index (400,000 entries at 10M for
            # a commune's 2,000 overdue dossiers, 140 ms); the predicate is the query's own
            # state filter, so this index answers the filter alone.
            models.Index(
                fields=["current_agency", "effective_due_at"],
                condition=models.Q(state__in=[s.value for s in CLOCK_RUNNING_STATES]),
                name="dossier_running_current",
            ),
            # A queue filtered by state, in queue order: for a district's or province's queue
            # the walk over ``dossier_open_due`` read every dossier waiting for reception (no
            # due date, so first) before the first one in the chosen state.
            QueueIndex(
                fields=["state", "effective_due_at", "submitted_at", "id"],
                condition=models.Q(state__in=[s.value for s in WORK_STATES]),
                name="dossier_open_state",
            ),
            models.Index(fields=["received_at"]),
            # The API's dossier list (restapi/cursor.py): per agency column, in the list's
            # keyset order, so a page reads ~limit rows per agency whatever the history's
            # size. They replace the plain foreign-key indexes (same leading column).
            *(
                models.Index(
                    F(field),
                    Coalesce("effective_due_at", "submitted_at"),
                    F("code"),
                    name=f"dossier_list_{field.split('_')[0]}",
                )
                for field in AGENCY_COLUMNS
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applicant_kind="organisation")
                | ~models.Q(applicant_id_number=""),
                name="dossier_individual_has_id",
                violation_error_message="Cá nhân phải có số định danh cá nhân.",
            ),
            models.UniqueConstraint(
                fields=["legacy_code"],
                condition=~models.Q(legacy_code=""),
                name="dossier_legacy_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def state_enum(self) -> State:
        return State(self.state)


class Counter(models.Model):
    """Named counters (daily dossier sequence per agency, yearly form numbers), incremented
    with one upsert statement so concurrent intake never hands out a number twice."""

    key = models.CharField(max_length=100, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.last}"


class OpenWork(models.Model):
    """The open-work tally: dossiers in a work state per (receiving, deciding, current agency,
    state, procedure), written only by database triggers on ``Dossier`` (see
    ``dossiers/openwork.py``). Plain integer columns, not foreign keys: a derived table that
    must never stop a deletion or a reset of the rows it counts."""

    receiving_agency_id = models.BigIntegerField()
    deciding_agency_id = models.BigIntegerField()
    current_agency_id = models.BigIntegerField()
    state = models.CharField(max_length=24)
    procedure_id = models.BigIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "receiving_agency_id",
                    "deciding_agency_id",
                    "current_agency_id",
                    "state",
                    "procedure_id",
                ],
                name="openwork_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.receiving_agency_id}/{self.current_agency_id} {self.state}: {self.n}"


class DossierStep(models.Model):
    """One workflow step of one dossier, with its own due time (Form 06 is built from these)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=20)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT)
    allotted_hours = models.DecimalField(max_digits=7, decimal_places=2)
    due_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="step_order")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.order} {self.name}"


class Pause(models.Model):
    """A clock pause (supplement request → supplement received), kept as an interval."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "started_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.started_at:%d/%m/%Y} → {self.ended_at or '…'}"


class DossierDocument(models.Model):
    """A dossier component: what the applicant brought or uploaded for a required document."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument", null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(max_length=500)
    originals = models.PositiveSmallIntegerField(default=0)
    copies = models.PositiveSmallIntegerField(default=0)
    digitised = models.BooleanField("đã số hóa", default=False)
    from_national_db = models.BooleanField("khai thác từ CSDL quốc gia", default=False)
    # the applicant chose, when submitting online, to bring this document on paper
    on_paper = models.BooleanField("nộp bản giấy", default=False)

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    """An uploaded file, checked by content, stored through Django's storage API."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        DossierDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    purpose = models.CharField(
        max_length=20, default="component"
    )  # component | supplement | result
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class FeeCharge(models.Model):
    """A fee line due on a dossier, and its payment."""

    class PaymentChannel(models.TextChoices):
        CASH = "cash", "Tiền mặt"
        BANK = "bank", "Chuyển khoản"
        ONLINE = "online", "Thanh toán trực tuyến"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(max_length=255)
    amount_vnd = models.PositiveBigIntegerField()
    paid_vnd = models.PositiveBigIntegerField(default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_channel = models.CharField(max_length=10, choices=PaymentChannel.choices, blank=True)
    gateway = models.CharField(max_length=50, blank=True)
    transaction_ref = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_vnd} đ"


class IssuedForm(models.Model):
    """A legal form issued: an immutable snapshot, rendered on demand. Form 07 (the desk's
    dossier log) belongs to an agency rather than to one dossier."""

    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="forms"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT)
    form = models.CharField(max_length=2)  # "01".."07"
    number = models.CharField(max_length=60)
    issued_at = models.DateTimeField()
    template_version = models.CharField(max_length=30)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["dossier", "issued_at", "pk"]

    def __str__(self) -> str:
        return f"Mẫu {self.form} số {self.number}"


class AuditEvent(models.Model):
    """Append-only trail of every state change and every form issued.

    Nothing updates or deletes these rows; on PostgreSQL and SQLite a trigger refuses it.
    """

    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_role = models.CharField(max_length=20, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=24)  # an Action, or "issue_form"
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    national_status = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)
    form = models.ForeignKey(IssuedForm, null=True, blank=True, on_delete=models.PROTECT)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "nhật ký hồ sơ"
        verbose_name_plural = "nhật ký hồ sơ"
        ordering = ["dossier", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


class SyncItem(models.Model):
    """The national-portal outbox entry of one audit event (``motcua.natsync``), created when
    the synchroniser first looks at the event: an event without a SyncItem is pending
    (``queries.pending_sync``). Kept apart from the append-only events so that sync
    bookkeeping never touches the trail. A dossier's items are sent in event order."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENDING = "sending", "Đang gửi"
        SENT = "sent", "Đã đồng bộ"
        FAILED = "failed", "Lỗi, sẽ gửi lại"
        DEAD = "dead", "Lỗi, cần xử lý"

    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="sync")
    # denormalised from the event: the per-dossier order and the dossier page read it
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="sync_items"
    )
    state = models.CharField(
        "trạng thái đồng bộ", max_length=10, choices=State.choices, default=State.PENDING
    )
    synced_at = models.DateTimeField("đồng bộ Cổng DVCQG lúc", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # the lease of the worker sending it (a crashed worker's lease expires)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    response = models.JSONField("trả lời của Cổng", default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["synced_at"]),
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["dossier", "event"]),
        ]

    def __str__(self) -> str:
        return f"sync {self.event_id}"


class FormText(models.Model):
    """An administrator's correction of one fixed sentence of a legal form (``legalforms.
    wording``). Rows are never edited: each change is a new version and the newest applies to
    forms issued from then on; an issued form keeps the words stored in its snapshot."""

    form = models.CharField("mẫu số", max_length=2)
    key = models.CharField("đoạn văn", max_length=40)
    version = models.PositiveIntegerField("phiên bản", editable=False)
    text = models.TextField("nội dung")
    note = models.CharField("căn cứ, lý do sửa", max_length=500, blank=True)
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, editable=False
    )

    class Meta:
        verbose_name = "câu chữ biểu mẫu"
        verbose_name_plural = "câu chữ biểu mẫu"
        ordering = ["form", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key", "version"], name="form_text_version")
        ]

    def __str__(self) -> str:
        return f"Mẫu {self.form} · {self.key} · v{self.version}"
