"""Reception (Decree 118/2025/NĐ-CP, Art. 15): receive a complete dossier with Form 01 and
its due dates from the working calendar, or register and receive a walk-in in one transaction;
ask for completion (Form 02, nothing received yet), the applicant completes, or refuse reception
(Form 03).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Performer, Procedure
from motcua.catalog.queries import workflow_steps
from motcua.core import rows
from motcua.core.counters import next_values
from motcua.dossiers import completeness
from motcua.dossiers.models import Channel, Dossier, DossierStep
from motcua.dossiers.permissions import authorise
from motcua.dossiers.rules import Action, transition
from motcua.dossiers.services._engine import _act, _Change, _event, calendar_for
from motcua.dossiers.services.forms import issue_form
from motcua.dossiers.services.inputs import (
    ApplicantData,
    DocumentInput,
    MissingItem,
    _required_missing,
    _required_reasons,
)
from motcua.dossiers.services.intake import _add_documents, _insert_new, _new_dossier, _submission
from motcua.dossiers.services.numbering import _code_counter, _form_counter
from motcua.notifications import hooks as notify_hooks
from motcua.stats import hooks as stats_hooks
from motcua.workcalendar.rules import Duration


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
        notify_hooks.dossier_event(d, Action.RECEIVE, data={}, reason="", now=now)
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
