"""API tokens for systems: stored hashed, scoped to an agency and a set of permissions.

A token acts through its own service-account ``User`` holding ``Membership`` rows in the
token's agency, so the dossier services' permission checks and the scope queries apply to it
exactly as they do to an officer. The secret is shown once; only its SHA-256 is stored, with a
short public prefix to find the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    name = models.CharField("tên", max_length=100)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan",
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    permissions = models.JSONField(
        "quyền",
        default=list,
        help_text='Scopes such as "dossiers:read", "dossiers:write", "tasks:*".',
    )
    prefix = models.CharField("tiền tố", max_length=16, unique=True)
    token_hash = models.CharField("băm SHA-256", max_length=64)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản dịch vụ",
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """An unsafe API call made with an ``Idempotency-Key``, and the answer it got (see
    ``restapi.idempotency``). ``scope`` is the caller: a token's hash or a session user."""

    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
