"""What a citizen sees of their own dossier (read side for the "My dossiers" pages)."""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.dossiers.models import AuditEvent, Dossier, IssuedForm
from motcua.dossiers.queries import timeline
from motcua.dossiers.rules import Action, State, allowed_actions
from motcua.portal.labels import CITIZEN_FORMS

SUPPLEMENT_STATES = {State.SUPPLEMENT_REQUESTED, State.COMPLETION_REQUESTED}


@dataclass
class FormLink:
    form: str
    n: int
    number: str
    issued_at: object


@dataclass
class DossierView:
    dossier: Dossier
    events: list = field(default_factory=list)
    forms: list[FormLink] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    can_withdraw: bool = False
    can_supplement: bool = False
    can_rate: bool = False
    unpaid: int = 0


def citizen_forms(dossier: Dossier) -> list[FormLink]:
    """Forms issued to the applicant, numbered per form (the URL uses form + n, not ids)."""
    seen: dict[str, int] = {}
    links = []
    for f in IssuedForm.objects.filter(dossier=dossier, form__in=CITIZEN_FORMS).order_by(
        "issued_at", "pk"
    ):
        seen[f.form] = seen.get(f.form, 0) + 1
        links.append(FormLink(f.form, seen[f.form], f.number, f.issued_at))
    return links


def issued_form(dossier: Dossier, form: str, n: int) -> IssuedForm | None:
    """The citizen's n-th issued form ``form`` (1-based), if any."""
    if form not in CITIZEN_FORMS or n < 1:
        return None
    rows = IssuedForm.objects.filter(dossier=dossier, form=form).order_by("issued_at", "pk")
    return rows[n - 1 : n].first()


def form_snapshot(dossier: Dossier, form: str, n: int) -> dict | None:
    issued = issued_form(dossier, form, n)
    return issued.snapshot if issued else None


def open_request(dossier: Dossier) -> list[dict]:
    """The missing items of the supplement/completion request the dossier is waiting on."""
    if dossier.state not in SUPPLEMENT_STATES:
        return []
    event = (
        AuditEvent.objects.filter(
            dossier=dossier, action__in=[Action.REQUEST_SUPPLEMENT, Action.REQUEST_COMPLETION]
        )
        .order_by("-at", "-pk")
        .first()
    )
    return list(event.data.get("missing", [])) if event else []


def view_of(dossier: Dossier) -> DossierView:
    from motcua.payments.services import unpaid_total
    from motcua.ratings.models import Rating

    actions = allowed_actions(dossier.state_enum)
    return DossierView(
        dossier=dossier,
        events=list(timeline(dossier, for_citizen=True)),
        forms=citizen_forms(dossier),
        missing=open_request(dossier),
        can_withdraw=Action.WITHDRAW in actions,
        can_supplement=dossier.state in SUPPLEMENT_STATES,
        can_rate=dossier.state == State.RETURNED
        and not Rating.objects.filter(dossier=dossier).exists(),
        unpaid=unpaid_total(dossier),
    )
