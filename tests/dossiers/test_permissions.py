"""The permission matrix: every service and query, as every role, in a two-agency set-up.

Agency A (phường Cái Khế) owns the dossier; agency B (phường An Hòa) is its sibling; the
district administrator and the province administrator see both through their subtrees. For
each action the dossier is brought to a state where the action is legal, then every user tries
it: exactly the expected users succeed; everyone else gets NotAllowed and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from motcua.dossiers import services as S
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier
from motcua.dossiers.queries import own_dossiers, visible_dossiers, work_queue
from motcua.dossiers.rules import Action

from .conftest import at, submit

EVERYONE = [
    "citizen1",
    "citizen2",
    "desk_officer_a",
    "specialist_a",
    "leader_a",
    "desk_officer_b",
    "specialist_b",
    "leader_b",
    "admin_d",
    "admin_p",
    "root",
]
ADMINS = {"admin_d", "admin_p", "root"}
DESK_A = {"desk_officer_a", *ADMINS}
PROCESSING_A = {"desk_officer_a", "specialist_a", "leader_a", *ADMINS}
SPECIALISTS_A = {"specialist_a", "leader_a", *ADMINS}
LEADERS_A = {"leader_a", *ADMINS}


def _registered(w):
    return submit(w)


def _received(w):
    pk = submit(w)
    S.receive(pk, by=w.root, now=at(2025, 1, 24, 9))
    return pk


def _in_process(w):
    pk = _received(w)
    S.hand_over(pk, by=w.root, now=at(2025, 1, 24, 10))
    return pk


def _completion(w):
    pk = submit(w)
    S.request_completion(pk, by=w.root, missing=[S.MissingItem("Tờ khai")])
    return pk


def _supplement(w):
    pk = _in_process(w)
    S.request_supplement(pk, by=w.root, missing=[S.MissingItem("Tờ khai")], now=at(2025, 2, 3, 9))
    return pk


def _decided(w):
    pk = _in_process(w)
    S.approve(pk, by=w.root, result_documents=["Trích lục"], now=at(2025, 2, 3, 9))
    S.pay_fees(pk, by=w.root, channel="cash", now=at(2025, 2, 3, 10))
    return pk


def _awaiting_payment(w):
    pk = _decided(w)
    S.request_payment(pk, by=w.root, fees=[("Phí", 50000)], now=at(2025, 2, 3, 11))
    return pk


FUTURE = at(2025, 2, 20, 9)
# action → (how to prepare, how to act, who may)
MATRIX: dict[Action, tuple[Callable, Callable, set[str]]] = {
    Action.RECEIVE: (
        _registered,
        lambda pk, u: S.receive(pk, by=u, now=at(2025, 1, 24, 9)),
        DESK_A,
    ),
    Action.REQUEST_COMPLETION: (
        _registered,
        lambda pk, u: S.request_completion(pk, by=u, missing=[S.MissingItem("x")]),
        DESK_A,
    ),
    Action.COMPLETE: (_completion, lambda pk, u: S.complete(pk, by=u), {"citizen1", *DESK_A}),
    Action.REFUSE_RECEPTION: (
        _registered,
        lambda pk, u: S.refuse_reception(pk, by=u, reasons=["x"]),
        DESK_A,
    ),
    Action.HAND_OVER: (
        _received,
        lambda pk, u: S.hand_over(pk, by=u, now=at(2025, 1, 24, 10)),
        PROCESSING_A,
    ),
    Action.FORWARD: (
        _in_process,
        lambda pk, u: S.forward(pk, by=u, to_agency=u._world.b),
        SPECIALISTS_A,
    ),
    Action.REQUEST_SUPPLEMENT: (
        _in_process,
        lambda pk, u: S.request_supplement(
            pk, by=u, missing=[S.MissingItem("x")], now=at(2025, 2, 3, 9)
        ),
        SPECIALISTS_A | DESK_A,
    ),
    Action.SUPPLEMENT: (
        _supplement,
        lambda pk, u: S.supplement(pk, by=u, now=at(2025, 2, 4, 9)),
        {"citizen1", *DESK_A},
    ),
    Action.APOLOGISE: (
        _in_process,
        lambda pk, u: S.apologise(pk, by=u, reason="x", new_due_at=FUTURE, now=at(2025, 2, 3, 9)),
        LEADERS_A,
    ),
    Action.STOP: (_in_process, lambda pk, u: S.stop(pk, by=u, reason="x"), LEADERS_A),
    Action.WITHDRAW: (_in_process, lambda pk, u: S.withdraw(pk, by=u), {"citizen1", *DESK_A}),
    Action.APPROVE: (
        _in_process,
        lambda pk, u: S.approve(pk, by=u, result_documents=["x"]),
        LEADERS_A,
    ),
    Action.REFUSE: (_in_process, lambda pk, u: S.refuse(pk, by=u, reasons=["x"]), LEADERS_A),
    Action.REQUEST_PAYMENT: (
        _decided,
        lambda pk, u: S.request_payment(pk, by=u, fees=[("Phí", 1000)]),
        SPECIALISTS_A | DESK_A,
    ),
    Action.CONFIRM_PAYMENT: (
        _awaiting_payment,
        lambda pk, u: S.confirm_payment(pk, by=u),
        SPECIALISTS_A | DESK_A,
    ),
    Action.RETURN_RESULT: (_decided, lambda pk, u: S.return_result(pk, by=u), DESK_A),
}


def test_matrix_covers_every_action_but_submit():
    assert set(MATRIX) == set(Action) - {Action.SUBMIT}


@pytest.mark.parametrize("action", list(MATRIX), ids=str)
def test_each_action_as_every_role(world, action):
    prepare, act, allowed = MATRIX[action]
    for name in EVERYONE:
        user = world.users[name]
        user._world = world  # forward needs the sibling agency
        pk = prepare(world)
        before = Dossier.objects.get(pk=pk)
        events = AuditEvent.objects.filter(dossier_id=pk).count()
        if name in allowed:
            act(pk, user)
            assert Dossier.objects.get(pk=pk).version == before.version + 1, name
        else:
            with pytest.raises(NotAllowed):
                act(pk, user)
            after = Dossier.objects.get(pk=pk)
            assert (after.state, after.version) == (before.state, before.version), name
            assert AuditEvent.objects.filter(dossier_id=pk).count() == events, name


def test_submit_permissions(world):
    # citizens submit online for themselves; desk officers only at their own agency
    assert Dossier.objects.get(pk=submit(world, by=world.citizen1)).applicant_user == world.citizen1
    submit(world, by=world.desk_officer_a, channel="desk")
    with pytest.raises(NotAllowed):
        submit(world, by=world.desk_officer_b, channel="desk")
    with pytest.raises(NotAllowed):
        submit(world, by=world.specialist_a, channel="desk")


def test_queries_as_every_role(world):
    in_a = submit(world)
    in_b = submit(world, agency=world.b, by=world.citizen2)
    S.receive(in_a, by=world.root, now=at(2025, 1, 24, 9))
    expected = {
        "citizen1": {in_a},
        "citizen2": {in_b},
        "desk_officer_a": {in_a},
        "specialist_a": {in_a},
        "leader_a": {in_a},
        "desk_officer_b": {in_b},
        "specialist_b": {in_b},
        "leader_b": {in_b},
        "admin_d": {in_a, in_b},
        "admin_p": {in_a, in_b},
        "root": {in_a, in_b},
    }
    for name, ids in expected.items():
        user = world.users[name]
        assert set(visible_dossiers(user).values_list("pk", flat=True)) == ids, name
        assert set(work_queue(user).values_list("pk", flat=True)) == ids, name
    assert set(own_dossiers(world.citizen1).values_list("pk", flat=True)) == {in_a}
    assert set(own_dossiers(world.desk_officer_a).values_list("pk", flat=True)) == set()


def test_forms_and_log_are_scoped(world):
    pk = _received(world)
    S.issue_control_slip(pk, by=world.specialist_a)
    with pytest.raises(InvalidInput):  # outside scope: indistinguishable from "not found"
        S.issue_control_slip(pk, by=world.specialist_b)
    S.issue_dossier_log(
        world.a, by=world.desk_officer_a, start=at(2025, 1, 1).date(), end=at(2025, 1, 31).date()
    )
    with pytest.raises(NotAllowed):
        S.issue_dossier_log(
            world.a,
            by=world.desk_officer_b,
            start=at(2025, 1, 1).date(),
            end=at(2025, 1, 31).date(),
        )


def test_fee_payment_scoped(world):
    pk = _decided(world)  # already paid by root
    pk2 = _in_process(world)
    with pytest.raises(NotAllowed):
        S.pay_fees(pk2, by=world.citizen2)
    assert S.pay_fees(pk2, by=world.citizen1, channel="online", gateway="sandbox") == 8000
    assert S.pay_fees(pk2, by=world.citizen1, channel="online") == 0  # a replay pays nothing
    assert Dossier.objects.get(pk=pk).fees.filter(paid_at__isnull=True).count() == 0
