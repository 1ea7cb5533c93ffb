"""Plain-text views of dossiers for the CLI (dates as dd/mm/yyyy HH:MM, local time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import timeline
from motcua.dossiers.rules import STATE_LABELS_VI, State

NONE = "—"


def when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else NONE


def state_label(state: str) -> str:
    return f"{STATE_LABELS_VI[State(state)]} ({state})"


def summary(d: Dossier) -> str:
    """One line: code, state and the current due date (printed after every action)."""
    return f"{d.code}  {state_label(d.state)}  hạn xử lý: {when(d.effective_due_at)}"


def list_line(d: Dossier) -> str:
    return (
        f"{d.code}  {d.state:<20}  hạn {when(d.effective_due_at):<16}  "
        f"{d.procedure.code or NONE:<9}  {d.applicant_name}"
    )


def details(d: Dossier) -> Iterator[str]:
    """Everything an operator asks about one dossier, section by section."""
    yield f"Hồ sơ {d.code} (phiên bản {d.version})"
    yield f"  Trạng thái:        {state_label(d.state)}"
    yield f"  Thủ tục:           {d.procedure.code} — {d.procedure.name_vi}"
    ident = d.applicant_id_number or d.applicant_tax_code
    yield f"  Người nộp:         {d.applicant_name} ({ident})"
    yield f"  Kênh nộp:          {d.get_channel_display()}"
    yield f"  Nơi tiếp nhận:     {d.receiving_agency.code} — {d.receiving_agency.name_vi}"
    yield f"  Cơ quan giải quyết: {d.deciding_agency.code} — {d.deciding_agency.name_vi}"
    yield f"  Đang xử lý tại:    {d.current_agency.code} — {d.current_agency.name_vi}"
    yield "Ngày tháng"
    for label, value in (
        ("Nộp", d.submitted_at),
        ("Tiếp nhận", d.received_at),
        ("Hẹn trả (theo luật)", d.due_at),
        ("Hẹn trả lại (Mẫu 04)", d.extended_due_at),
        ("Hạn xử lý hiện tại", d.effective_due_at),
        ("Kết thúc xử lý", d.ended_at),
        ("Trả kết quả", d.returned_at),
    ):
        yield f"  {label + ':':<22}{when(value)}"
    if d.supplement_count:
        yield f"  Số lần yêu cầu bổ sung: {d.supplement_count}"
    if d.outcome:
        yield f"  Kết quả: {d.get_outcome_display()} {d.decision_note}".rstrip()
    yield from _section("Các bước xử lý", _steps(d))
    yield from _section("Tạm dừng", _pauses(d))
    yield from _section("Phí, lệ phí", _fees(d))
    yield from _section("Biểu mẫu đã lập", _forms(d))
    yield from _section("Nhật ký", _events(d))


def _section(title: str, lines: Iterable[str]) -> Iterator[str]:
    lines = list(lines)
    yield f"{title}:" if lines else f"{title}: {NONE}"
    yield from lines


def _steps(d: Dossier) -> Iterator[str]:
    for s in d.steps.select_related("agency", "handled_by").order_by("order"):
        mark = "*" if s.order == d.current_step and d.state not in _CLOSED else " "
        handled = f", người xử lý {s.handled_by.username}" if s.handled_by else ""
        yield (
            f" {mark}{s.order}. {s.name} [{s.role}] tại {s.agency.code}: hạn {when(s.due_at)}, "
            f"bắt đầu {when(s.started_at)}, xong {when(s.finished_at)}{handled}"
        )


_CLOSED = {State.RETURNED, State.WITHDRAWN, State.STOPPED, State.NOT_RECEIVED}


def _pauses(d: Dossier) -> Iterator[str]:
    for p in d.pauses.order_by("started_at"):
        yield f"  {when(p.started_at)} → {when(p.ended_at)} {p.reason}".rstrip()


def _fees(d: Dossier) -> Iterator[str]:
    for f in d.fees.order_by("pk"):
        paid = f"đã nộp {when(f.paid_at)} ({f.payment_channel})" if f.paid_at else "chưa nộp"
        amount = f"{f.amount_vnd:,}".replace(",", ".")
        yield f"  {f.name}: {amount} đồng, {paid}"


def _forms(d: Dossier) -> Iterator[str]:
    for f in d.forms.order_by("issued_at", "pk"):
        yield f"  Mẫu {f.form} số {f.number}, lập {when(f.issued_at)}"


def _events(d: Dossier) -> Iterator[str]:
    for e in timeline(d, for_citizen=False):
        actor = e.actor.username if e.actor else NONE
        move = f"{e.from_state or NONE} → {e.to_state}"
        reason = f": {e.reason}" if e.reason else ""
        yield f"  {when(e.at)}  {e.action:<18} {move:<40} {actor} ({e.actor_role}){reason}"
