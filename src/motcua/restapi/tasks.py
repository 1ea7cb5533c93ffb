"""The officer's (and applicant's) task endpoints: ``POST /dossiers/{code}/<verb>``.

Each verb calls the same service as the web UI with the version the caller saw
(``expected_version``): a stale version or an action the state does not allow is a 409.
Token callers need the scope ``tasks:<verb>`` (or ``tasks:*``).
"""

# No ``from __future__ import annotations``: the views below are built in a loop and
# django-ninja reads their (real, not string) annotations.

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field as PydanticField

from motcua.agencies.models import Agency
from motcua.dossiers import services
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Delivery, Dossier, FeeCharge
from motcua.restapi.auth import AUTH, Caller, caller
from motcua.restapi.dossiers import DocumentIn, document_inputs
from motcua.restapi.problems import ProblemDetails
from motcua.restapi.shapes import DossierOut, dossier_out, find, with_refs

router = Router(tags=["tasks"], auth=AUTH)
ERRORS = {
    400: ProblemDetails,
    401: ProblemDetails,
    403: ProblemDetails,
    404: ProblemDetails,
    409: ProblemDetails,
    422: ProblemDetails,
}

Text = PydanticField("", max_length=2000)


class TaskIn(Schema):
    expected_version: int = PydanticField(
        ge=1, le=2**31 - 1, description="The dossier version the caller last read"
    )


class DocumentsIn(TaskIn):
    documents: list[DocumentIn] = PydanticField(default_factory=list, max_length=100)


class ReceiveIn(DocumentsIn):
    override_reason: str = PydanticField(
        "",
        max_length=2000,
        description="Why the dossier is received although a mandatory document is missing "
        "(audited); without it such a dossier is refused: ask to complete it instead",
    )


class MissingIn(Schema):
    name: str = PydanticField(min_length=1, max_length=500)
    instruction: str = Text


class MissingListIn(TaskIn):
    missing: list[MissingIn] = PydanticField(max_length=100)
    note: str = Text


class ReasonsIn(TaskIn):
    reasons: list[str] = PydanticField(max_length=50)


class NoteIn(TaskIn):
    note: str = Text


class ForwardIn(NoteIn):
    to_agency: str = PydanticField(max_length=35, description="Agency code")


class ApologiseIn(TaskIn):
    reason: str = Text
    new_due_at: dt.datetime
    signer: int | None = None  # an AgencySigner of the deciding agency; default its head


class StopIn(TaskIn):
    reason: str = Text
    legal_basis: str = Text
    signer: int | None = None  # an AgencySigner of the deciding agency; default its head


class WithdrawIn(TaskIn):
    reason: str = Text


class ApproveIn(TaskIn):
    result_documents: list[str] = PydanticField(max_length=50)
    electronic: bool = False
    note: str = Text


class FeeIn(Schema):
    name: str = PydanticField(min_length=1, max_length=255)
    amount_vnd: int = PydanticField(ge=0, le=10**13)


class PaymentRequestIn(TaskIn):
    fees: list[FeeIn] = PydanticField(max_length=50)


class PaymentIn(TaskIn):
    channel: Literal["cash", "bank", "online"] = FeeCharge.PaymentChannel.CASH
    gateway: str = PydanticField("", max_length=50)
    transaction_ref: str = PydanticField("", max_length=100)


class ReturnIn(TaskIn):
    delivery: Literal["desk", "post", "online"] = Delivery.DESK


def _to_agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise InvalidInput(
            "Không tìm thấy cơ quan nhận.", fields={"to_agency": "Không có cơ quan mã này."}
        )
    return agency


def _missing(items: list[MissingIn]) -> list[services.MissingItem]:
    return [services.MissingItem(name=m.name, instruction=m.instruction) for m in items]


Call = Callable[[Dossier, Any, dict], Dossier]


@dataclass(frozen=True)
class Task:
    verb: str
    schema: type[TaskIn]
    summary: str
    call: Call


