"""Satisfaction ratings (đánh giá sự hài lòng): online after a result is returned, or on a
counter tablet (kiosk) against the desk and the officer who served."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "Rất hài lòng"
    SATISFIED = "satisfied", "Hài lòng"
    NOT_SATISFIED = "not_satisfied", "Không hài lòng"


class KioskDevice(models.Model):
    """A counter tablet. It authenticates with a device token (stored hashed), not a login."""

    name = models.CharField("tên thiết bị / quầy", max_length=100)
    agency = models.ForeignKey("agencies.Agency", verbose_name="cơ quan", on_delete=models.PROTECT)
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField("đang dùng", default=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "thiết bị đánh giá tại quầy"
        verbose_name_plural = "thiết bị đánh giá tại quầy"

    def __str__(self) -> str:
        return f"{self.name} — {self.agency.name_vi}"


class Rating(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", "Trực tuyến"
        KIOSK = "kiosk", "Thiết bị tại quầy"

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating",
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT)
    level = models.CharField("mức độ hài lòng", max_length=20, choices=Level.choices)
    comment = models.TextField("ý kiến", blank=True, max_length=2000)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    device = models.ForeignKey(KioskDevice, null=True, blank=True, on_delete=models.PROTECT)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_given",
    )
    # the rating's own time: now for a live rating, the old system's date for an imported one
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    imported = models.BooleanField("nhập từ hệ thống cũ", default=False, db_default=False)
    legacy_code = models.CharField(
        "mã đánh giá trên hệ thống cũ", max_length=60, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = "đánh giá"
        verbose_name_plural = "đánh giá"
        indexes = [models.Index(fields=["agency", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_code"],
                condition=~models.Q(legacy_code=""),
                name="rating_legacy_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.created_at:%d/%m/%Y})"
