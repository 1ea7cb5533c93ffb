"""How processing ends: approve with the result document(s) or refuse with reasons (the dossier
moves to the return step), stop with Form 05 (Circular 03/2025/TT-VPCP), or the applicant
withdraws. Each closes an open pause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from motcua.accounts.models import User
from motcua.catalog.models import StepRole
from motcua.dossiers import formdata
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier, Outcome
from motcua.dossiers.rules import Action
from motcua.dossiers.services._engine import _act, _Change
from motcua.dossiers.services.inputs import _required_reasons
from motcua.dossiers.services.processing import _finish_current


def stop(
    dossier_id: int,
    *,
    by: User,
    reason: str,
    legal_basis: str = "",
    signer: int | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 05: stop processing, with the reason, signed by ``signer`` (an ``AgencySigner`` of
    the deciding agency; default its head). An empty legal basis prints the decree's citation."""
    if not reason.strip():
        raise InvalidInput("Cần nêu lý do dừng giải quyết.", fields={"reason": "required"})

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        signed = formdata.signer_block(d.deciding_agency, signer)
        _end(d, now)
        return _Change(
            reason=reason,
            form_extra={"reason": reason, "legal_basis": legal_basis, "signer": signed},
        )

    return _act(
        dossier_id, Action.STOP, by=by, expected_version=expected_version, now=now, apply=apply
    )


def _end(d: Dossier, now: dt.datetime) -> None:
    """Processing has ended: close an open pause (it no longer delays anything)."""
    d.ended_at = now
    open_pause = d.pauses.filter(ended_at__isnull=True).first()
    if open_pause is not None:
        open_pause.ended_at = now
        open_pause.save(update_fields=["ended_at"])


def withdraw(
    dossier_id: int,
    *,
    by: User,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant withdraws the dossier (online, or in writing at the desk)."""

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        _end(d, now)
        return _Change(reason=reason)

    return _act(
        dossier_id, Action.WITHDRAW, by=by, expected_version=expected_version, now=now, apply=apply
    )


def approve(
    dossier_id: int,
    *,
    by: User,
    result_documents: Sequence[str],
    electronic: bool = False,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Approve with the result document(s); the dossier moves to the return step."""
    results = [r.strip() for r in result_documents if r and r.strip()]
    if not results:
        raise InvalidInput(
            "Cần có ít nhất một văn bản kết quả.", fields={"result_documents": "required"}
        )

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        return _decide(
            d,
            by,
            now,
            Outcome.APPROVED,
            note,
            {"result_documents": results, "electronic": electronic},
            electronic,
        )

    return _act(
        dossier_id, Action.APPROVE, by=by, expected_version=expected_version, now=now, apply=apply
    )


def refuse(
    dossier_id: int,
    *,
    by: User,
    reasons: Sequence[str],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Refuse to grant, with reasons (the refusal is returned to the applicant)."""
    reasons = _required_reasons(reasons)

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        return _decide(d, by, now, Outcome.REFUSED, "; ".join(reasons), {"reasons": reasons}, False)

    return _act(
        dossier_id, Action.REFUSE, by=by, expected_version=expected_version, now=now, apply=apply
    )


def _decide(
    d: Dossier, by: User, now: dt.datetime, outcome: str, note: str, data: dict, electronic: bool
) -> _Change:
    _finish_current(d, by, now, note)
    _end(d, now)
    d.outcome, d.decision_note, d.result_electronic = outcome, note, electronic
    return_step = d.steps.filter(order__gt=d.current_step, role=StepRole.RETURN).first()
    if return_step is not None:
        return_step.started_at = now
        return_step.save(update_fields=["started_at"])
        d.current_step = return_step.order
    d.current_agency_id = d.receiving_agency_id
    return _Change(reason=note, data={"outcome": outcome, **data})
