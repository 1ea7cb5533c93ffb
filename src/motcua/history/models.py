"""One row per history import: the import's audit event (who, when, which file, what it did).

Imported records are marked on their own rows (``imported``, ``legacy_code``); this row says
where they came from. Rows are only ever inserted."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HistoryImport(models.Model):
    class Kind(models.TextChoices):
        DOSSIERS = "dossiers", "Hồ sơ"
        FEEDBACK = "feedback", "Phản ánh, kiến nghị"
        RATINGS = "ratings", "Đánh giá"

    kind = models.CharField("loại dữ liệu", max_length=10, choices=Kind.choices)
    at = models.DateTimeField("lúc", db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    os_user = models.CharField("tài khoản hệ điều hành", max_length=100, blank=True)
    file_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows = models.PositiveIntegerField("số dòng")
    created = models.PositiveIntegerField("thêm mới")
    skipped = models.PositiveIntegerField("đã có, bỏ qua")
    seconds = models.FloatField("thời gian (giây)", default=0)

    class Meta:
        verbose_name = "lần nhập dữ liệu lịch sử"
        verbose_name_plural = "các lần nhập dữ liệu lịch sử"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.kind} {self.file_name}"
