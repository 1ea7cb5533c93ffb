"""Issues of the bulletin (bản tin số 01, 02, …, numbered per year and scope).

An ``Issue`` is a draft while the editor writes its narrative; publishing gives it its number
and writes a ``Publication``: the immutable snapshot (figures with their values and sources as
JSON, the rendered HTML, the PDF and Word files with their SHA-256), as a dossier's legal forms
are kept. Publications are append-only in the database (core/appendonly.py), and a published
issue's row refuses any update or delete (triggers in migration 0002): a correction is a new
issue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.agencies.models import Agency


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    PUBLISHED = "published", "Đã phát hành"


class Issue(models.Model):
    agency = models.ForeignKey(
        Agency,
        verbose_name="phạm vi",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Cơ quan và các đơn vị trực thuộc; cấp tỉnh (thành phố) là toàn địa bàn.",
    )
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    title = models.CharField("tiêu đề", max_length=300)
    narrative = models.JSONField("nội dung biên tập theo mục", default=dict, blank=True)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default="draft")
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)  # set on publishing
    number = models.PositiveSmallIntegerField("số", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the draft form

    class Meta:
        verbose_name = "bản tin cải cách hành chính"
        verbose_name_plural = "bản tin cải cách hành chính"
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="bulletin_issue_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="bulletin_issue_period_order",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True, year__isnull=True)
                | Q(status="published", number__isnull=False, year__isnull=False),
                name="bulletin_issue_number_when_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} số {self.number:02d}" if self.number else f"{self.title} (dự thảo)"

    @property
    def is_published(self) -> bool:
        return self.status == IssueStatus.PUBLISHED

    @property
    def number_display(self) -> str:
        return f"{self.number:02d}" if self.number else ""


class Publication(models.Model):
    """The published issue, as it was: never updated nor deleted (append-only table)."""

    issue = models.OneToOneField(Issue, on_delete=models.PROTECT, related_name="publication")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField()  # compose.Bulletin.to_json(): figures, values, sources, text
    html = models.TextField()
    html_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="bulletin/%Y/")
    pdf_sha256 = models.CharField(max_length=64)
    docx = models.FileField(upload_to="bulletin/%Y/")
    docx_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "bản tin đã phát hành"
        verbose_name_plural = "bản tin đã phát hành"

    def __str__(self) -> str:
        return str(self.issue)
