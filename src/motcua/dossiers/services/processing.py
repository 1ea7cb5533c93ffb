"""Processing (Decree 118/2025/NĐ-CP, Art. 16–18): hand-over between workflow steps (the lines
of Form 06), inter-agency forwarding (liên thông), supplement requests (Form 02; the clock
pauses) and supplements (the due date moves by the paused working time), and the apology letter
proposing a new return date (Form 04, at the latest the day before the due date: Decree 61/2018
Art. 19 as amended, kept by Decree 118/2025).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import StepRole
from motcua.core import dateparams
from motcua.dossiers import formdata
from motcua.dossiers.errors import ConflictError, InvalidInput
from motcua.dossiers.models import Dossier, DossierStep, Pause
from motcua.dossiers.rules import Action, apology_in_time
from motcua.dossiers.services._engine import _act, _Change, calendar_for
from motcua.dossiers.services.inputs import DocumentInput, MissingItem, _required_missing
from motcua.dossiers.services.intake import _add_documents
from motcua.dossiers.signals import dossier_forwarded
from motcua.workcalendar.rules import WorkingCalendar


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
        dossier_forwarded.send(
            sender=Dossier,
            dossier=d,
            from_agency_id=from_agency,
            to_agency=to_agency,
            by=by,
            note=note,
            now=now,
        )
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
