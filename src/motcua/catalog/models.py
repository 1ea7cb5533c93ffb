"""The procedure catalog: fields, procedures (TTHC), fees, required documents and versioned
internal workflows.

A dossier keeps a foreign key to the exact ``Workflow`` version it started with, so a workflow
that has ever been active is never changed: a change is a new version (see ``services.py``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from motcua.agencies.models import Agency
from motcua.catalog import rules
from motcua.core.text import normalize_search


class Field(models.Model):
    name_vi = models.CharField("tên lĩnh vực", max_length=255, unique=True)
    name_en = models.CharField("tên tiếng Anh", max_length=255, blank=True)
    name_search = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name_vi"]

    def __str__(self) -> str:
        return self.name_vi

    def save(self, *args, **kwargs) -> None:
        self.name_search = normalize_search(self.name_vi)  # derived copy for search
        super().save(*args, **kwargs)


class ProcessingUnit(models.TextChoices):
    DAYS = rules.DAYS, "ngày làm việc"
    HOURS = rules.HOURS, "giờ làm việc"


class OnlineMode(models.TextChoices):
    FULL = "full", "Toàn trình"
    PARTIAL = "partial", "Một phần"
    NONE = "none", "Không"


class Origin(models.TextChoices):
    """Who laid the procedure down (the bulletin's split of the procedures in force)."""

    CENTRAL = "central", "Trung ương quy định"
    LOCAL = "local", "Địa phương quy định (đặc thù)"
    INTERLINKED = "interlinked", "Nhóm thủ tục liên thông"


class HistoricalOnlineLevel(models.IntegerChoices):
    LEVEL_2 = 2, "Mức độ 2"
    LEVEL_3 = 3, "Mức độ 3"
    LEVEL_4 = 4, "Mức độ 4"


class Procedure(models.Model):
    code = models.CharField(
        "mã TTHC",
        max_length=40,
        blank=True,
        help_text="Mã thủ tục trên Cơ sở dữ liệu quốc gia; để trống nếu chưa có.",
    )
    code_unconfirmed = models.BooleanField("mã chưa xác nhận", default=False)
    name_vi = models.CharField("tên thủ tục", max_length=500)
    name_en = models.CharField("tên tiếng Anh", max_length=500, blank=True)
    name_search = models.CharField(max_length=500, editable=False, db_index=True)
    field = models.ForeignKey(
        Field, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="procedures"
    )
    at_commune = models.BooleanField("cấp xã", default=False)
    at_district = models.BooleanField("cấp huyện", default=False)
    at_province = models.BooleanField("cấp tỉnh", default=False)
    implementing_agencies = models.ManyToManyField(
        Agency, verbose_name="cơ quan thực hiện", blank=True, related_name="procedures"
    )
    processing_amount = models.PositiveIntegerField(
        "thời hạn giải quyết",
        null=True,
        blank=True,
        help_text="0 = trong ngày. Để trống nếu chưa xác định.",
    )
    processing_unit = models.CharField(
        "đơn vị thời hạn",
        max_length=1,
        choices=ProcessingUnit.choices,
        default=ProcessingUnit.DAYS,
    )
    processing_unconfirmed = models.BooleanField("thời hạn chưa xác nhận", default=False)
    result_type = models.TextField("kết quả thực hiện", blank=True)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    online_mode = models.CharField(
        "dịch vụ công trực tuyến",
        max_length=10,
        choices=OnlineMode.choices,
        default=OnlineMode.NONE,
    )
    historical_online_level = models.PositiveSmallIntegerField(
        "mức độ (trước 2022)", null=True, blank=True, choices=HistoricalOnlineLevel.choices
    )
    online_mode_unconfirmed = models.BooleanField("mức độ trực tuyến chưa xác nhận", default=False)
    is_active = models.BooleanField("đang áp dụng", default=True)
    # bulletin figures (catalog/figures.py): most procedures are laid down by the central
    # government; a few are the province's own, a few are interlinked groups
    origin = models.CharField(
        "nguồn quy định", max_length=12, choices=Origin.choices, default=Origin.CENTRAL
    )
    on_national_portal = models.BooleanField(
        "tích hợp trên Cổng Dịch vụ công quốc gia", default=False
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["code", "name_vi"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="procedure_code_unique",
                violation_error_message="Mã TTHC đã tồn tại.",
            ),
            models.CheckConstraint(
                condition=Q(at_commune=True) | Q(at_district=True) | Q(at_province=True),
                name="procedure_has_level",
                violation_error_message="Thủ tục phải thuộc ít nhất một cấp thực hiện.",
            ),
            models.CheckConstraint(
                condition=Q(processing_amount__isnull=False) | Q(processing_unconfirmed=True),
                name="procedure_unknown_time_unconfirmed",
                violation_error_message="Thời hạn chưa xác định phải được đánh dấu chưa xác nhận.",
            ),
            models.CheckConstraint(
                condition=Q(historical_online_level__isnull=True)
                | Q(historical_online_level__in=[2, 3, 4]),
                name="procedure_historical_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name_vi}" if self.code else self.name_vi

    def save(self, *args, **kwargs) -> None:
        self.name_search = normalize_search(self.name_vi)  # derived copy for search
        super().save(*args, **kwargs)

    @property
    def levels(self) -> list[str]:
        flags = (self.at_commune, self.at_district, self.at_province)
        return [level for level, on in zip(rules.LEVELS, flags, strict=True) if on]

    @property
    def legal_time_display(self) -> str:
        return rules.describe_legal_time(self.processing_amount, self.processing_unit)

    @property
    def has_unconfirmed(self) -> bool:
        return self.code_unconfirmed or self.processing_unconfirmed or self.online_mode_unconfirmed


class FeeLine(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name="thủ tục", on_delete=models.CASCADE, related_name="fee_lines"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    name = models.CharField("tên khoản thu", max_length=255, default="Lệ phí")
    amount_vnd = models.PositiveBigIntegerField(
        "số tiền (đồng)", null=True, blank=True, help_text="0 = không thu; để trống nếu chưa rõ."
    )
    unconfirmed = models.BooleanField("chưa xác nhận", default=False)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="fee_line_order_unique"),
            models.CheckConstraint(
                condition=Q(amount_vnd__isnull=False) | Q(unconfirmed=True),
                name="fee_line_unknown_unconfirmed",
                violation_error_message=(
                    "Khoản thu chưa rõ số tiền phải được đánh dấu chưa xác nhận."
                ),
            ),
        ]

    def __str__(self) -> str:
        amount = "?" if self.amount_vnd is None else f"{self.amount_vnd:,} đ".replace(",", ".")
        return f"{self.name}: {amount}"


class RequiredDocument(models.Model):
    procedure = models.ForeignKey(
        Procedure,
        verbose_name="thủ tục",
        on_delete=models.CASCADE,
        related_name="required_documents",
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    name = models.CharField("tên giấy tờ", max_length=1000)
    originals = models.PositiveSmallIntegerField("số bản chính", default=1)
    copies = models.PositiveSmallIntegerField("số bản sao", default=0)
    present_only = models.BooleanField(
        "chỉ xuất trình", default=False, help_text="Xuất trình để đối chiếu, không nộp."
    )
    mandatory = models.BooleanField("bắt buộc", default=True)
    template = models.FileField("mẫu đơn, tờ khai", upload_to="catalog/templates/", blank=True)

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="document_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class FormFieldKind(models.TextChoices):
    TEXT = "text", "Văn bản ngắn"
    LONG_TEXT = "textarea", "Văn bản dài"
    DATE = "date", "Ngày"
    INTEGER = "integer", "Số nguyên"
    CHOICE = "choice", "Chọn một trong danh sách"


class FormField(models.Model):
    """A piece of information the procedure's declaration (tờ khai) asks for beyond the
    applicant, e.g. the child's name and birth date of a birth registration. The portal and the
    desk render these; the dossier stores the answers (``Dossier.field_values``) by ``key``."""

    procedure = models.ForeignKey(
        Procedure, verbose_name="thủ tục", on_delete=models.CASCADE, related_name="form_fields"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    key = models.SlugField("mã trường", max_length=50, help_text="Chữ không dấu, gạch dưới.")
    label_vi = models.CharField("nhãn", max_length=255)
    label_en = models.CharField("nhãn tiếng Anh", max_length=255, blank=True)
    kind = models.CharField(
        "kiểu dữ liệu", max_length=10, choices=FormFieldKind.choices, default=FormFieldKind.TEXT
    )
    required = models.BooleanField("bắt buộc", default=True)
    choices = models.TextField("các lựa chọn", blank=True, help_text="Mỗi dòng một lựa chọn.")
    help_vi = models.CharField("hướng dẫn", max_length=500, blank=True)

    class Meta:
        verbose_name = "trường thông tin tờ khai"
        verbose_name_plural = "trường thông tin tờ khai"
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "key"], name="form_field_key_unique"),
            models.UniqueConstraint(fields=["procedure", "order"], name="form_field_order_unique"),
            models.CheckConstraint(
                condition=~Q(kind="choice") | ~Q(choices=""),
                name="form_field_choice_has_choices",
                violation_error_message="Trường kiểu lựa chọn phải có danh sách lựa chọn.",
            ),
        ]

    def __str__(self) -> str:
        return self.label_vi

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class WorkflowStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ACTIVE = "active", "Đang áp dụng"
    RETIRED = "retired", "Hết hiệu lực"


class Workflow(models.Model):
    procedure = models.ForeignKey(
        Procedure, verbose_name="thủ tục", on_delete=models.PROTECT, related_name="workflows"
    )
    version = models.PositiveIntegerField("phiên bản")
    status = models.CharField(
        "trạng thái", max_length=10, choices=WorkflowStatus.choices, default=WorkflowStatus.DRAFT
    )
    # The legal time the steps were sized for, so a dossier's snapshot stays consistent even
    # if the procedure's time is later changed.
    legal_amount = models.PositiveIntegerField("thời hạn giải quyết")
    legal_unit = models.CharField(
        "đơn vị thời hạn", max_length=1, choices=ProcessingUnit.choices, default=rules.DAYS
    )
    approved_ref = models.CharField("số quyết định phê duyệt", max_length=100, blank=True)
    valid_from = models.DateField("áp dụng từ ngày", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    activated_at = models.DateTimeField("kích hoạt lúc", null=True, blank=True)
    retired_at = models.DateTimeField("hết hiệu lực lúc", null=True, blank=True)

    class Meta:
        verbose_name = "quy trình nội bộ"
        verbose_name_plural = "quy trình nội bộ"
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "version"],
                name="workflow_version_unique",
                violation_error_message="Phiên bản quy trình đã tồn tại.",
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="active"),
                name="workflow_one_active_per_procedure",
                violation_error_message="Mỗi thủ tục chỉ có một quy trình đang áp dụng.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} – phiên bản {self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == WorkflowStatus.DRAFT

    @property
    def legal_time_display(self) -> str:
        return rules.describe_legal_time(self.legal_amount, self.legal_unit)


