"""The only code that changes dossiers.

Every public function is one use case and one transaction: lock the row (or check the version
the caller saw), look the action up in the transition table, check the caller's permission,
change the dossier, issue the legal form's snapshot if the row names one, and append the audit
event. PDFs are rendered later from the snapshot, never inside these transactions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Performer, Procedure, StepRole
from motcua.catalog.queries import NoActiveWorkflow, workflow_for_dossier, workflow_steps
from motcua.core import dateparams, rows
from motcua.core.counters import next_value, next_values
from motcua.core.prepared import PreparedGet
from motcua.core.text import normalize_search
from motcua.dossiers import completeness, formdata
from motcua.dossiers import fields as dossier_fields
from motcua.dossiers.errors import ConflictError, InvalidInput, NotAllowed
from motcua.dossiers.models import (
    ONLINE_CHANNELS,
    ApplicantKind,
    AuditEvent,
    Channel,
    Delivery,
    Dossier,
    DossierDocument,
    DossierStep,
    FeeCharge,
    IssuedForm,
    Outcome,
    Pause,
)
from motcua.dossiers.permissions import authorise
from motcua.dossiers.rules import (
    NATIONAL_STATUS,
    Action,
    State,
    Transition,
    apology_in_time,
    transition,
)
from motcua.dossiers.validation import validate_applicant
from motcua.stats import hooks as stats_hooks
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import Duration, WorkingCalendar

ISSUE_FORM = "issue_form"
PAY_FEES = "pay_fees"


@dataclass(frozen=True)
class ApplicantData:
    name: str
    kind: str = ApplicantKind.INDIVIDUAL
    id_number: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    tax_code: str = ""
    representative: str = ""
    vneid: bool = False


@dataclass(frozen=True)
class DocumentInput:
    name: str
    required_document_id: int | None = None
    originals: int = 1
    copies: int = 0
    digitised: bool = False
    from_national_db: bool = False
    on_paper: bool = False  # to be brought on paper (chosen at online submission)


@dataclass(frozen=True)
class MissingItem:
    name: str
    instruction: str = ""


@dataclass
class _Change:
    """What one action did, for the audit event and the form snapshot."""

    reason: str = ""
    data: dict = field(default_factory=dict)
    form_extra: dict = field(default_factory=dict)


def calendar_for(agency: Agency) -> WorkingCalendar:
    return get_calendar(agency.effective_office_hours())


# -- codes and numbers ----------------------------------------------------------------------


def next_counter(key: str) -> int:
    """Atomically increment and return a named dossier counter (codes, form numbers)."""
    return next_value("dossiers_counter", key)


def _code_counter(agency: Agency, when: dt.datetime) -> tuple[str, Callable[[int], str]]:
    """The counter of a dossier code and how a value becomes the code:
    ``{agency code}-{yymmdd}-{4-digit daily sequence}`` (domain.md, Identifiers)."""
    day = timezone.localtime(when).strftime("%y%m%d")
    return f"dossier:{agency.pk}:{day}", lambda n: f"{agency.code}-{day}-{n:04d}"


def new_dossier_code(agency: Agency, when: dt.datetime) -> str:
    key, code = _code_counter(agency, when)
    return code(next_counter(key))


FORM_SUFFIX = {
    "01": "GTN",
    "02": "PYCBS",
    "03": "PTC",
    "04": "VBXL",
    "05": "TBDGQ",
    "06": "PKS",
    "07": "STD",
}


def _form_counter(form: str, agency: Agency, when: dt.datetime) -> tuple[str, Callable[[int], str]]:
    """The counter of a form's numbers (per agency and year: numbering restarts each year) and
    how a value becomes one: ``05/GTN-BPMC``, number/symbol as Decree 30/2020 writes
    non-normative documents (a leading zero below 10, no year)."""
    year = timezone.localtime(when).year
    symbol = f"{FORM_SUFFIX[form]}-{formdata.symbol_of(form, agency)}"
    return f"form{form}:{agency.pk}:{year}", lambda n: f"{n:02d}/{symbol}"


def new_form_number(form: str, agency: Agency, when: dt.datetime) -> str:
    key, number = _form_counter(form, agency, when)
    return number(next_counter(key))


# -- the one path every action takes --------------------------------------------------------


def _lock_queryset() -> QuerySet[Dossier]:
    """Everything an action reads about its dossier, in the one locking statement."""
    qs = Dossier.objects.select_related(
        "procedure",
        "workflow",
        "receiving_agency__parent",
        "deciding_agency__parent",
        "current_agency__parent",
    )
    if connection.vendor == "postgresql":
        return qs.select_for_update(nowait=True, of=("self",))
    return qs  # SQLite: IMMEDIATE transactions already serialise writers


# built once: building this six-table query cost four times what running it costs
_LOCKED_DOSSIER = PreparedGet(_lock_queryset)


def _lock(dossier_id: int, expected_version: int | None) -> Dossier:
    try:
        dossier = _LOCKED_DOSSIER.get(dossier_id)
    except DatabaseError:
        raise ConflictError(
            "Hồ sơ đang được người khác xử lý. Vui lòng tải lại và thử lại."
        ) from None
    if dossier is None:
        raise InvalidInput("Không tìm thấy hồ sơ.", fields={"dossier": "not_found"})
    if expected_version is not None and dossier.version != expected_version:
        raise ConflictError(
            f"Hồ sơ {dossier.code} đã được thay đổi bởi người khác. Vui lòng tải lại."
        )
    return dossier


def _record(
    dossier: Dossier,
    t: Transition,
    *,
    by: User | None,
    role: str,
    now: dt.datetime,
    change: _Change,
    from_state: State | None,
) -> None:
    """Issue the transition's form, if it has one, and append the audit event."""
    form = None
    if t.form:
        form = issue_form(dossier, t.form, now=now, by=by, extra=change.form_extra)
    event = _event(
        dossier, t, by=by, role=role, now=now, change=change, from_state=from_state, form=form
    )
    rows.insert([event], returning=False)
    stats_hooks.touch(dossier.pk)


