"""Online fee payments: one row per attempt, from redirect to the gateway's signed callback.

A fee charge has at most one *open* (pending) payment: ``PaymentFee`` links an attempt to the
fee lines it covers, and a partial unique index on (fee) where the link is open makes a second
open attempt for the same fee impossible in the database, not only in Python.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Đang chờ thanh toán"
        PAID = "paid", "Đã thanh toán"
        FAILED = "failed", "Không thành công"
        # closed before the gateway answered: fees corrected or cancelled, or paid otherwise
        CANCELLED = "cancelled", "Đã hủy"

    ref = models.CharField("mã giao dịch", max_length=40, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payments"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    provider = models.CharField(max_length=30)
    amount_vnd = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    provider_txn = models.CharField(max_length=100, blank=True)
    response_code = models.CharField(max_length=10, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    fees = models.ManyToManyField(
        "dossiers.FeeCharge", through="PaymentFee", related_name="payments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_vnd__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.ref} ({self.status})"


class PaymentFee(models.Model):
    """A fee line covered by a payment attempt; ``open`` while the attempt is pending."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="lines")
    # a cancelled fee line is deleted (the audit trail keeps it); its links go with it
    fee = models.ForeignKey("dossiers.FeeCharge", on_delete=models.CASCADE)
    open = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fee"], condition=models.Q(open=True), name="one_open_payment_per_fee"
            ),
            models.UniqueConstraint(fields=["payment", "fee"], name="payment_fee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id}/{self.fee_id}{' (open)' if self.open else ''}"


class Refund(models.Model):
    """Money a gateway confirmed that paid nothing (a late or duplicate confirmation, or one
    for an attempt closed meanwhile): refused, and kept here so an officer refunds it."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    provider_txn = models.CharField(max_length=100, blank=True)
    amount_vnd = models.PositiveBigIntegerField()
    reason = models.CharField("lý do", max_length=255)
    created_at = models.DateTimeField()
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # a replayed confirmation is recorded once
            models.UniqueConstraint(fields=["payment", "provider_txn"], name="refund_once"),
        ]

    def __str__(self) -> str:
        return f"{self.payment.ref}: {self.amount_vnd} đ"