class StepRole(models.TextChoices):
    RECEPTION = rules.RECEPTION, "Tiếp nhận"
    SPECIALIST = rules.SPECIALIST, "Chuyên viên thụ lý"
    LEADER = rules.LEADER, "Lãnh đạo phê duyệt"
    RETURN = rules.RETURN, "Trả kết quả"
    OTHER = rules.OTHER, "Khác"


class Performer(models.TextChoices):
    RECEIVING = rules.RECEIVING, "Cơ quan tiếp nhận"
    DECIDING = rules.DECIDING, "Cơ quan giải quyết"
    SPECIFIC = rules.SPECIFIC, "Cơ quan cụ thể"


class WorkflowStep(models.Model):
    # PROTECT: dossiers reference workflow versions; steps are only removed with a draft
    workflow = models.ForeignKey(
        Workflow, verbose_name="quy trình", on_delete=models.PROTECT, related_name="steps"
    )
    order = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên bước", max_length=255)
    role = models.CharField("vai trò", max_length=20, choices=StepRole.choices)
    performer = models.CharField(
        "đơn vị thực hiện", max_length=20, choices=Performer.choices, default=Performer.DECIDING
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workflow_steps",
    )
    allotted_hours = models.DecimalField("thời gian (giờ làm việc)", max_digits=7, decimal_places=1)

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "các bước xử lý"
        ordering = ["workflow", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "order"], name="workflow_step_order_unique"
            ),
            models.CheckConstraint(
                condition=(Q(performer=rules.SPECIFIC) & Q(agency__isnull=False))
                | (~Q(performer=rules.SPECIFIC) & Q(agency__isnull=True)),
                name="workflow_step_agency_iff_specific",
                violation_error_message="Chỉ chọn cơ quan khi đơn vị thực hiện là cơ quan cụ thể "
                "(và khi đó bắt buộc chọn).",
            ),
            models.CheckConstraint(
                condition=Q(allotted_hours__gt=0),
                name="workflow_step_hours_positive",
                violation_error_message="Thời gian của bước phải lớn hơn 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name} ({self.allotted_hours} giờ)"