def _event(
    dossier: Dossier,
    t: Transition,
    *,
    by: User | None,
    role: str,
    now: dt.datetime,
    change: _Change,
    from_state: State | None,
    form: IssuedForm | None = None,
) -> AuditEvent:
    return AuditEvent(
        dossier=dossier,
        at=now,
        actor=by,
        actor_role=role,
        agency=dossier.current_agency,
        action=t.action,
        from_state=from_state or "",
        to_state=t.target,
        national_status=NATIONAL_STATUS[t.target],
        reason=change.reason,
        form=form,
        data={"legal_ref": t.legal_ref, **change.data},
    )


def _act(
    dossier_id: int,
    action: Action,
    *,
    by: User,
    expected_version: int | None,
    now: dt.datetime | None,
    apply: Callable[[Dossier, dt.datetime], _Change],
    pipelined: bool = False,
) -> Dossier:
    """``pipelined``: ``apply`` writes only through ``core.rows`` (see ``rows.pipeline``)."""
    now = now or timezone.now()
    with transaction.atomic(), rows.pipeline() if pipelined else nullcontext():
        dossier = _lock(dossier_id, expected_version)
        from_state = dossier.state_enum
        t = transition(from_state, action)
        role = authorise(by, dossier, action)
        change = apply(dossier, now)
        dossier.state = t.target
        dossier.version += 1
        rows.update(dossier)
        _record(dossier, t, by=by, role=role, now=now, change=change, from_state=from_state)
    return dossier


# -- creating a dossier ---------------------------------------------------------------------


