"""The written exchange between the desk and the applicant: each request to complete (at
reception) or supplement (during processing), with the officer's items and instructions, and
the applicant's answer (note and documents). Read from the audit trail, so both the desk and
the portal show the same rounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from motcua.dossiers.models import AuditEvent, Dossier
from motcua.dossiers.rules import Action

REQUESTS = {Action.REQUEST_COMPLETION: "completion", Action.REQUEST_SUPPLEMENT: "supplement"}
ANSWERS = {Action.COMPLETE, Action.SUPPLEMENT}


@dataclass
class Round:
    kind: str  # "completion" (Form 02 at reception) or "supplement" (during processing)
    requested_at: dt.datetime
    missing: list[dict]  # {"name", "instruction"}
    note: str  # the officer's further instructions
    agency: str
    answered_at: dt.datetime | None = None
    answer_note: str = ""
    answer_documents: list[str] = field(default_factory=list)


def rounds(dossier: Dossier) -> list[Round]:
    """Every request and its answer (None while the applicant has not answered), oldest first."""
    events = (
        AuditEvent.objects.filter(
            dossier=dossier, action__in=[*(a.value for a in REQUESTS), *(a.value for a in ANSWERS)]
        )
        .select_related("agency")
        .order_by("at", "pk")
    )
    out: list[Round] = []
    for e in events:
        if e.action in REQUESTS:
            out.append(
                Round(
                    kind=REQUESTS[Action(e.action)],
                    requested_at=e.at,
                    missing=list(e.data.get("missing", [])),
                    note=e.reason,
                    agency=e.agency.name_vi if e.agency else "",
                )
            )
        elif out and out[-1].answered_at is None:
            out[-1].answered_at = e.at
            out[-1].answer_note = e.reason
            out[-1].answer_documents = list(e.data.get("documents", []))
    return out
