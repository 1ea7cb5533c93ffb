"""The local↔national procedure-code table and the reviewed catalog pulls. The outbox
itself is ``dossiers.SyncItem`` (one row per audit event)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ProcedureCode(models.Model):
    """A procedure whose national code (``MaTTHC``) differs from the local catalog code, e.g.
    a provincial variant of a national procedure. Without a row the catalog code is sent."""

    procedure = models.OneToOneField(
        "catalog.Procedure",
        verbose_name="thủ tục",
        on_delete=models.CASCADE,
        related_name="national_code",
    )
    national_code = models.CharField("mã TTHC quốc gia", max_length=40)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "mã TTHC quốc gia"
        verbose_name_plural = "bảng mã TTHC địa phương ↔ quốc gia"

    def __str__(self) -> str:
        return f"{self.procedure_id} → {self.national_code}"


class CatalogPull(models.Model):
    """Procedures fetched from the national catalog (``LayDanhSachTTHC``/``LayThuTuc``), kept
    with their diff against the local catalog until an administrator applies or discards
    them: nothing enters the catalog unseen."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Chờ duyệt"
        APPLIED = "applied", "Đã áp dụng"
        DISCARDED = "discarded", "Đã hủy"

    created_at = models.DateTimeField("lấy về lúc")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    records = models.JSONField("thủ tục lấy về", default=list)
    diff = models.JSONField("khác biệt", default=list)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "đợt lấy TTHC từ CSDL quốc gia"
        verbose_name_plural = "các đợt lấy TTHC từ CSDL quốc gia"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"pull {self.pk} ({self.status})"