def submit(
    *,
    by: User,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: ApplicantData,
    documents: Sequence[DocumentInput] = (),
    deciding_agency: Agency | None = None,
    channel: str = Channel.CITY_PORTAL,
    idempotency_key: str | None = None,
    field_values: Mapping[str, object] | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Register a dossier (online, or at a desk before reception). Idempotent by key.

    ``field_values``: answers to the procedure's declaration fields, checked by
    ``dossiers.fields`` (None: the caller does not collect them — API v1 and the CLI)."""
    if idempotency_key:
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return _same_submitter(existing, by)
    try:
        return _create(
            by=by,
            procedure=procedure,
            receiving_agency=receiving_agency,
            applicant=applicant,
            documents=documents,
            deciding_agency=deciding_agency,
            channel=channel,
            idempotency_key=idempotency_key,
            field_values=field_values,
            now=now or timezone.now(),
        )
    except IntegrityError:
        if not idempotency_key:
            raise
        # a concurrent request with the same key won the race: answer with its dossier
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_submitter(existing, by)


def _same_submitter(dossier: Dossier, by: User) -> Dossier:
    """The dossier a key already made, for the caller who made it; anyone else learns nothing
    about it (keys are global: an officer reusing another agency's key must not see its
    dossier)."""
    submitted_by = (
        dossier.events.filter(action=Action.SUBMIT).values_list("actor_id", flat=True).first()
    )
    if submitted_by != by.pk:
        raise ConflictError("Khóa chống trùng (idempotency key) đã được dùng; hãy dùng khóa mới.")
    return dossier


def _new_dossier(
    *,
    by: User,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: ApplicantData,
    deciding_agency: Agency | None,
    channel: str,
    idempotency_key: str | None,
    now: dt.datetime,
    field_values: Mapping[str, object] | None = None,
) -> Dossier:
    """The dossier to register, checked but not saved (no code yet)."""
    errors = validate_applicant(applicant)
    values: dict[str, str] = {}
    if field_values is not None:
        values, problems = dossier_fields.clean_values(
            dossier_fields.specs_for(procedure.pk), field_values
        )
        errors.update({f"fields.{key}": message for key, message in problems.items()})
    if not procedure.is_active:
        errors["procedure"] = "Thủ tục này không còn áp dụng."
    if channel not in Channel.values:
        errors["channel"] = "Kênh nộp hồ sơ không hợp lệ."
    try:
        workflow = workflow_for_dossier(procedure)
    except NoActiveWorkflow:
        workflow = None
        errors["procedure"] = "Thủ tục chưa có quy trình nội bộ đang áp dụng."
    if not receiving_agency.is_valid_on(timezone.localdate(now)):
        errors["receiving_agency"] = "Cơ quan tiếp nhận không còn hoạt động."
    if errors:
        raise InvalidInput("Hồ sơ chưa hợp lệ.", fields=errors)
    return Dossier(
        state=State.REGISTERED,
        procedure=procedure,
        workflow=workflow,
        receiving_agency=receiving_agency,
        deciding_agency=deciding_agency or receiving_agency,
        current_agency=receiving_agency,
        channel=channel,
        idempotency_key=idempotency_key or None,
        applicant_user=by if channel in ONLINE_CHANNELS or channel == Channel.KIOSK else None,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_name_search=normalize_search(applicant.name),
        applicant_id_number=applicant.id_number,
        applicant_birth_date=applicant.birth_date,
        applicant_tax_code=applicant.tax_code,
        applicant_representative=applicant.representative,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_vneid=applicant.vneid,
        field_values=values,
        submitted_at=now,
    )


def _insert_new(dossier: Dossier, documents: Sequence[DocumentInput]) -> list[DossierDocument]:
    """Write a dossier that has its code, with its documents and fee charges."""
    rows.insert([dossier])
    with connection.cursor() as cursor:
        cursor.execute(_CHARGE_FEES_SQL, [dossier.pk, dossier.procedure_id])
    return _add_documents(dossier, documents)


def _create(*, by: User, documents: Sequence[DocumentInput], **kwargs) -> Dossier:
    dossier = _new_dossier(by=by, **kwargs)
    t = transition(None, Action.SUBMIT)
    with transaction.atomic(), rows.pipeline():
        role = authorise(by, dossier, Action.SUBMIT)
        dossier.code = new_dossier_code(dossier.receiving_agency, dossier.submitted_at)
        _insert_new(dossier, documents)
        _record(dossier, t, by=by, role=role, now=dossier.submitted_at, **_submission(dossier))
    return dossier


def _submission(dossier: Dossier) -> dict:
    return {"from_state": None, "change": _Change(data={"channel": dossier.channel})}


# the procedure's fee lines become the dossier's charges, copied in the database
_CHARGE_FEES_SQL = """
INSERT INTO dossiers_feecharge
    (dossier_id, name, amount_vnd, paid_vnd, paid_at, payment_channel, gateway, transaction_ref)
SELECT %s, name, amount_vnd, 0, NULL, '', '', ''
FROM catalog_feeline WHERE procedure_id = %s AND amount_vnd > 0 ORDER BY "order", id
"""


def _add_documents(dossier: Dossier, documents: Iterable[DocumentInput]) -> list[DossierDocument]:
    added = [DossierDocument(dossier=dossier, **asdict(doc)) for doc in documents]
    rows.insert(added, returning=False)
    return added


# -- reception ------------------------------------------------------------------------------


def receive(
    dossier_id: int,
    *,
    by: User,
    documents: Sequence[DocumentInput] = (),
    override_reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Receive a complete dossier: Form 01, due date and each step's due time from the
    working calendar (the receiving agency's office hours). A mandatory document missing
    refuses it unless ``override_reason`` says why (audited; see ``completeness``)."""

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        missing = completeness.missing_for_dossier(
            d.pk, d.procedure_id, (doc.required_document_id for doc in documents)
        )
        audit = completeness.check_reception(missing, override_reason)
        _add_documents(d, documents)
        rows.insert(_start_processing(d, now), returning=False)
        return _Change(
            reason=override_reason.strip() if audit else "",
            data={"due_at": d.due_at.isoformat(), **audit},
        )

    return _act(
        dossier_id,
        Action.RECEIVE,
        by=by,
        expected_version=expected_version,
        now=now,
        apply=apply,
        pipelined=True,
    )


def receive_at_desk(
    *,
    by: User,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: ApplicantData,
    documents: Sequence[DocumentInput] = (),
    deciding_agency: Agency | None = None,
    channel: str = Channel.DESK,
    field_values: Mapping[str, object] | None = None,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """Register and receive a complete dossier in one transaction (tiếp nhận trực tiếp: a
    walk-in at the counter, or a dossier that came by post). The same rows, events and Form 01
    as ``submit`` then ``receive``, without reading back what was just written. Missing
    mandatory documents refuse it unless ``override_reason`` says why (as ``receive``)."""
    now = now or timezone.now()
    d = _new_dossier(
        by=by,
        procedure=procedure,
        receiving_agency=receiving_agency,
        applicant=applicant,
        deciding_agency=deciding_agency,
        channel=channel,
        idempotency_key=None,
        field_values=field_values,
        now=now,
    )
    missing = completeness.missing_mandatory(
        procedure.pk, (doc.required_document_id for doc in documents)
    )
    audit = completeness.check_reception(missing, override_reason)
    submitted = transition(None, Action.SUBMIT)
    received = transition(submitted.target, Action.RECEIVE)
    steps = _start_processing(d, now)
    d.state, d.version = received.target, 2  # as if registered, then received
    code_key, code = _code_counter(receiving_agency, now)
    number_key, number = _form_counter(received.form, receiving_agency, now)
    with transaction.atomic(), rows.pipeline():
        submit_role = authorise(by, d, Action.SUBMIT)
        receive_role = authorise(by, d, Action.RECEIVE)
        counters = next_values("dossiers_counter", [code_key, number_key])
        d.code = code(counters[code_key])
        added = _insert_new(d, documents)
        rows.insert(steps, returning=False)
        form = issue_form(
            d, received.form, now=now, by=by, documents=added, number=number(counters[number_key])
        )
        events = [
            _event(d, submitted, by=by, role=submit_role, now=now, **_submission(d)),
            _event(
                d,
                received,
                by=by,
                role=receive_role,
                now=now,
                from_state=submitted.target,
                change=_Change(
                    reason=override_reason.strip() if audit else "",
                    data={"due_at": d.due_at.isoformat(), **audit},
                ),
                form=form,
            ),
        ]
        rows.insert(events, returning=False)
        stats_hooks.touch(d.pk)
    return d


def _start_processing(d: Dossier, now: dt.datetime) -> list[DossierStep]:
    """Set the reception date, the legal due date and the first step; return the workflow's
    steps with their own due times (never past the legal due), to be inserted."""
    cal = calendar_for(d.receiving_agency)
    d.received_at = now
    d.due_at = d.effective_due_at = cal.due(
        now, Duration(d.workflow.legal_amount, d.workflow.legal_unit)
    )
    steps = workflow_steps(d.workflow)
    d.current_step = steps[0].order if steps else 0
    elapsed = Decimal(0)
    planned = []
    for i, step in enumerate(steps):
        elapsed += step.allotted_hours
        last = i == len(steps) - 1
        step_due = (
            d.due_at
            if last
            else min(cal.add_time(now, dt.timedelta(hours=float(elapsed))), d.due_at)
        )
        planned.append(
            DossierStep(
                dossier=d,
                order=step.order,
                name=step.name,
                role=step.role,
                agency_id=_step_agency(d, step.performer, step.agency_id),
                allotted_hours=step.allotted_hours,
                due_at=step_due,
                started_at=now if i == 0 else None,
            )
        )
    return planned


def _step_agency(d: Dossier, performer: str, agency_id: int | None) -> int:
    if performer == Performer.DECIDING:
        return d.deciding_agency_id
    if performer == Performer.RECEIVING:
        return d.receiving_agency_id
    return agency_id or d.deciding_agency_id


def request_completion(
    dossier_id: int,
    *,
    by: User,
    missing: Sequence[MissingItem],
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 02 at reception: one complete set of instructions; nothing is received yet."""
    items = _required_missing(missing)

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        return _Change(
            reason=note, data={"missing": items}, form_extra={"missing": items, "note": note}
        )

    return _act(
        dossier_id,
        Action.REQUEST_COMPLETION,
        by=by,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def complete(
    dossier_id: int,
    *,
    by: User,
    documents: Sequence[DocumentInput] = (),
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant completed the dossier at reception; it waits for reception again.
    ``note``: the applicant's message to the desk (kept as the event's reason)."""

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        _add_documents(d, documents)
        return _Change(reason=note.strip(), data={"documents": [doc.name for doc in documents]})

    return _act(
        dossier_id, Action.COMPLETE, by=by, expected_version=expected_version, now=now, apply=apply
    )


def refuse_reception(
    dossier_id: int,
    *,
    by: User,
    reasons: Sequence[str],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 03: the dossier is not eligible and is not received."""
    reasons = _required_reasons(reasons)

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        d.ended_at = now
        return _Change(reason="; ".join(reasons), form_extra={"reasons": reasons})

    return _act(
        dossier_id,
        Action.REFUSE_RECEPTION,
        by=by,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def _required_missing(missing: Sequence[MissingItem]) -> list[dict[str, str]]:
    """Form 02's list: at least one item (one complete set of instructions)."""
    if not missing:
        raise InvalidInput(
            "Cần nêu ít nhất một nội dung phải bổ sung.", fields={"missing": "required"}
        )
    return [asdict(m) for m in missing]


def _required_reasons(reasons: Sequence[str]) -> list[str]:
    cleaned = [r.strip() for r in reasons if r and r.strip()]
    if not cleaned:
        raise InvalidInput("Cần nêu rõ lý do.", fields={"reasons": "required"})
    return cleaned


# -- processing -----------------------------------------------------------------------------


def _current(d: Dossier) -> DossierStep | None:
    return d.steps.filter(order=d.current_step).first()


def _next_steps(d: Dossier) -> list[DossierStep]:
    return list(d.steps.filter(order__gt=d.current_step).order_by("order"))


def hand_over(
    dossier_id: int,
    *,
    by: User,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier to the next workflow step (a line of Form 06)."""

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        following = [s for s in _next_steps(d) if s.role != StepRole.RETURN]
        if not following:
            raise InvalidInput(
                "Đây là bước xử lý cuối cùng: hãy phê duyệt hoặc từ chối giải quyết.",
                fields={"step": "last_step"},
            )
        step = _finish_current(d, by, now, note)
        nxt = following[0]
        nxt.started_at = now
        nxt.save(update_fields=["started_at"])
        d.current_step, d.current_agency_id = nxt.order, nxt.agency_id
        return _Change(
            reason=note,
            data={
                "from_step": step.order if step else None,
                "to_step": nxt.order,
                "to_agency": nxt.agency_id,
            },
        )

    return _act(
        dossier_id, Action.HAND_OVER, by=by, expected_version=expected_version, now=now, apply=apply
    )


def _finish_current(d: Dossier, by: User, now: dt.datetime, note: str) -> DossierStep | None:
    step = _current(d)
    if step is not None:
        step.finished_at, step.handled_by, step.note = now, by, note[:500]
        step.save(update_fields=["finished_at", "handled_by", "note"])
    return step


def forward(
    dossier_id: int,
    *,
    by: User,
    to_agency: Agency,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Send the dossier to another agency for an inter-agency (liên thông) step."""

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        if to_agency.pk == d.current_agency_id:
            raise InvalidInput("Hồ sơ đang ở chính cơ quan này.", fields={"to_agency": "same"})
        if not to_agency.is_valid_on(timezone.localdate(now)):
            raise InvalidInput(
                "Cơ quan nhận không còn hoạt động.", fields={"to_agency": "inactive"}
            )
        step = _current(d)
        from_agency = d.current_agency_id
        if step is not None:
            step.agency_id = to_agency.pk
            step.note = (f"Liên thông: {note}" if note else "Liên thông")[:500]
            step.save(update_fields=["agency", "note"])
        d.current_agency = to_agency
        return _Change(reason=note, data={"from_agency": from_agency, "to_agency": to_agency.pk})

    return _act(
        dossier_id, Action.FORWARD, by=by, expected_version=expected_version, now=now, apply=apply
    )


def request_supplement(
    dossier_id: int,
    *,
    by: User,
    missing: Sequence[MissingItem],
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 02 during processing: the clock pauses until the applicant supplements.
    A second request makes the dossier count as late in the national index."""
    items = _required_missing(missing)

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        Pause.objects.create(dossier=d, started_at=now, reason=note)
        d.supplement_count += 1
        return _Change(
            reason=note,
            data={"missing": items, "round": d.supplement_count},
            form_extra={"missing": items, "note": note},
        )

    return _act(
        dossier_id,
        Action.REQUEST_SUPPLEMENT,
        by=by,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def supplement(
    dossier_id: int,
    *,
    by: User,
    documents: Sequence[DocumentInput] = (),
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant supplied what was missing: the pause ends and the due date moves by the
    paused working time. ``note``: the applicant's message (kept as the event's reason)."""

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        _add_documents(d, documents)
        pause = d.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
        if pause is None:  # the table allows SUPPLEMENT only from SUPPLEMENT_REQUESTED
            raise ConflictError("Không có yêu cầu bổ sung đang chờ.")
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
        cal = calendar_for(d.receiving_agency)
        paused = cal.working_time(pause.started_at, now)
        d.paused_total += now - pause.started_at
        d.paused_working_seconds += int(paused.total_seconds())
        _reset_effective_due(d, cal)
        return _Change(
            reason=note.strip(),
            data={
                "documents": [doc.name for doc in documents],
                "paused_working_seconds": int(paused.total_seconds()),
                "effective_due_at": d.effective_due_at.isoformat(),
            },
        )

    return _act(
        dossier_id,
        Action.SUPPLEMENT,
        by=by,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def _reset_effective_due(d: Dossier, cal: WorkingCalendar) -> None:
    """The one due date every surface shows. No paused working time leaves it unchanged:
    adding zero to a due date at the close of a day (17:00) would give the same instant as
    the next morning's opening (07:00), and the desk and the portal showed both."""
    base = d.extended_due_at or d.due_at
    if d.paused_working_seconds <= 0:
        d.effective_due_at = base
        return
    d.effective_due_at = cal.add_time(base, dt.timedelta(seconds=d.paused_working_seconds))


def apologise(
    dossier_id: int,
    *,
    by: User,
    reason: str,
    new_due_at: dt.datetime,
    signer: int | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 04: the deciding agency's letter of apology proposing a new return date — with a
    reason, at most once per dossier, sent at the latest the day before the due date (Decree
    118/2025 keeps Decree 61/2018's "chậm nhất 01 ngày trước ngày hết hạn"; docs/legal-forms.md).
    ``signer``: the agency's configured signer (``AgencySigner`` id); default its head."""
    if not reason.strip():
        raise InvalidInput("Cần nêu lý do chậm trễ.", fields={"reason": "required"})
    try:  # aware, years 2000–2100: 9999-12-31T23:59-14:00 overflowed when stored (core.dateparams)
        dateparams.check_datetime(new_due_at)
    except dateparams.DateParamError as exc:
        raise InvalidInput(exc.message, fields={"new_due_at": exc.code}) from None

    def apply(d: Dossier, now: dt.datetime) -> _Change:
        if d.extended_due_at is not None:
            raise InvalidInput(
                "Mỗi hồ sơ chỉ được hẹn lại ngày trả kết quả một lần.",
                fields={"new_due_at": "already_extended"},
            )
        if d.effective_due_at is not None and now >= d.effective_due_at:
            raise InvalidInput(
                "Đã quá hạn giải quyết: văn bản xin lỗi phải gửi trước ngày hẹn trả.",
                fields={"new_due_at": "too_late"},
            )
        if d.effective_due_at is not None and not apology_in_time(
            timezone.localtime(now).date(), timezone.localtime(d.effective_due_at).date()
        ):
            raise InvalidInput(
                "Văn bản xin lỗi, đề nghị gia hạn phải gửi chậm nhất 01 ngày trước ngày hẹn trả"
                " kết quả.",
                fields={"new_due_at": "too_late"},
            )
        signed = formdata.signer_block(d.deciding_agency, signer)
        if new_due_at <= (d.effective_due_at or now):
            raise InvalidInput(
                "Ngày hẹn mới phải sau ngày hẹn hiện tại.", fields={"new_due_at": "not_later"}
            )
        old_due = d.effective_due_at
        d.extended_due_at = new_due_at
        d.effective_due_at = new_due_at
        return _Change(
            reason=reason,
            data={
                "old_due_at": old_due.isoformat() if old_due else None,
                "new_due_at": new_due_at.isoformat(),
            },
            form_extra={
                "reason": reason,
                "old_due_at": old_due.isoformat() if old_due else "",
                "new_due_at": new_due_at.isoformat(),
                "signer": signed,
            },
        )

    return _act(
        dossier_id, Action.APOLOGISE, by=by, expected_version=expected_version, now=now, apply=apply
    )


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


# -- forms ----------------------------------------------------------------------------------


def issue_form(
    dossier: Dossier,
    form: str,
    *,
    now: dt.datetime,
    by: User | None,
    extra: dict | None = None,
    documents: list[DossierDocument] | None = None,
    number: str | None = None,
) -> IssuedForm:
    """Store the form's immutable snapshot (rendered to HTML/PDF later, on demand).
    ``documents`` and ``number``: when the caller already holds them."""
    agency = dossier.deciding_agency if form in {"04", "05"} else dossier.receiving_agency
    number = number or new_form_number(form, agency, now)
    snapshot = formdata.build(
        dossier,
        form,
        number=number,
        issued_at=now,
        agency=agency,
        officer=by,
        extra=extra or {},
        documents=documents,
    )
    issued = IssuedForm(
        dossier=dossier,
        agency=agency,
        form=form,
        number=number,
        issued_at=now,
        template_version=snapshot["template_version"],
        snapshot=snapshot,
    )
    rows.insert([issued])
    return issued


def issue_control_slip(dossier_id: int, *, by: User, now: dt.datetime | None = None) -> IssuedForm:
    """Form 06 (process-control slip) from the dossier's recorded hand-overs."""
    from motcua.dossiers.queries import visible_dossiers

    now = now or timezone.now()
    with transaction.atomic():
        dossier = visible_dossiers(by).filter(pk=dossier_id).first()
        if dossier is None or dossier.received_at is None:
            raise InvalidInput(
                "Không tìm thấy hồ sơ đã tiếp nhận.", fields={"dossier": "not_found"}
            )
        form = issue_form(dossier, "06", now=now, by=by)
        _audit_form(form, by=by, now=now, dossier=dossier)
        return form


def _audit_form(
    form: IssuedForm, *, by: User, now: dt.datetime, dossier: Dossier | None = None
) -> None:
    """A form issued outside a state change is still in the audit trail."""
    state = dossier.state if dossier else ""
    AuditEvent.objects.create(
        dossier=dossier,
        at=now,
        actor=by,
        agency=form.agency,
        action=ISSUE_FORM,
        from_state=state,
        to_state=state,
        national_status=NATIONAL_STATUS[State(state)] if state else 0,
        form=form,
        data={"form": form.form, "number": form.number},
    )
    stats_hooks.touch(dossier.pk if dossier else None)


def issue_dossier_log(
    agency: Agency, *, by: User, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> IssuedForm:
    """Form 07: the register of dossiers received at an agency's desk over a period."""
    from motcua.accounts.scope import role_in
    from motcua.dossiers.permissions import DESK

    now = now or timezone.now()
    if end < start:
        raise InvalidInput("Ngày kết thúc phải sau ngày bắt đầu.", fields={"end": "before_start"})
    try:  # years 2000–2100, at most about five years (core.dateparams), also for the CLI
        dateparams.check_date(start)
        dateparams.check_date(end)
        dateparams.check_range(start, end)
    except dateparams.DateParamError as exc:
        raise InvalidInput(exc.message, fields={"end": exc.code}) from None
    if not (by.is_superuser or role_in(by, agency.pk, DESK)):
        raise NotAllowed("Bạn không có quyền lập sổ theo dõi hồ sơ của cơ quan này.")
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    dossiers = (
        Dossier.objects.filter(receiving_agency=agency, received_at__gte=lo, received_at__lt=hi)
        .select_related("procedure", "deciding_agency")
        .order_by("received_at", "pk")
    )
    with transaction.atomic():
        number = new_form_number("07", agency, now)
        log_rows = [formdata.log_row(i, d) for i, d in enumerate(dossiers, start=1)]
        snapshot = formdata.build_log(
            agency, log_rows, number=number, issued_at=now, start=start, end=end, officer=by
        )
        form = IssuedForm.objects.create(
            agency=agency,
            form="07",
            number=number,
            issued_at=now,
            template_version=snapshot["template_version"],
            snapshot=snapshot,
        )
        _audit_form(form, by=by, now=now)
    return form
