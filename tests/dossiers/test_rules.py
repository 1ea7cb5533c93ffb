"""The transition table, without a database: every legal row, and every illegal pair."""

from __future__ import annotations

import itertools

import pytest

from motcua.dossiers.rules import (
    ACTION_LABELS_VI,
    NATIONAL_STATUS,
    STATE_LABELS_VI,
    TERMINAL_STATES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    State,
    allowed_actions,
    transition,
)

LEGAL = {(t.source, t.action): t for t in TRANSITIONS}
ALL_PAIRS = list(itertools.product([None, *State], Action))


@pytest.mark.parametrize(("source", "action"), list(LEGAL), ids=lambda v: str(v))
def test_every_legal_transition(source, action):
    row = transition(source, action)
    assert row is LEGAL[(source, action)]
    assert row.legal_ref.strip(), "each row cites its legal basis"


@pytest.mark.parametrize(
    ("source", "action"), [p for p in ALL_PAIRS if p not in LEGAL], ids=lambda v: str(v)
)
def test_every_illegal_pair_is_refused_naming_state_and_action(source, action):
    with pytest.raises(IllegalTransition) as err:
        transition(source, action)
    message = str(err.value)
    assert ACTION_LABELS_VI[action] in message and str(action) in message
    if source is not None:
        assert STATE_LABELS_VI[source] in message


def test_terminal_states_allow_nothing():
    for state in TERMINAL_STATES:
        assert allowed_actions(state) == []


def test_every_state_has_a_label_and_a_national_code():
    assert set(STATE_LABELS_VI) == set(State) == set(NATIONAL_STATUS)
    assert set(NATIONAL_STATUS.values()) == set(range(1, 11))


def test_forms_issued_by_the_table():
    forms = {(t.action, t.form) for t in TRANSITIONS if t.form}
    assert forms == {
        (Action.RECEIVE, "01"),
        (Action.REQUEST_COMPLETION, "02"),
        (Action.REQUEST_SUPPLEMENT, "02"),
        (Action.REFUSE_RECEPTION, "03"),
        (Action.APOLOGISE, "04"),
        (Action.STOP, "05"),
    }


def test_every_state_is_reachable_from_submission():
    reached, frontier = set(), {State.REGISTERED}
    while frontier:
        state = frontier.pop()
        reached.add(state)
        frontier |= {t.target for t in TRANSITIONS if t.source == state} - reached
    assert reached == set(State)
