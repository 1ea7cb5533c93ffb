"""Fees and charges (phí, lệ phí): ask for a financial obligation before the result is handed
over, confirm it, and record payments made at submission, at the desk or through a gateway
(``motcua.payments`` builds on these). Unpaid fees block returning the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier, FeeCharge
from motcua.dossiers.rules import NATIONAL_STATUS, Action, State, transition
from motcua.dossiers.services._engine import _act, _Change, _lock, _record
from motcua.stats import hooks as stats_hooks

PAY_FEES = "pay_fees"


def request_payment(
    dossier_id: int,
    *,
    by: User,
    fees: Sequence[tuple[str, int]],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to fulfil a financial obligation before the result is handed over."""
    if not fees or any(amount <= 0 for _, amount in fees):
        raise InvalidInput(
            "Cần nêu các khoản phải nộp với số tiền dương.", fields={"fees": "invalid"}
        )

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        # bounded by the procedure's fee lines and FEE_MAX_VND (payments builds on the engine)
        from motcua.payments.fees import check_fee_request

        check_fee_request(d.procedure_id, fees)
        FeeCharge.objects.bulk_create(
            FeeCharge(dossier=d, name=name, amount_vnd=amount) for name, amount in fees
        )
        return _Change(data={"fees": [[n, a] for n, a in fees]})

    return _act(
        dossier_id,
        Action.REQUEST_PAYMENT,
        by=by,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def confirm_payment(
    dossier_id: int,
    *,
    by: User,
    channel: str = FeeCharge.PaymentChannel.CASH,
    gateway: str = "",
    transaction_ref: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Every unpaid fee is paid (records the payment channel the national index asks for)."""
    if channel not in FeeCharge.PaymentChannel.values:
        raise InvalidInput("Hình thức thanh toán không hợp lệ.", fields={"channel": "invalid"})

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        paid = record_fee_payment(
            d, channel=channel, gateway=gateway, transaction_ref=transaction_ref, now=now
        )
        return _Change(data={"paid_vnd": paid, "channel": channel, "gateway": gateway})

    return _act(
        dossier_id,
        Action.CONFIRM_PAYMENT,
        by=by,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def pay_fees(
    dossier_id: int,
    *,
    by: User,
    channel: str = FeeCharge.PaymentChannel.CASH,
    gateway: str = "",
    transaction_ref: str = "",
    expected_vnd: int | None = None,
    fee_ids: Sequence[int] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Record payment of every unpaid fee (at submission, at the desk or through a gateway);
    ``fee_ids``: only these fee lines (what an online payment covered).
    returns the amount paid (0 if nothing was due, so a replayed callback is harmless).

    ``expected_vnd``: what the gateway collected; a different unpaid total is refused (the fees
    changed after the payment started) and nothing is recorded. When the dossier was waiting
    for this financial obligation, paying it completes the step (``confirm_payment``).
    """
    if channel not in FeeCharge.PaymentChannel.values:
        raise InvalidInput("Hình thức thanh toán không hợp lệ.", fields={"channel": "invalid"})
    now = now or timezone.now()
    with transaction.atomic():
        dossier = _lock(dossier_id, None)
        role = _payer_role(by, dossier)
        unpaid = dossier.fees.filter(paid_at__isnull=True)
        if fee_ids is not None:
            unpaid = unpaid.filter(pk__in=fee_ids)
        due = sum(unpaid.values_list("amount_vnd", flat=True))
        if expected_vnd is not None and due != expected_vnd:
            raise InvalidInput(
                f"Số tiền đã thanh toán ({expected_vnd} đ) khác số phải nộp ({due} đ).",
                fields={"amount": "mismatch"},
            )
        paid = record_fee_payment(
            dossier,
            channel=channel,
            gateway=gateway,
            transaction_ref=transaction_ref,
            now=now,
            fee_ids=fee_ids,
        )
        if not paid:
            return 0
        change = _Change(
            data={
                "paid_vnd": paid,
                "channel": channel,
                "gateway": gateway,
                "transaction_ref": transaction_ref,
            }
        )
        settled = not dossier.fees.filter(paid_at__isnull=True).exists()
        if dossier.state == State.AWAITING_PAYMENT and settled:
            t = transition(dossier.state_enum, Action.CONFIRM_PAYMENT)
            dossier.state = t.target
            dossier.version += 1
            dossier.save()
            _record(
                dossier,
                t,
                by=by,
                role=role,
                now=now,
                change=change,
                from_state=State.AWAITING_PAYMENT,
            )
        else:
            AuditEvent.objects.create(
                dossier=dossier,
                at=now,
                actor=by,
                actor_role=role,
                agency=dossier.current_agency,
                action=PAY_FEES,
                from_state=dossier.state,
                to_state=dossier.state,
                national_status=NATIONAL_STATUS[dossier.state_enum],
                data=change.data,
            )
            stats_hooks.touch(dossier.pk)
    return paid


def _payer_role(by: User, dossier: Dossier) -> str:
    """The applicant pays their own fees; desk officers record payments at the counter."""
    from motcua.dossiers.permissions import acting_role

    role = acting_role(by, dossier, Action.CONFIRM_PAYMENT)
    if role is None and dossier.applicant_user_id == by.pk:
        role = "applicant"
    if role is None:
        raise NotAllowed(f"Bạn không có quyền ghi nhận thanh toán cho hồ sơ {dossier.code}.")
    return role


def record_fee_payment(
    d: Dossier,
    *,
    channel: str,
    gateway: str = "",
    transaction_ref: str = "",
    now: dt.datetime,
    fee_ids: Sequence[int] | None = None,
) -> int:
    """Mark every unpaid fee of the dossier (or those of ``fee_ids``) paid; returns the
    amount. Call inside a service."""
    total = 0
    unpaid = d.fees.filter(paid_at__isnull=True)
    if fee_ids is not None:
        unpaid = unpaid.filter(pk__in=fee_ids)
    for fee in unpaid:
        fee.paid_vnd, fee.paid_at = fee.amount_vnd, now
        fee.payment_channel, fee.gateway, fee.transaction_ref = channel, gateway, transaction_ref
        fee.save()
        total += fee.amount_vnd
    return total
