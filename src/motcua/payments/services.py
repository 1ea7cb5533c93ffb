"""Online payment of a dossier's fees: start a payment, handle the gateway's callback.

The callback is verified (HMAC) and idempotent: a replayed callback finds the payment already
completed and changes nothing. The fees are marked paid through the engine's ``pay_fees``
service (dossier row locked, audited; a dossier awaiting this payment moves on).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier, FeeCharge
from motcua.dossiers.queries import own_dossiers
from motcua.dossiers.rules import State
from motcua.dossiers.services import pay_fees
from motcua.payments.models import Payment
from motcua.payments.providers import PaymentProvider, get_provider

CLOSED_STATES = {State.NOT_RECEIVED, State.WITHDRAWN, State.STOPPED}


class UnknownPayment(Exception):
    pass


class AmountMismatch(Exception):
    pass


def unpaid_total(dossier: Dossier) -> int:
    total = dossier.fees.filter(paid_at__isnull=True).aggregate(s=Sum("amount_vnd"))["s"]
    return int(total or 0)


def start_payment(
    dossier_code: str, *, by: User, return_url: str, provider: PaymentProvider | None = None
) -> tuple[Payment, str]:
    """A pending payment of every unpaid fee of the citizen's own dossier, and the gateway URL."""
    provider = provider or get_provider()
    dossier = own_dossiers(by).filter(code=dossier_code).first()
    if dossier is None:
        raise NotAllowed("Không tìm thấy hồ sơ.")
    if dossier.state in CLOSED_STATES:
        raise InvalidInput("Hồ sơ đã kết thúc, không thể thanh toán.", fields={"state": "closed"})
    amount = unpaid_total(dossier)
    if amount <= 0:
        raise InvalidInput("Hồ sơ không còn khoản phí nào phải nộp.", fields={"fees": "none"})
    payment = Payment.objects.create(
        ref=timezone.localtime().strftime("%y%m%d") + secrets.token_hex(6).upper(),
        dossier=dossier,
        user=by,
        provider=provider.name,
        amount_vnd=amount,
    )
    url = provider.redirect_url(
        ref=payment.ref,
        amount_vnd=amount,
        info=f"Thanh toan phi ho so {dossier.code}",
        return_url=return_url,
    )
    return payment, url


def handle_callback(
    params: Mapping[str, str], *, provider: PaymentProvider | None = None
) -> tuple[Payment, bool]:
    """Apply a gateway callback; returns the payment and whether this call changed it.
    Raises ``InvalidSignature``, ``UnknownPayment`` or ``AmountMismatch``."""
    provider = provider or get_provider()
    data = provider.verify(params)  # nothing is read from the database before this
    now = timezone.now()
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update().filter(ref=data.ref, provider=provider.name).first()
        )
        if payment is None:
            raise UnknownPayment(data.ref)
        if payment.status != Payment.Status.PENDING:
            return payment, False  # a replay: already applied
        if data.amount_vnd != payment.amount_vnd:
            raise AmountMismatch(data.ref)
        payment.response_code = data.response_code
        payment.provider_txn = data.provider_txn
        payment.completed_at = now
        if not data.success:
            payment.status = Payment.Status.FAILED
            payment.save()
            return payment, True
        payment.status = Payment.Status.PAID
        try:
            pay_fees(
                payment.dossier_id,
                by=payment.user,
                channel=FeeCharge.PaymentChannel.ONLINE,
                gateway=provider.name,
                transaction_ref=payment.ref,
                expected_vnd=payment.amount_vnd,
                now=now,
            )
        except InvalidInput:  # fees changed after the payment started: an officer reconciles
            payment.response_code = "AMT"
        payment.save()
    return payment, True
