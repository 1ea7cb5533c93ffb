"""Output shapes of dossiers shared by the dossier and task routers."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from ninja import Schema

from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import (
    deadline_status,
    own_dossiers,
    visible_dossiers,
    with_deadline_status,
)
from motcua.dossiers.rules import NATIONAL_STATUS, STATE_LABELS_VI, State, allowed_actions
from motcua.restapi.auth import Caller
from motcua.restapi.scopes import TASK_VERBS

VERB_OF_ACTION = {action: verb for verb, action in TASK_VERBS.items()}
_NEXT_ACTIONS = {
    state: [VERB_OF_ACTION[a] for a in allowed_actions(state) if a in VERB_OF_ACTION]
    for state in State
}


class ProcedureRef(Schema):
    code: str | None
    name: str


class ApplicantOut(Schema):
    kind: str
    name: str


class DossierOut(Schema):
    code: str
    version: int
    state: str
    state_label: str
    national_status: int
    deadline_status: str | None = None
    procedure: ProcedureRef
    receiving_agency: str
    deciding_agency: str
    current_agency: str
    channel: str
    applicant: ApplicantOut
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    effective_due_at: dt.datetime | None
    ended_at: dt.datetime | None
    returned_at: dt.datetime | None
    outcome: str
    supplement_count: int
    next_actions: list[str]


def scoped(c: Caller):
    """Citizens see their own dossiers; officers and tokens what their scope allows."""
    return visible_dossiers(c.user) if c.is_officer else own_dossiers(c.user)


def with_refs(qs):
    return with_deadline_status(
        qs.select_related("procedure", "receiving_agency", "deciding_agency", "current_agency")
    )


def find(c: Caller, code: str) -> Dossier:
    """The dossier with this code if the caller may see it; 404 otherwise (never 403)."""
    dossier = with_refs(scoped(c)).filter(code=code).first()
    if dossier is None:
        raise Http404
    return dossier


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Instants in local time (+07:00), so the API's due date reads as the pages show it
    (``effective_due_at`` is the due date; ``due_at`` the legal one set at reception)."""
    return timezone.localtime(value) if value is not None else None


# The list's columns, read as values (``dossier_dict``): no model instances per row.
LIST_COLUMNS = (
    "code",
    "version",
    "state",
    "deadline_status",
    "procedure__code",
    "procedure__name_vi",
    "receiving_agency__code",
    "deciding_agency__code",
    "current_agency__code",
    "channel",
    "applicant_kind",
    "applicant_name",
    "submitted_at",
    "received_at",
    "due_at",
    "effective_due_at",
    "ended_at",
    "returned_at",
    "outcome",
    "supplement_count",
)


def with_list_columns(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """``qs`` with what ``dossier_dict`` reads besides the columns: the deadline status."""
    return qs.annotate(deadline_status=deadline_status())


def dossier_dict(row: dict) -> dict:
    """``dossier_out`` of a row of ``LIST_COLUMNS``, as the plain dict ninja would serialise
    (same keys, order and values), for lists: building model instances and re-validating a
    pydantic model per row cost more CPU than the page's queries (issue 11)."""
    state = State(row["state"])
    return {
        "code": row["code"],
        "version": row["version"],
        "state": row["state"],
        "state_label": STATE_LABELS_VI[state],
        "national_status": NATIONAL_STATUS[state],
        "deadline_status": row["deadline_status"],
        "procedure": {"code": row["procedure__code"] or None, "name": row["procedure__name_vi"]},
        "receiving_agency": row["receiving_agency__code"],
        "deciding_agency": row["deciding_agency__code"],
        "current_agency": row["current_agency__code"],
        "channel": row["channel"],
        "applicant": {"kind": row["applicant_kind"], "name": row["applicant_name"]},
        "submitted_at": _local(row["submitted_at"]),
        "received_at": _local(row["received_at"]),
        "due_at": _local(row["due_at"]),
        "effective_due_at": _local(row["effective_due_at"]),
        "ended_at": _local(row["ended_at"]),
        "returned_at": _local(row["returned_at"]),
        "outcome": row["outcome"],
        "supplement_count": row["supplement_count"],
        "next_actions": _NEXT_ACTIONS[state],
    }


def dossier_out(d: Dossier) -> DossierOut:
    state = d.state_enum
    return DossierOut(
        code=d.code,
        version=d.version,
        state=d.state,
        state_label=STATE_LABELS_VI[state],
        national_status=NATIONAL_STATUS[state],
        deadline_status=getattr(d, "deadline_status", None),
        procedure=ProcedureRef(code=d.procedure.code or None, name=d.procedure.name_vi),
        receiving_agency=d.receiving_agency.code,
        deciding_agency=d.deciding_agency.code,
        current_agency=d.current_agency.code,
        channel=d.channel,
        applicant=ApplicantOut(kind=d.applicant_kind, name=d.applicant_name),
        submitted_at=_local(d.submitted_at),
        received_at=_local(d.received_at),
        due_at=_local(d.due_at),
        effective_due_at=_local(d.effective_due_at),
        ended_at=_local(d.ended_at),
        returned_at=_local(d.returned_at),
        outcome=d.outcome,
        supplement_count=d.supplement_count,
        next_actions=[VERB_OF_ACTION[a] for a in allowed_actions(state) if a in VERB_OF_ACTION],
    )
