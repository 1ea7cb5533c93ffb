"""Online payment of a dossier's fees: start a payment, handle the gateway's callback.

Rules (docs/security.md, "Payments"):
- one open payment per fee charge: a second start returns the open attempt (same reference)
  rather than creating another; the database refuses a second open link for a fee;
- the callback is verified (HMAC) and idempotent: a replayed callback changes nothing;
- a confirmation that pays nothing (the fees were paid meanwhile, corrected or cancelled, or
  the attempt was closed) is refused and recorded as a ``Refund`` for an officer, audited.
The fees are marked paid through the engine's ``pay_fees`` service (dossier row locked,
audited; a dossier awaiting this payment moves on).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier, FeeCharge
from motcua.dossiers.queries import own_dossiers
from motcua.dossiers.rules import NATIONAL_STATUS, State
from motcua.dossiers.services import pay_fees
from motcua.payments.models import Payment, PaymentFee, Refund
from motcua.payments.providers import CallbackData, PaymentProvider, get_provider
from motcua.stats import hooks as stats_hooks

CLOSED_STATES = {State.NOT_RECEIVED, State.WITHDRAWN, State.STOPPED}
REFUND_DUE = "payment_refund_due"
PAYMENT_CANCELLED = "payment_cancelled"


class UnknownPayment(Exception):
    pass


class AmountMismatch(Exception):
    pass


class RefundDue(Exception):
    """The gateway confirmed money that paid nothing: refused, recorded for refund."""

    def __init__(self, refund: Refund):
        super().__init__(refund.payment.ref)
        self.refund = refund


def unpaid_fees(dossier: Dossier) -> list[FeeCharge]:
    return list(dossier.fees.filter(paid_at__isnull=True).order_by("pk"))


def unpaid_total(dossier: Dossier) -> int:
    return sum(f.amount_vnd for f in unpaid_fees(dossier))


def open_payment(dossier: Dossier) -> Payment | None:
    return dossier.payments.filter(status=Payment.Status.PENDING).first()


def start_payment(
    dossier_code: str,
    *,
    by: User,
    return_url: str,
    provider: PaymentProvider | None = None,
    client_ip: str = "",
) -> tuple[Payment, str]:
    """The open payment of every unpaid fee of the citizen's own dossier (created unless one
    is already open for exactly these fees), and the gateway URL.
    Raises ``PaymentsDisabled`` when no provider is configured."""
    dossier = own_dossiers(by).filter(code=dossier_code).first()
    if dossier is None:  # before anything else: someone else's dossier does not exist
        raise NotAllowed("Không tìm thấy hồ sơ.")
    provider = provider or get_provider()
    if dossier.state in CLOSED_STATES:
        raise InvalidInput("Hồ sơ đã kết thúc, không thể thanh toán.", fields={"state": "closed"})
    with transaction.atomic():
        # serialise starts of the same dossier (PostgreSQL); the unique index is the backstop
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
        payment = _open_or_new(dossier, by=by, provider=provider)
    url = provider.redirect_url(
        ref=payment.ref,
        amount_vnd=payment.amount_vnd,
        info=f"Thanh toan phi ho so {dossier.code}",
        return_url=return_url,
        client_ip=client_ip,
    )
    return payment, url


def _open_or_new(dossier: Dossier, *, by: User, provider: PaymentProvider) -> Payment:
    fees = unpaid_fees(dossier)
    amount = sum(f.amount_vnd for f in fees)
    if amount <= 0:
        raise InvalidInput("Hồ sơ không còn khoản phí nào phải nộp.", fields={"fees": "none"})
    if amount > settings.MOTCUA_FEE_MAX_VND:  # defence in depth: the desk bounds each request
        raise InvalidInput(
            "Số tiền phải nộp vượt mức tối đa cho phép; vui lòng liên hệ bộ phận một cửa.",
            fields={"amount": "too_large"},
        )
    current = open_payment(dossier)
    if current is not None:
        covered = set(current.lines.filter(open=True).values_list("fee_id", flat=True))
        if covered == {f.pk for f in fees} and current.provider == provider.name:
            return current  # the second start: the same attempt, not a second charge
        # the fees changed since: close the stale attempt (a late success is refunded)
        close_payment(current, by=by, reason="Khoản phí đã thay đổi, lập giao dịch mới.")
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                ref=timezone.localtime().strftime("%y%m%d") + secrets.token_hex(6).upper(),
                dossier=dossier,
                user=by,
                provider=provider.name,
                amount_vnd=amount,
            )
            PaymentFee.objects.bulk_create(PaymentFee(payment=payment, fee=f) for f in fees)
    except IntegrityError:
        # a concurrent start won the race for these fees: answer with its attempt
        payment = open_payment(dossier)
        if payment is None:
            raise
    return payment


def close_payment(
    payment: Payment, *, by: User | None, reason: str, now: dt.datetime | None = None
) -> None:
    """Close an open attempt (fees corrected or cancelled, or superseded); audited. Call
    inside a transaction. The gateway's later success for it becomes a refund."""
    now = now or timezone.now()
    payment.status = Payment.Status.CANCELLED
    payment.completed_at = now
    payment.note = reason[:255]
    payment.save(update_fields=["status", "completed_at", "note"])
    payment.lines.update(open=False)
    _audit(payment, PAYMENT_CANCELLED, by=by, now=now, reason=reason, data={})


