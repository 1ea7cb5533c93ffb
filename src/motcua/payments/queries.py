"""Reads about fees and payments for the pages."""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.payments.fees import schedule_of
from motcua.payments.providers import online_payment_enabled


def payments_context(dossier: Dossier) -> dict:
    """The procedure's fee schedule and whether online payment is offered (portal page)."""
    return {
        "fee_schedule": schedule_of(dossier.procedure_id),
        "online_payment": online_payment_enabled(),
    }
