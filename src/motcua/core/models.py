"""The audit trail of reference data: agencies, the catalog, the working calendar.

Dossiers and feedback items have their own trails (``dossiers.AuditEvent``, ``FeedbackEvent``);
this one records every change made through the reference-data services, append-only like them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ChangeEvent(models.Model):
    at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    action = models.CharField("thao tác", max_length=40)
    object_type = models.CharField("đối tượng", max_length=60)
    object_id = models.CharField("mã đối tượng", max_length=60, blank=True)
    summary = models.CharField("nội dung", max_length=500)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "nhật ký thay đổi dữ liệu danh mục"
        verbose_name_plural = "nhật ký thay đổi dữ liệu danh mục"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_type}:{self.object_id}"


class RateWindow(models.Model):
    """One rate-limit or lockout counter: how many events ``key`` had since ``started``
    (seconds since the epoch). Kept in the database so that every worker process and every
    server count the same events (see ``core.ratelimit``)."""

    key = models.CharField(max_length=200, unique=True)
    started = models.FloatField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm giới hạn truy cập"
        verbose_name_plural = "bộ đếm giới hạn truy cập"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class CacheVersion(models.Model):
    """The current version of something pages are cached from (``"catalog"``): a new random
    token on every change, so that every worker process and server stops serving what it cached
    before (``core.pagecache``; used when Django's cache is not shared through Redis)."""

    key = models.CharField(max_length=50, unique=True)
    token = models.CharField(max_length=40)
    changed = models.FloatField()  # seconds since the epoch: the responses' Last-Modified

    class Meta:
        verbose_name = "phiên bản bộ đệm"
        verbose_name_plural = "phiên bản bộ đệm"

    def __str__(self) -> str:
        return f"{self.key}: {self.token}"
