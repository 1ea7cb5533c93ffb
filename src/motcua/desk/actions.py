"""Each engine action as a small desk form plus the service call it makes.

The page shows an action only when the transition table allows it in the dossier's state AND
``acting_role`` allows it for this user; the service checks both again on POST.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from motcua.accounts.models import User
from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import acting_role
from motcua.dossiers.rules import Action, allowed_actions

from . import forms as F
from .forms import lines, local_datetime

Call = Callable[[Dossier, dict[str, Any], User, int], Dossier]


@dataclass(frozen=True)
class DeskAction:
    action: Action
    form: type[forms.Form]
    call: Call
    danger: bool = False  # ends or refuses the dossier: styled as a destructive button


def _missing(c: dict) -> list[S.MissingItem]:
    return [S.MissingItem(name=line) for line in lines(c["missing"])]


ACTIONS: dict[Action, DeskAction] = {
    a.action: a
    for a in (
        DeskAction(
            Action.RECEIVE,
            F.EmptyForm,
            lambda d, c, u, v: S.receive(d.pk, by=u, expected_version=v),
        ),
        DeskAction(
            Action.REQUEST_COMPLETION,
            F.MissingForm,
            lambda d, c, u, v: S.request_completion(
                d.pk, by=u, missing=_missing(c), note=c["note"], expected_version=v
            ),
        ),
        DeskAction(
            Action.COMPLETE,
            F.EmptyForm,
            lambda d, c, u, v: S.complete(d.pk, by=u, expected_version=v),
        ),
        DeskAction(
            Action.REFUSE_RECEPTION,
            F.ReasonsForm,
            lambda d, c, u, v: S.refuse_reception(
                d.pk, by=u, reasons=lines(c["reasons"]), expected_version=v
            ),
            danger=True,
        ),
        DeskAction(
            Action.HAND_OVER,
            F.NoteForm,
            lambda d, c, u, v: S.hand_over(d.pk, by=u, note=c["note"], expected_version=v),
        ),
        DeskAction(
            Action.FORWARD,
            F.ForwardForm,
            lambda d, c, u, v: S.forward(
                d.pk, by=u, to_agency=c["to_agency"], note=c["note"], expected_version=v
            ),
        ),
        DeskAction(
            Action.REQUEST_SUPPLEMENT,
            F.MissingForm,
            lambda d, c, u, v: S.request_supplement(
                d.pk, by=u, missing=_missing(c), note=c["note"], expected_version=v
            ),
        ),
        DeskAction(
            Action.SUPPLEMENT,
            F.EmptyForm,
            lambda d, c, u, v: S.supplement(d.pk, by=u, expected_version=v),
        ),
        DeskAction(
            Action.APOLOGISE,
            F.ApologiseForm,
            lambda d, c, u, v: S.apologise(
                d.pk,
                by=u,
                reason=c["reason"],
                new_due_at=local_datetime(c["new_due_at"]),
                signer=c["signer"].pk if c.get("signer") else None,
                expected_version=v,
            ),
        ),
        DeskAction(
            Action.STOP,
            F.StopForm,
            lambda d, c, u, v: S.stop(
                d.pk,
                by=u,
                reason=c["reason"],
                legal_basis=c["legal_basis"],
                signer=c["signer"].pk if c.get("signer") else None,
                expected_version=v,
            ),
            danger=True,
        ),
        DeskAction(
            Action.WITHDRAW,
            F.OptionalReasonForm,
            lambda d, c, u, v: S.withdraw(d.pk, by=u, reason=c["reason"], expected_version=v),
            danger=True,
        ),
        DeskAction(
            Action.APPROVE,
            F.ApproveForm,
            lambda d, c, u, v: S.approve(
                d.pk,
                by=u,
                result_documents=lines(c["result_documents"]),
                electronic=c["electronic"],
                note=c["note"],
                expected_version=v,
            ),
        ),
        DeskAction(
            Action.REFUSE,
            F.ReasonsForm,
            lambda d, c, u, v: S.refuse(
                d.pk, by=u, reasons=lines(c["reasons"]), expected_version=v
            ),
            danger=True,
        ),
        DeskAction(
            Action.REQUEST_PAYMENT,
            F.PaymentRequestForm,
            lambda d, c, u, v: S.request_payment(
                d.pk, by=u, fees=[(c["fee_name"], c["amount_vnd"])], expected_version=v
            ),
        ),
        DeskAction(
            Action.CONFIRM_PAYMENT,
            F.ConfirmPaymentForm,
            lambda d, c, u, v: S.confirm_payment(
                d.pk,
                by=u,
                channel=c["channel"],
                gateway=c["gateway"],
                transaction_ref=c["transaction_ref"],
                expected_version=v,
            ),
        ),
        DeskAction(
            Action.RETURN_RESULT,
            F.ReturnForm,
            lambda d, c, u, v: S.return_result(
                d.pk, by=u, delivery=c["delivery"], expected_version=v
            ),
        ),
    )
}

# engine error fields → the desk form field that shows the message
FIELD_ALIASES = {"fees": "amount_vnd", "result_documents": "result_documents"}


def available_actions(user: User, dossier: Dossier) -> list[Action]:
    """Exactly what this user may do now: the state's actions ∩ what their role allows."""
    return [
        a
        for a in allowed_actions(dossier.state_enum)
        if a in ACTIONS and acting_role(user, dossier, a) is not None
    ]


def error_field(form: forms.Form, fields: dict[str, str]) -> str | None:
    """The form field an engine error belongs to, or None for a form-wide error."""
    for name in fields:
        name = FIELD_ALIASES.get(name, name)
        if name in form.fields:
            return name
    return None
