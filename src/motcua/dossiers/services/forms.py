"""Legal forms (Circular 03/2025/TT-VPCP, Forms 01–07) as immutable snapshots.

``issue_form`` stores the snapshot of the form a transition names (the engine calls it) and
numbers it; Form 06 (process-control slip) and Form 07 (register of dossiers received) are
issued outside a state change and audited as ``issue_form`` events. PDFs are rendered later from
the snapshot, never inside these transactions.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import dateparams, rows
from motcua.dossiers import formdata
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier, DossierDocument, IssuedForm
from motcua.dossiers.rules import NATIONAL_STATUS, State
from motcua.dossiers.services.numbering import new_form_number
from motcua.stats import hooks as stats_hooks

ISSUE_FORM = "issue_form"


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
