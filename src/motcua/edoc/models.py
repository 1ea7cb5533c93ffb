"""Document registers (sổ văn bản đến / đi) per agency, their attachments and status history,
the exchange keys, and the built-in hub's mailbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from motcua.edoc.rules import BusinessType, Delivery, Direction, DocStatus, Priority


class Document(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="edocs"
    )
    direction = models.CharField("loại sổ", max_length=3, choices=Direction.choices)
    register_year = models.PositiveSmallIntegerField("năm sổ")
    register_number = models.PositiveIntegerField("số đến/đi")
    code_number = models.CharField("số", max_length=11)
    code_notation = models.CharField("ký hiệu", max_length=30)
    promulgation_date = models.DateField("ngày ban hành")
    place = models.CharField("nơi ban hành", max_length=50, blank=True)
    type_name = models.CharField("loại văn bản", max_length=100)
    type_code = models.PositiveSmallIntegerField("loại (edXML)", default=2)
    subject = models.CharField("trích yếu", max_length=500)
    content = models.TextField("nội dung", blank=True)
    signer_name = models.CharField("người ký", max_length=50)
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_competence = models.CharField("thẩm quyền ký", max_length=50, blank=True)
    priority = models.PositiveSmallIntegerField(
        "độ khẩn", choices=Priority.choices, default=Priority.NORMAL
    )
    due_date = models.DateField("hạn xử lý", null=True, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name="hồ sơ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edocs",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xử lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("trạng thái", max_length=12, choices=DocStatus.choices)
    # incoming: the sender; outgoing: recipients are in Recipient
    counterpart_id = models.CharField("mã cơ quan gửi", max_length=40, blank=True)
    counterpart_name = models.CharField("cơ quan gửi", max_length=200, blank=True)
    document_id = models.CharField("mã văn bản (edXML)", max_length=255, db_index=True)
    business_type = models.PositiveSmallIntegerField(
        "nghiệp vụ", choices=BusinessType.choices, default=BusinessType.NEW
    )
    business_reason = models.CharField("lý do nghiệp vụ", max_length=500, blank=True)
    related = models.ForeignKey(
        "self",
        verbose_name="văn bản liên quan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    legacy = models.BooleanField("gói tin dạng cũ", default=False)
    package = models.FileField("gói tin edXML", blank=True, max_length=200)
    hub_message_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField("lúc vào sổ", db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "direction", "register_year", "register_number"],
                name="edoc_register_number_unique",
            ),
            # a hub message is registered once, however often it is fetched
            models.UniqueConstraint(
                fields=["agency", "hub_message_id"],
                condition=~models.Q(hub_message_id=""),
                name="edoc_hub_message_once",
            ),
        ]
        indexes = [models.Index(fields=["agency", "direction", "status"])]

    def __str__(self) -> str:
        return f"{self.code_number}/{self.code_notation}"

    @property
    def code(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


class DeliveryFields(models.Model):
    """Where an outbound package stands on its way to the hub."""

    delivery = models.CharField(
        "gửi", max_length=8, choices=Delivery.choices, default=Delivery.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True


class Recipient(DeliveryFields):
    """An addressee of an outgoing document, and the last status it reported."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    organ_id = models.CharField("mã cơ quan nhận", max_length=40)
    name = models.CharField("cơ quan nhận", max_length=200, blank=True)
    status_code = models.CharField("trạng thái bên nhận", max_length=2, blank=True)
    status_description = models.CharField(max_length=500, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "nơi nhận"
        verbose_name_plural = "nơi nhận"
        constraints = [
            models.UniqueConstraint(fields=["document", "organ_id"], name="edoc_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.organ_id}"


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=200)
    name = models.CharField("tên tệp", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.name


class StatusEvent(DeliveryFields):
    """A status of a document: reported here (``outbound``: a status package to the sender)
    or received from a recipient (inbound, never delivered again)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    outbound = models.BooleanField(default=False)
    organ_id = models.CharField("cơ quan", max_length=40)
    code = models.CharField("mã trạng thái", max_length=2)
    description = models.CharField("ghi chú", max_length=500, blank=True)
    at = models.DateTimeField("lúc", db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    package = models.FileField("gói tin trạng thái", blank=True, max_length=200)

    class Meta:
        verbose_name = "trạng thái văn bản"
        verbose_name_plural = "trạng thái văn bản"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.document} {self.code} {self.organ_id}"


class ExchangeKey(models.Model):
    """The key an agency signs its packages with, and the certificate receivers verify them
    with. The private key is stored encrypted (see edoc/keys.py)."""

    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.CASCADE, related_name="edoc_key"
    )
    certificate_pem = models.TextField()
    private_key_pem = models.TextField()
    generated = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "khóa ký gói tin"
        verbose_name_plural = "khóa ký gói tin"

    def __str__(self) -> str:
        return f"khóa ký của {self.agency}"


class PartnerOrgan(models.Model):
    """An organisation outside this motcua, as the national axis's directory lists it."""

    organ_id = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    parent_id = models.CharField(max_length=40, blank=True)
    certificate_pem = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cơ quan trên trục"
        verbose_name_plural = "cơ quan trên trục"
        ordering = ["organ_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organ_id})"


class HubMessage(models.Model):
    """The built-in hub's mailbox: a package waiting for (or taken by) a motcua agency."""

    class Kind(models.TextChoices):
        EDOC = "edoc"
        STATUS = "status"

    class State(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        FAIL = "fail"

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    sender = models.CharField(max_length=40)
    recipient = models.CharField(max_length=40, db_index=True)
    package = models.BinaryField()
    state = models.CharField(max_length=7, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.sender} → {self.recipient} ({self.state})"
