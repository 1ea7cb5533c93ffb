"""The certificate register: one row per certificate an issuer (a CA) issued to an agency or
to one of its officials. Written only through ``certificates.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from motcua.agencies.models import Agency
from motcua.certificates.rules import (
    MAX_DN,
    MAX_NOTES,
    MAX_SERIAL_HEX,
    MAX_TEXT,
    Device,
    Kind,
    Status,
    format_serial,
)


class CertificateOffice(models.Model):
    """Agencies that keep the city's register (the Department of Information and
    Communications registers certificates with the issuer; Home Affairs follows the
    officials): their officers see and manage every certificate, see permissions.py."""

    agency = models.OneToOneField(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "cơ quan quản lý chứng thư số"
        verbose_name_plural = "cơ quan quản lý chứng thư số"

    def __str__(self) -> str:
        return self.agency.name_vi


class Certificate(models.Model):
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    holder_name = models.CharField("chủ thể", max_length=MAX_TEXT)
    holder_position = models.CharField("chức vụ", max_length=MAX_TEXT, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản cán bộ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    serial = models.CharField("số hiệu", max_length=MAX_SERIAL_HEX)  # rules.normalize_serial
    issuer = models.CharField("tổ chức cấp", max_length=MAX_TEXT)
    subject_dn = models.CharField("tên phân biệt (DN)", max_length=MAX_DN, blank=True)
    valid_from = models.DateField("hiệu lực từ ngày")
    valid_to = models.DateField("hiệu lực đến ngày", db_index=True)
    token_serial = models.CharField("số serial USB token", max_length=64, blank=True)
    device = models.CharField(
        "thiết bị lưu khóa", max_length=20, choices=Device.choices, blank=True
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    revoked_on = models.DateField("ngày thu hồi", null=True, blank=True)
    revocation_reason = models.CharField("lý do thu hồi", max_length=500, blank=True)
    returned_on = models.DateField("ngày nộp lại", null=True, blank=True)
    notes = models.TextField("ghi chú", max_length=MAX_NOTES, blank=True)
    der = models.BinaryField("chứng thư (DER)", null=True, blank=True, editable=False)
    fingerprint = models.CharField("SHA-256", max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chứng thư số"
        verbose_name_plural = "chứng thư số"
        ordering = ["valid_to", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial"], name="certificate_issuer_serial")
        ]
        indexes = [models.Index(fields=["agency", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.holder_name} ({self.serial_display})"

    @property
    def serial_display(self) -> str:
        return format_serial(self.serial)
