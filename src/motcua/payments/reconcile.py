"""Reconciliation of online payments against the gateway's report (VNPAY ``querydr``).

Each payment of the period is compared with what the gateway says about its reference:
- ``ok``: both agree;
- ``missed_ipn``: the gateway took the money but we never applied it (the IPN was lost):
  applied now through ``services.apply_result`` (idempotent, same rules as a callback);
- ``not_at_gateway``: we show it paid, the gateway does not know it or shows it unpaid —
  for an officer to investigate, never changed automatically;
- ``amount_differs``: the gateway's amount is not ours — reported, never applied;
- ``error``: the gateway could not be asked."""

from __future__ import annotations

import datetime as dt

from motcua.payments import services
from motcua.payments.models import Payment
from motcua.payments.providers import CallbackData
from motcua.payments.vnpay import GatewayError, VnpayProvider


def reconcile(
    date_from: dt.date,
    date_to: dt.date,
    *,
    provider: VnpayProvider | None = None,
    apply_changes: bool = True,
) -> list[dict]:
    provider = provider or VnpayProvider()
    rows = []
    payments = Payment.objects.filter(
        provider=provider.name,
        created_at__date__gte=date_from,
        created_at__date__lte=date_to,
    ).order_by("created_at", "pk")
    for p in payments:
        row = {"ref": p.ref, "status": p.status, "amount_vnd": p.amount_vnd}
        try:
            answer = provider.query(ref=p.ref, created_at=p.created_at)
        except GatewayError as exc:
            rows.append({**row, "result": "error", "detail": str(exc)})
            continue
        paid_here = p.status == Payment.Status.PAID
        if answer.found and answer.paid and answer.amount_vnd != p.amount_vnd:
            result = "amount_differs"
        elif answer.found and answer.paid and not paid_here:
            result = "missed_ipn"
            if apply_changes:
                data = CallbackData(p.ref, answer.amount_vnd, True, "00", answer.provider_txn)
                try:
                    services.apply_result(data, provider_name=provider.name)
                    result = "missed_ipn_applied"
                except services.RefundDue:
                    result = "missed_ipn_refund_due"
        elif paid_here and not (answer.found and answer.paid):
            result = "not_at_gateway"
        else:
            result = "ok"
        rows.append({**row, "result": result, "detail": answer.message})
    return rows