TASKS: tuple[Task, ...] = (
    Task(
        "receive",
        ReceiveIn,
        "Receive the dossier (Form 01, due date)",
        lambda d, b, kw: services.receive(
            d.pk,
            documents=document_inputs(d.procedure, b.documents),
            override_reason=b.override_reason,
            **kw,
        ),
    ),
    Task(
        "request-completion",
        MissingListIn,
        "Ask to complete the dossier at reception (Form 02)",
        lambda d, b, kw: services.request_completion(
            d.pk, missing=_missing(b.missing), note=b.note, **kw
        ),
    ),
    Task(
        "complete",
        DocumentsIn,
        "The applicant completed the dossier at reception",
        lambda d, b, kw: services.complete(
            d.pk, documents=document_inputs(d.procedure, b.documents), **kw
        ),
    ),
    Task(
        "refuse-reception",
        ReasonsIn,
        "Refuse reception (Form 03)",
        lambda d, b, kw: services.refuse_reception(d.pk, reasons=b.reasons, **kw),
    ),
    Task(
        "hand-over",
        NoteIn,
        "Hand over to the next workflow step (Form 06 line)",
        lambda d, b, kw: services.hand_over(d.pk, note=b.note, **kw),
    ),
    Task(
        "forward",
        ForwardIn,
        "Forward to another agency (inter-agency step)",
        lambda d, b, kw: services.forward(
            d.pk, to_agency=_to_agency(b.to_agency), note=b.note, **kw
        ),
    ),
    Task(
        "request-supplement",
        MissingListIn,
        "Request a supplement during processing (Form 02; the clock pauses)",
        lambda d, b, kw: services.request_supplement(
            d.pk, missing=_missing(b.missing), note=b.note, **kw
        ),
    ),
    Task(
        "supplement",
        DocumentsIn,
        "The applicant supplemented the dossier (the clock resumes)",
        lambda d, b, kw: services.supplement(
            d.pk, documents=document_inputs(d.procedure, b.documents), **kw
        ),
    ),
    Task(
        "apologise",
        ApologiseIn,
        "Apologise with a new return date (Form 04; once)",
        lambda d, b, kw: services.apologise(
            d.pk, reason=b.reason, new_due_at=b.new_due_at, signer=b.signer, **kw
        ),
    ),
    Task(
        "stop",
        StopIn,
        "Stop processing (Form 05)",
        lambda d, b, kw: services.stop(
            d.pk, reason=b.reason, legal_basis=b.legal_basis, signer=b.signer, **kw
        ),
    ),
    Task(
        "withdraw",
        WithdrawIn,
        "Withdraw the dossier (the applicant's request)",
        lambda d, b, kw: services.withdraw(d.pk, reason=b.reason, **kw),
    ),
    Task(
        "approve",
        ApproveIn,
        "Approve with the result document(s)",
        lambda d, b, kw: services.approve(
            d.pk,
            result_documents=b.result_documents,
            electronic=b.electronic,
            note=b.note,
            **kw,
        ),
    ),
    Task(
        "refuse",
        ReasonsIn,
        "Refuse to grant, with reasons",
        lambda d, b, kw: services.refuse(d.pk, reasons=b.reasons, **kw),
    ),
    Task(
        "request-payment",
        PaymentRequestIn,
        "Ask for a financial obligation before the result",
        lambda d, b, kw: services.request_payment(
            d.pk, fees=[(f.name, f.amount_vnd) for f in b.fees], **kw
        ),
    ),
    Task(
        "confirm-payment",
        PaymentIn,
        "Confirm every unpaid fee is paid",
        lambda d, b, kw: services.confirm_payment(
            d.pk,
            channel=b.channel,
            gateway=b.gateway,
            transaction_ref=b.transaction_ref,
            **kw,
        ),
    ),
    Task(
        "return",
        ReturnIn,
        "Return the result (desk, post, online)",
        lambda d, b, kw: services.return_result(d.pk, delivery=b.delivery, **kw),
    ),
)


def run(c: Caller, task: Task, code: str, body: TaskIn) -> DossierOut:
    c.require(f"tasks:{task.verb}")
    dossier = find(c, code)
    changed = task.call(dossier, body, {"by": c.user, "expected_version": body.expected_version})
    # read back unscoped: a forwarded dossier may have just left the caller's scope
    return dossier_out(with_refs(Dossier.objects.filter(pk=changed.pk)).get())


def _register(task: Task) -> None:
    schema = task.schema

    def view(request: HttpRequest, code: str, body: schema):  # type: ignore[valid-type]
        return run(caller(request), task, code, body)

    name = "task_" + task.verb.replace("-", "_")
    view.__name__ = view.__qualname__ = name
    router.post(
        f"/{{code}}/{task.verb}",
        response={200: DossierOut, **ERRORS},
        summary=task.summary,
        operation_id=name,
        url_name=name,
    )(view)


for _task in TASKS:
    _register(_task)
