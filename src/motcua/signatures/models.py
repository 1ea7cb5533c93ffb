"""Signing keys (where a signer's or an agency seal's key lives) and electronic results (the
signed PDF, stored once and never changed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class KeyKind(models.TextChoices):
    PKCS12 = "pkcs12", "Tệp khóa PKCS#12"
    PKCS11 = "pkcs11", "Thiết bị ký số (PKCS#11)"
    REMOTE = "remote", "Ký số từ xa"


class KeyPurpose(models.TextChoices):
    PERSONAL = "personal", "Chữ ký cá nhân"
    SEAL = "seal", "Con dấu số của cơ quan"


class SigningKey(models.Model):
    """A key motcua may sign with. ``location``: the PKCS#12 file (under SIGN_PKCS12_DIR),
    the token label (PKCS#11) or the key id at the remote-signing service."""

    name = models.SlugField("tên khóa", max_length=80, unique=True)
    kind = models.CharField("loại", max_length=10, choices=KeyKind.choices)
    purpose = models.CharField("mục đích", max_length=10, choices=KeyPurpose.choices)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    position = models.CharField(
        "chức vụ", max_length=100, blank=True, help_text="Printed under the name, e.g. Giám đốc."
    )
    location = models.CharField("vị trí khóa", max_length=255)
    key_label = models.CharField("nhãn khóa trên thiết bị", max_length=100, blank=True)
    certificate_chain = models.TextField(
        "chuỗi chứng thư (PEM)",
        blank=True,
        help_text="The signer's certificate first, then its issuers (needed for PKCS#11 keys).",
    )
    certificate = models.ForeignKey(
        "certificates.Certificate",
        verbose_name="chứng thư trong sổ đăng ký",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signing_keys",
        help_text="Set automatically when the key's certificate matches a register entry.",
    )
    active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "khóa ký số"
        verbose_name_plural = "khóa ký số"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose="seal") | models.Q(user__isnull=False),
                name="signing_key_personal_has_user",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ElectronicResult(models.Model):
    """A dossier's signed result: the PDF as signed, its SHA-256 and the code printed for
    verification. Append-only (a database trigger refuses updates and deletes)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="electronic_result"
    )
    code = models.CharField("mã kết quả", max_length=20, unique=True)
    file = models.FileField(upload_to="results/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    level = models.CharField("mức chữ ký", max_length=20)
    signer_name = models.CharField("người ký", max_length=255)
    sealed = models.BooleanField("có con dấu số của cơ quan", default=False)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    signed_at = models.DateTimeField("ký lúc")

    class Meta:
        verbose_name = "kết quả điện tử"
        verbose_name_plural = "kết quả điện tử"

    def __str__(self) -> str:
        return self.code


class SignedForm(models.Model):
    """An issued legal form (receipt, supplement request, refusal, …) as signed: the PDF, its
    SHA-256, who signed and when. One per issued form; append-only like electronic results."""

    form = models.OneToOneField(
        "dossiers.IssuedForm", on_delete=models.PROTECT, related_name="signed_copy"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="signed_forms"
    )
    file = models.FileField(upload_to="signed-forms/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    level = models.CharField("mức chữ ký", max_length=20)
    signer_name = models.CharField("người ký", max_length=255)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    signed_at = models.DateTimeField("ký lúc")

    class Meta:
        verbose_name = "biểu mẫu đã ký số"
        verbose_name_plural = "biểu mẫu đã ký số"

    def __str__(self) -> str:
        return f"{self.form} ({self.signer_name})"
