"""1022 feedback (phản ánh, kiến nghị): categories, routing rules, items, their append-only
audit trail, attachments and Open311 API clients."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

from motcua.feedback import rules
from motcua.feedback.rules import Channel, State


class Category(models.Model):
    """A node of the configurable category tree; its ``code`` is the Open311 service_code."""

    code = models.SlugField("mã lĩnh vực", max_length=40, unique=True)
    name_vi = models.CharField("tên", max_length=200)
    name_en = models.CharField("tên tiếng Anh", max_length=200, blank=True)
    description = models.TextField("mô tả", blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="lĩnh vực cha",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    active = models.BooleanField("đang dùng", default=True)
    refuse_days = models.PositiveSmallIntegerField(
        "hạn từ chối (ngày làm việc)", default=rules.DEFAULT_REFUSE_DAYS
    )
    request_days = models.PositiveSmallIntegerField(
        "hạn yêu cầu bổ sung lần đầu (ngày làm việc)", default=rules.DEFAULT_REQUEST_DAYS
    )
    handle_days = models.PositiveSmallIntegerField(
        "hạn xử lý (ngày làm việc)", default=rules.DEFAULT_HANDLE_DAYS
    )
    publish_days = models.PositiveSmallIntegerField(
        "hạn công khai (ngày làm việc)", default=rules.DEFAULT_PUBLISH_DAYS
    )

    class Meta:
        verbose_name = "lĩnh vực phản ánh"
        verbose_name_plural = "lĩnh vực phản ánh"
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(parent=models.F("pk")),
                name="feedback_category_parent_not_self",
            ),
            models.CheckConstraint(
                condition=models.Q(handle_days__gte=1), name="feedback_category_handle_days"
            ),
        ]

    def __str__(self) -> str:
        return self.name_vi

    @property
    def name(self) -> str:
        """The name in the active language (English when there is one, else Vietnamese)."""
        return localized_name(self)

    def ancestor_ids(self) -> list[int]:
        ids: list[int] = []
        node: Category | None = self
        while node is not None and len(ids) < 20:
            ids.append(node.pk)
            node = node.parent
        return ids


def localized_name(obj: object | None) -> str:
    """``name_en`` of a category or agency in English mode when it has one, else ``name_vi``."""
    if obj is None:
        return ""
    english = getattr(obj, "name_en", "") if (get_language() or "").startswith("en") else ""
    return english or getattr(obj, "name_vi", "")


class RoutingRule(models.Model):
    """Data, not code: items of ``category`` (or any, when empty) located in ``area`` (or its
    subtree; anywhere when empty) go to ``agency``. The most specific rule wins, then the
    lowest ``priority``."""

    category = models.ForeignKey(
        Category, verbose_name="lĩnh vực", null=True, blank=True, on_delete=models.CASCADE
    )
    area = models.ForeignKey(
        "agencies.Agency",
        verbose_name="địa bàn",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan xử lý",
        on_delete=models.PROTECT,
        related_name="feedback_rules",
    )
    priority = models.PositiveSmallIntegerField("ưu tiên", default=100)
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "quy tắc chuyển xử lý"
        verbose_name_plural = "quy tắc chuyển xử lý"
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return f"{self.category or '*'} @ {self.area or '*'} → {self.agency.name_vi}"


class FeedbackItem(models.Model):
    code = models.CharField("mã phản ánh", max_length=30, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(
        "kênh tiếp nhận",
        max_length=12,
        choices=[(c.value, rules.CHANNEL_LABELS_VI[c]) for c in Channel],
    )
    category = models.ForeignKey(Category, verbose_name="lĩnh vực", on_delete=models.PROTECT)
    title = models.CharField("tiêu đề", max_length=255)
    description = models.TextField("nội dung")
    search_text = models.TextField(editable=False, blank=True)
    address = models.CharField("địa điểm", max_length=255, blank=True)
    latitude = models.DecimalField("vĩ độ", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        "kinh độ", max_digits=9, decimal_places=6, null=True, blank=True
    )
    area = models.ForeignKey(
        "agencies.Agency",
        verbose_name="địa bàn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    media_url = models.URLField("đường dẫn hình ảnh", blank=True)
    # reporter contact: private, never shown on public pages or Open311
    reporter_name = models.CharField("họ tên người phản ánh", max_length=200, blank=True)
    reporter_phone = models.CharField("số điện thoại", max_length=20, blank=True)
    reporter_email = models.EmailField("thư điện tử", blank=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_sender = models.CharField("mã người gửi trên nền tảng", max_length=100, blank=True)
    external_id = models.CharField("mã tin nhắn trên nền tảng", max_length=100, blank=True)
    is_public = models.BooleanField("đồng ý công khai", default=True)
    # the dossier code as the reporter typed it; ``dossier`` is linked only when the reporter
    # owns that dossier or proved it like public tracking (docs/security.md, existence oracle)
    dossier_code = models.CharField("mã hồ sơ người phản ánh khai", max_length=40, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name="hồ sơ liên quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    centre = models.ForeignKey(
        "agencies.Agency",
        verbose_name="đơn vị tiếp nhận (1022)",
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan xử lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    state = models.CharField(
        "trạng thái",
        max_length=16,
        choices=[(s.value, rules.STATE_LABELS_VI[s]) for s in State],
        default=State.RECEIVED,
    )
    version = models.PositiveIntegerField(default=1)
    # deadlines are snapshotted when the clock starts (architecture.md, "deadlines are data")
    received_at = models.DateTimeField("ngày tiếp nhận", db_index=True)
    refuse_due = models.DateTimeField("hạn từ chối")
    request_due = models.DateTimeField("hạn yêu cầu bổ sung")
    handle_start = models.DateTimeField("bắt đầu tính hạn xử lý")
    handle_due = models.DateTimeField("hạn xử lý")
    publish_due = models.DateTimeField("hạn công khai", null=True, blank=True)
    handled_at = models.DateTimeField("xử lý xong lúc", null=True, blank=True)
    handled_on_time = models.BooleanField(null=True, blank=True)
    published_at = models.DateTimeField("công khai lúc", null=True, blank=True)
    closed_at = models.DateTimeField("đóng lúc", null=True, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc")
    info_request = models.TextField("nội dung yêu cầu bổ sung", blank=True)
    refusal_reason = models.TextField("lý do từ chối", blank=True)
    answer = models.TextField("nội dung trả lời", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_count = models.PositiveSmallIntegerField(default=0)
    rating = models.CharField(
        "đánh giá",
        max_length=8,
        blank=True,
        choices=[("like", "Hài lòng"), ("dislike", "Chưa hài lòng")],
    )
    # history import (docs/history-import.md): an item of the province's previous system
    imported = models.BooleanField("nhập từ hệ thống cũ", default=False, db_default=False)
    legacy_code = models.CharField(
        "mã phản ánh trên hệ thống cũ", max_length=60, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="feedback_item_external_unique",
            ),
            models.UniqueConstraint(
                fields=["legacy_code"],
                condition=~models.Q(legacy_code=""),
                name="feedback_item_legacy_code_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="feedback_item_latlon_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in State]),
                name="feedback_item_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=["assigned", "in_progress", "answer_drafted"])
                | models.Q(agency__isnull=False),
                name="feedback_item_agency_when_assigned",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "handle_due"]),
            models.Index(fields=["category", "received_at"]),
            models.Index(fields=["agency", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def state_label(self) -> str:
        return str(rules.STATE_LABELS_VI[State(self.state)])

    @property
    def channel_label(self) -> str:
        return str(rules.CHANNEL_LABELS_VI[Channel(self.channel)])


class FeedbackEvent(models.Model):
    """Append-only trail (who, when, what, why, before/after); a trigger refuses changes."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "nhật ký phản ánh"
        verbose_name_plural = "nhật ký phản ánh"
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


class FeedbackAttachment(models.Model):
    item = models.ForeignKey(FeedbackItem, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="feedback/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "tệp đính kèm phản ánh"
        verbose_name_plural = "tệp đính kèm phản ánh"

    def __str__(self) -> str:
        return self.original_name


class ApiClient(models.Model):
    """An application allowed to POST Open311 requests (the ``api_key``)."""

    name = models.CharField("tên ứng dụng", max_length=100)
    key = models.CharField("api_key", max_length=64, unique=True)
    channel = models.CharField(
        "kênh",
        max_length=12,
        choices=[(c.value, rules.CHANNEL_LABELS_VI[c]) for c in Channel],
        default=Channel.MOBILE_APP,
    )
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "ứng dụng Open311"
        verbose_name_plural = "ứng dụng Open311"

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """Named counters for item codes (one upsert statement on both databases)."""

    key = models.CharField(max_length=60, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.last}"