def _audit(
    payment: Payment, action: str, *, by: User | None, now: dt.datetime, reason: str, data: dict
) -> None:
    dossier = payment.dossier
    AuditEvent.objects.create(
        dossier=dossier,
        at=now,
        actor=by,
        actor_role="gateway" if by is None else "",
        agency=dossier.current_agency,
        action=action,
        from_state=dossier.state,
        to_state=dossier.state,
        national_status=NATIONAL_STATUS[dossier.state_enum],
        reason=reason,
        data={"ref": payment.ref, "amount_vnd": payment.amount_vnd, **data},
    )
    stats_hooks.touch(dossier.pk)


def handle_callback(
    params: Mapping[str, str], *, provider: PaymentProvider | None = None
) -> tuple[Payment, bool]:
    """Apply a gateway callback; returns the payment and whether this call changed it.
    Raises ``InvalidSignature``, ``UnknownPayment``, ``AmountMismatch``, or ``RefundDue``
    (after recording the refund) for a success that pays nothing."""
    provider = provider or get_provider()
    data = provider.verify(params)  # nothing is read from the database before this
    return apply_result(data, provider_name=provider.name)


def apply_result(data: CallbackData, *, provider_name: str) -> tuple[Payment, bool]:
    """Apply a verified gateway result (a callback, or the gateway's report when
    reconciling a missed IPN); same answers and exceptions as ``handle_callback``."""
    now = timezone.now()
    refund = None
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("dossier")
            .filter(ref=data.ref, provider=provider_name)
            .first()
        )
        if payment is None:
            raise UnknownPayment(data.ref)
        if data.amount_vnd != payment.amount_vnd:
            raise AmountMismatch(data.ref)
        if payment.status == Payment.Status.PAID and data.provider_txn == payment.provider_txn:
            return payment, False  # a replay: already applied
        if not data.success:
            if payment.status != Payment.Status.PENDING:
                return payment, False  # a failure for a closed attempt changes nothing
            payment.status = Payment.Status.FAILED
            payment.response_code = data.response_code
            payment.provider_txn = data.provider_txn
            payment.completed_at = now
            payment.save()
            payment.lines.update(open=False)
            return payment, True
        fee_ids = list(payment.lines.values_list("fee_id", flat=True))
        due = list(
            FeeCharge.objects.filter(pk__in=fee_ids, paid_at__isnull=True).values_list(
                "amount_vnd", flat=True
            )
        )
        payable = (
            payment.status == Payment.Status.PENDING
            and len(due) == len(fee_ids)
            and sum(due) == payment.amount_vnd
        )
        if payable:
            pay_fees(
                payment.dossier_id,
                by=payment.user,
                channel=FeeCharge.PaymentChannel.ONLINE,
                gateway=provider_name,
                transaction_ref=payment.ref,
                expected_vnd=payment.amount_vnd,
                fee_ids=fee_ids,
                now=now,
            )
            payment.status = Payment.Status.PAID
            payment.response_code = data.response_code
            payment.provider_txn = data.provider_txn
            payment.completed_at = now
            payment.save()
            payment.lines.update(open=False)
            return payment, True
        # recorded once; a replay of the same refused confirmation is refused again
        refund, _created = _record_refund(payment, data.provider_txn, now)
    raise RefundDue(refund)


def _record_refund(payment: Payment, txn: str, now: dt.datetime) -> tuple[Refund, bool]:
    existing = Refund.objects.filter(payment=payment, provider_txn=txn).first()
    if existing is not None:
        return existing, False
    if payment.status == Payment.Status.PENDING:  # its fees were paid or changed meanwhile
        payment.status = Payment.Status.CANCELLED
        payment.completed_at = now
        payment.note = "Các khoản phí đã được nộp hoặc thay đổi trước khi cổng xác nhận."
        payment.save(update_fields=["status", "completed_at", "note"])
        payment.lines.update(open=False)
    reason = (
        "Cổng thanh toán xác nhận đã thu tiền cho giao dịch không còn khoản phí nào để nộp "
        "(đã nộp hoặc đã hủy): cần hoàn tiền cho người nộp."
    )
    refund = Refund.objects.create(
        payment=payment,
        provider_txn=txn,
        amount_vnd=payment.amount_vnd,
        reason=reason,
        created_at=now,
    )
    _audit(payment, REFUND_DUE, by=None, now=now, reason=reason, data={"provider_txn": txn})
    return refund, True
