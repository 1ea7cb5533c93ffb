"""Returning the result (Decree 118/2025/NĐ-CP, Art. 19): at the desk, by post or online; unpaid
fees block it.
"""

from __future__ import annotations

import datetime as dt

from motcua.accounts.models import User
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Delivery, Dossier
from motcua.dossiers.rules import Action
from motcua.dossiers.services._engine import _act, _Change
from motcua.dossiers.services.processing import _finish_current


def return_result(
    dossier_id: int,
    *,
    by: User,
    delivery: str = Delivery.DESK,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Return the result (desk, post or online); unpaid fees block it."""
    if delivery not in Delivery.values:
        raise InvalidInput("Hình thức trả kết quả không hợp lệ.", fields={"delivery": "invalid"})

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        unpaid = d.fees.filter(paid_at__isnull=True).count()
        if unpaid:
            raise InvalidInput(
                f"Còn {unpaid} khoản phí, lệ phí chưa nộp.", fields={"fees": "unpaid"}
            )
        _finish_current(d, by, now, "")
        d.returned_at, d.result_delivery = now, delivery
        return _Change(data={"delivery": delivery})

    return _act(
        dossier_id,
        Action.RETURN_RESULT,
        by=by,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )
