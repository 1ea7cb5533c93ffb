"""Fee requests: bounds, and the desk's audited correction or cancellation before payment.

Each requested fee line is bounded by the procedure's fee schedule when it names one of its
lines with a known amount, and always by ``FEE_MAX_VND`` (settings). An officer who may ask
for or confirm payment in the dossier's agency may correct the amount (or name) of an unpaid
fee line, or cancel it, with a reason; an online payment open for it is closed (a late success
from the gateway becomes a refund, see ``services``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier, FeeCharge
from motcua.dossiers.permissions import acting_role
from motcua.dossiers.rules import NATIONAL_STATUS, Action
from motcua.payments import services
from motcua.payments.models import Payment
from motcua.payments.rules import ScheduleLine, amount_errors, ceiling_for
from motcua.stats import hooks as stats_hooks

FEE_CORRECTED = "fee_corrected"
FEE_CANCELLED = "fee_cancelled"


def schedule_of(procedure: Procedure | int) -> list[ScheduleLine]:
    from motcua.catalog.models import FeeLine

    pk = procedure if isinstance(procedure, int) else procedure.pk
    return [
        ScheduleLine(name, amount, unconfirmed)
        for name, amount, unconfirmed in FeeLine.objects.filter(procedure_id=pk)
        .order_by("order")
        .values_list("name", "amount_vnd", "unconfirmed")
    ]


def check_fee_request(procedure_id: int, fees: Sequence[tuple[str, int]]) -> None:
    """``InvalidInput`` (field ``fees``) when a requested line is out of bounds."""
    errors = amount_errors(fees, schedule_of(procedure_id), settings.MOTCUA_FEE_MAX_VND)
    if errors:
        raise InvalidInput(" ".join(errors), fields={"fees": "out_of_bounds"})


def may_adjust_fees(user: User, dossier: Dossier) -> bool:
    """Officers (not the applicant) who may ask for or confirm payment on this dossier: the
    agency scope comes from the engine's permission table."""
    for action in (Action.REQUEST_PAYMENT, Action.CONFIRM_PAYMENT):
        role = acting_role(user, dossier, action)
        if role is not None and role != "applicant":
            return True
    return False


def _locked_fee(fee_id: int, by: User) -> tuple[FeeCharge, Dossier]:
    fee = FeeCharge.objects.select_related("dossier").filter(pk=fee_id).first()
    if fee is None:
        raise InvalidInput("Không tìm thấy khoản phí.", fields={"fee": "not_found"})
    dossier = (
        Dossier.objects.select_for_update()
        .select_related("current_agency", "receiving_agency", "deciding_agency")
        .get(pk=fee.dossier_id)
    )
    if not may_adjust_fees(by, dossier):
        raise NotAllowed(f"Bạn không có quyền điều chỉnh phí của hồ sơ {dossier.code}.")
    fee = FeeCharge.objects.select_for_update().get(pk=fee_id)
    if fee.paid_at is not None:
        raise InvalidInput(
            "Khoản phí đã được nộp, không thể điều chỉnh.", fields={"fee": "already_paid"}
        )
    return fee, dossier


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Cần nêu lý do điều chỉnh.", fields={"reason": "required"})
    return reason[:500]


def _audit(
    dossier: Dossier, action: str, *, by: User, now: dt.datetime, reason: str, data: dict
) -> None:
    AuditEvent.objects.create(
        dossier=dossier,
        at=now,
        actor=by,
        actor_role=acting_role(by, dossier, Action.CONFIRM_PAYMENT)
        or acting_role(by, dossier, Action.REQUEST_PAYMENT)
        or "",
        agency=dossier.current_agency,
        action=action,
        from_state=dossier.state,
        to_state=dossier.state,
        national_status=NATIONAL_STATUS[dossier.state_enum],
        reason=reason,
        data=data,
    )
    # the dossier changed: forms opened before this are stale (optimistic version check)
    Dossier.objects.filter(pk=dossier.pk).update(version=F("version") + 1)
    stats_hooks.touch(dossier.pk)


def _close_payments_of(fee: FeeCharge, *, by: User, now: dt.datetime, reason: str) -> None:
    for payment in Payment.objects.select_for_update().filter(
        status=Payment.Status.PENDING, lines__fee=fee, lines__open=True
    ):
        services.close_payment(payment, by=by, reason=reason, now=now)


def correct_fee(
    fee_id: int,
    *,
    by: User,
    amount_vnd: int,
    reason: str,
    name: str | None = None,
    now: dt.datetime | None = None,
) -> FeeCharge:
    """Correct an unpaid fee line (amount, optionally name), within the same bounds."""
    reason = _reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        fee, dossier = _locked_fee(fee_id, by)
        new_name = (name or fee.name).strip()[:255]
        errors = amount_errors(
            [(new_name, amount_vnd)], schedule_of(dossier.procedure_id), settings.MOTCUA_FEE_MAX_VND
        )
        if errors:
            raise InvalidInput(" ".join(errors), fields={"amount_vnd": "out_of_bounds"})
        old = {"name": fee.name, "amount_vnd": fee.amount_vnd}
        _close_payments_of(fee, by=by, now=now, reason="Khoản phí đã được điều chỉnh.")
        fee.name, fee.amount_vnd = new_name, amount_vnd
        fee.save(update_fields=["name", "amount_vnd"])
        _audit(
            dossier,
            FEE_CORRECTED,
            by=by,
            now=now,
            reason=reason,
            data={"fee": fee.pk, "old": old, "new": {"name": new_name, "amount_vnd": amount_vnd}},
        )
    return fee


def cancel_fee(fee_id: int, *, by: User, reason: str, now: dt.datetime | None = None) -> None:
    """Cancel an unpaid fee line (deleted; the audit trail keeps what it was)."""
    reason = _reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        fee, dossier = _locked_fee(fee_id, by)
        _close_payments_of(fee, by=by, now=now, reason="Khoản phí đã bị hủy.")
        data = {"fee": fee.pk, "old": {"name": fee.name, "amount_vnd": fee.amount_vnd}}
        fee.delete()
        _audit(dossier, FEE_CANCELLED, by=by, now=now, reason=reason, data=data)


def ceiling(procedure_id: int, name: str) -> int:
    return ceiling_for(name, schedule_of(procedure_id), settings.MOTCUA_FEE_MAX_VND)
