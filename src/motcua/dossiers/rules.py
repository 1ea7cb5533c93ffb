"""The dossier lifecycle as one reviewed transition table (no ORM).

Every row is (state, action) → next state, with the legal reference that allows it and the
legal form issued, if any. Services look actions up here and nowhere else; a missing row is
an illegal action, reported with the state and the action named.

Legal sources: Decree 118/2025/NĐ-CP (one-stop mechanism, in force 01/07/2025) — Art. 15
(reception), 16 (hand-over), 17–18 (processing, supplements, lateness), 19 (returning results);
Circular 03/2025/TT-VPCP (Forms 01–07); Decree 42/2022/NĐ-CP (online submission).
The article numbers follow the decree's chapter on the one-stop mechanism; "(to confirm)" in
docs/dossiers.md marks the few we could not check against the published text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from motcua.dossiers.errors import DossierError


class State(StrEnum):
    REGISTERED = "registered"  # submitted online, not yet checked by the desk
    COMPLETION_REQUESTED = "completion_requested"  # Form 02 at reception; nothing received yet
    NOT_RECEIVED = "not_received"  # Form 03: refused at reception
    RECEIVED = "received"  # Form 01 issued, at the reception step
    IN_PROCESS = "in_process"  # going through the internal workflow
    SUPPLEMENT_REQUESTED = "supplement_requested"  # clock paused until the applicant supplements
    DECIDED = "decided"  # approved with a result, or refused with reasons
    AWAITING_PAYMENT = "awaiting_payment"  # financial obligation before the result is handed over
    RETURNED = "returned"  # result returned (desk, post, online)
    WITHDRAWN = "withdrawn"  # the applicant withdrew
    STOPPED = "stopped"  # Form 05: processing stopped


STATE_LABELS_VI: dict[State, str] = {
    State.REGISTERED: "Mới đăng ký",
    State.COMPLETION_REQUESTED: "Yêu cầu hoàn thiện hồ sơ",
    State.NOT_RECEIVED: "Không được tiếp nhận",
    State.RECEIVED: "Đã tiếp nhận",
    State.IN_PROCESS: "Đang xử lý",
    State.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    State.DECIDED: "Đã xử lý xong",
    State.AWAITING_PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    State.RETURNED: "Đã trả kết quả",
    State.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    State.STOPPED: "Dừng xử lý",
}

# National portal status codes (TrangThaiHoSo), domain.md "Dossier lifecycle".
NATIONAL_STATUS: dict[State, int] = {
    State.REGISTERED: 1,
    State.COMPLETION_REQUESTED: 1,  # not received yet (to confirm against the sync spec)
    State.NOT_RECEIVED: 3,
    State.RECEIVED: 2,
    State.IN_PROCESS: 4,
    State.SUPPLEMENT_REQUESTED: 5,
    State.AWAITING_PAYMENT: 6,
    State.WITHDRAWN: 7,
    State.STOPPED: 8,
    State.DECIDED: 9,
    State.RETURNED: 10,
}

TERMINAL_STATES = frozenset({State.NOT_RECEIVED, State.RETURNED, State.WITHDRAWN, State.STOPPED})
# States in which processing has ended, for the on-time rule (kpi-766.md §2.1).
ENDED_STATES = frozenset(
    {State.DECIDED, State.AWAITING_PAYMENT, State.RETURNED, State.WITHDRAWN, State.STOPPED}
)
# States an officer's work queue shows (someone still has to act).
WORK_STATES = (
    State.REGISTERED,
    State.COMPLETION_REQUESTED,
    State.RECEIVED,
    State.IN_PROCESS,
    State.SUPPLEMENT_REQUESTED,
    State.DECIDED,
    State.AWAITING_PAYMENT,
)
# States in which the legal clock runs or is paused: the dossier was received and is not ended.
OPEN_STATES = frozenset({State.RECEIVED, State.IN_PROCESS, State.SUPPLEMENT_REQUESTED})
# Received and being worked on with the clock running (a supplement request stops it): what
# "overdue now" counts on the desk's dashboards.
CLOCK_RUNNING_STATES = (State.RECEIVED, State.IN_PROCESS)


class Action(StrEnum):
    SUBMIT = "submit"
    RECEIVE = "receive"
    REQUEST_COMPLETION = "request_completion"
    COMPLETE = "complete"
    REFUSE_RECEPTION = "refuse_reception"
    HAND_OVER = "hand_over"
    FORWARD = "forward"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    APOLOGISE = "apologise"
    STOP = "stop"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REFUSE = "refuse"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    RETURN_RESULT = "return_result"


ACTION_LABELS_VI: dict[Action, str] = {
    Action.SUBMIT: "Nộp hồ sơ trực tuyến",
    Action.RECEIVE: "Tiếp nhận hồ sơ",
    Action.REQUEST_COMPLETION: "Yêu cầu hoàn thiện hồ sơ",
    Action.COMPLETE: "Hoàn thiện hồ sơ",
    Action.REFUSE_RECEPTION: "Từ chối tiếp nhận",
    Action.HAND_OVER: "Chuyển bước xử lý",
    Action.FORWARD: "Chuyển cơ quan liên thông",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    Action.SUPPLEMENT: "Bổ sung hồ sơ",
    Action.APOLOGISE: "Xin lỗi và hẹn lại ngày trả",
    Action.STOP: "Dừng giải quyết",
    Action.WITHDRAW: "Rút hồ sơ",
    Action.APPROVE: "Phê duyệt kết quả",
    Action.REFUSE: "Từ chối giải quyết",
    Action.REQUEST_PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Action.CONFIRM_PAYMENT: "Xác nhận hoàn thành nghĩa vụ tài chính",
    Action.RETURN_RESULT: "Trả kết quả",
}


@dataclass(frozen=True)
class Transition:
    source: State | None  # None: the action creates the dossier
    action: Action
    target: State
    legal_ref: str
    form: str | None = None  # the legal form issued (Circular 03/2025/TT-VPCP)


D118 = "Nghị định 118/2025/NĐ-CP"
TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, Action.SUBMIT, State.REGISTERED, "Nghị định 42/2022/NĐ-CP; " + D118),
    # reception at the one-stop desk
    Transition(State.REGISTERED, Action.RECEIVE, State.RECEIVED, D118 + " (tiếp nhận)", "01"),
    Transition(
        State.COMPLETION_REQUESTED, Action.RECEIVE, State.RECEIVED, D118 + " (tiếp nhận)", "01"
    ),
    Transition(
        State.REGISTERED,
        Action.REQUEST_COMPLETION,
        State.COMPLETION_REQUESTED,
        D118 + " (hướng dẫn hoàn thiện một lần)",
        "02",
    ),
    Transition(
        State.COMPLETION_REQUESTED, Action.COMPLETE, State.REGISTERED, D118 + " (hoàn thiện hồ sơ)"
    ),
    Transition(
        State.REGISTERED,
        Action.REFUSE_RECEPTION,
        State.NOT_RECEIVED,
        D118 + " (từ chối tiếp nhận)",
        "03",
    ),
    Transition(
        State.COMPLETION_REQUESTED,
        Action.REFUSE_RECEPTION,
        State.NOT_RECEIVED,
        D118 + " (từ chối tiếp nhận)",
        "03",
    ),
    # processing through the internal workflow (each hand-over goes on Form 06)
    Transition(
        State.RECEIVED,
        Action.HAND_OVER,
        State.IN_PROCESS,
        D118 + " (chuyển hồ sơ đến cơ quan giải quyết)",
    ),
    Transition(State.IN_PROCESS, Action.HAND_OVER, State.IN_PROCESS, D118 + " (quy trình nội bộ)"),
    Transition(State.IN_PROCESS, Action.FORWARD, State.IN_PROCESS, D118 + " (liên thông)"),
    Transition(
        State.RECEIVED,
        Action.REQUEST_SUPPLEMENT,
        State.SUPPLEMENT_REQUESTED,
        D118 + " (yêu cầu bổ sung)",
        "02",
    ),
    Transition(
        State.IN_PROCESS,
        Action.REQUEST_SUPPLEMENT,
        State.SUPPLEMENT_REQUESTED,
        D118 + " (yêu cầu bổ sung)",
        "02",
    ),
    Transition(
        State.SUPPLEMENT_REQUESTED, Action.SUPPLEMENT, State.IN_PROCESS, D118 + " (bổ sung hồ sơ)"
    ),
    # lateness: apology with a new date, at most once, before the due date (checked in services)
    Transition(State.RECEIVED, Action.APOLOGISE, State.RECEIVED, D118 + " (hồ sơ trễ hạn)", "04"),
    Transition(
        State.IN_PROCESS, Action.APOLOGISE, State.IN_PROCESS, D118 + " (hồ sơ trễ hạn)", "04"
    ),
    Transition(
        State.SUPPLEMENT_REQUESTED,
        Action.APOLOGISE,
        State.SUPPLEMENT_REQUESTED,
        D118 + " (hồ sơ trễ hạn)",
        "04",
    ),
    # stopping, withdrawing
    Transition(State.RECEIVED, Action.STOP, State.STOPPED, D118 + " (dừng giải quyết)", "05"),
    Transition(State.IN_PROCESS, Action.STOP, State.STOPPED, D118 + " (dừng giải quyết)", "05"),
    Transition(
        State.SUPPLEMENT_REQUESTED, Action.STOP, State.STOPPED, D118 + " (dừng giải quyết)", "05"
    ),
    *(
        Transition(source, Action.WITHDRAW, State.WITHDRAWN, D118 + " (rút hồ sơ)")
        for source in (
            State.REGISTERED,
            State.COMPLETION_REQUESTED,
            State.RECEIVED,
            State.IN_PROCESS,
            State.SUPPLEMENT_REQUESTED,
        )
    ),
    # decision
    Transition(State.IN_PROCESS, Action.APPROVE, State.DECIDED, D118 + " (phê duyệt kết quả)"),
    Transition(
        State.IN_PROCESS, Action.REFUSE, State.DECIDED, D118 + " (từ chối giải quyết, nêu rõ lý do)"
    ),
    Transition(
        State.DECIDED,
        Action.REQUEST_PAYMENT,
        State.AWAITING_PAYMENT,
        D118 + " (nghĩa vụ tài chính)",
    ),
    Transition(
        State.AWAITING_PAYMENT,
        Action.CONFIRM_PAYMENT,
        State.DECIDED,
        D118 + " (nghĩa vụ tài chính)",
    ),
    Transition(State.DECIDED, Action.RETURN_RESULT, State.RETURNED, D118 + " (trả kết quả)"),
)

_TABLE: dict[tuple[State | None, Action], Transition] = {}
for _t in TRANSITIONS:
    if (_t.source, _t.action) in _TABLE:  # a table with two answers is a bug, not a choice
        raise AssertionError(f"duplicate transition {_t.source} × {_t.action}")
    _TABLE[(_t.source, _t.action)] = _t


class IllegalTransition(DossierError):
    """An action not allowed in the dossier's current state."""

    code = "illegal_transition"

    def __init__(self, state: State | None, action: Action):
        self.state, self.action = state, action
        state_label = STATE_LABELS_VI[state] if state else "chưa có hồ sơ"
        super().__init__(
            f"Không thể thực hiện “{ACTION_LABELS_VI[action]}” ({action}) khi hồ sơ đang ở trạng "
            f"thái “{state_label}” ({state})."
        )


def transition(state: State | None, action: Action) -> Transition:
    """The row for (state, action), or ``IllegalTransition`` naming both."""
    try:
        return _TABLE[(state, Action(action))]
    except KeyError:
        raise IllegalTransition(state, Action(action)) from None


def allowed_actions(state: State) -> list[Action]:
    return [t.action for t in TRANSITIONS if t.source == state]


def apology_in_time(today: dt.date, due_day: dt.date) -> bool:
    """Form 04 is sent "chậm nhất 01 ngày trước ngày hết hạn" (Decree 61/2018 Art. 19 as
    amended, kept by Decree 118/2025): on a day before the due date's day, never on it."""
    return today < due_day
