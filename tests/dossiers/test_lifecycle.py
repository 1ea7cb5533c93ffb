"""The dossier lifecycle through the services, with deadlines across Tết 2025."""

from __future__ import annotations

import itertools

import pytest
from django.db import DatabaseError, transaction

from motcua.dossiers import services as S
from motcua.dossiers.errors import ConflictError, InvalidInput
from motcua.dossiers.models import AuditEvent, Dossier, IssuedForm
from motcua.dossiers.queries import DeadlineStatus, with_deadline_status
from motcua.dossiers.rules import IllegalTransition, State

from .conftest import at, submit


def _get(pk: int) -> Dossier:
    return Dossier.objects.get(pk=pk)


def test_full_flow_across_tet_with_a_supplement_pause(world):
    pk = submit(world, when=at(2025, 1, 24, 8, 30))
    d = _get(pk)
    assert d.state == State.REGISTERED
    assert d.code == "000.01.21.H13-250124-0001"

    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    d = _get(pk)
    # 5 working days from Friday 24/01/2025 09:00 across the Tết break (25/01–02/02)
    assert d.due_at == at(2025, 2, 7, 9)
    assert d.state == State.RECEIVED
    steps = list(d.steps.order_by("order"))
    assert [s.role for s in steps] == ["reception", "specialist", "leader", "return"]
    assert steps[-1].due_at == d.due_at
    assert all(a.due_at <= b.due_at for a, b in itertools.pairwise(steps))

    S.hand_over(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    S.request_supplement(
        pk,
        by=world.specialist_a,
        now=at(2025, 2, 3, 9),
        missing=[S.MissingItem("Bản sao Giấy khai sinh", "Nộp bản sao")],
    )
    assert _get(pk).state == State.SUPPLEMENT_REQUESTED
    S.supplement(
        pk,
        by=world.citizen1,
        now=at(2025, 2, 5, 9),
        documents=[S.DocumentInput(name="Bản sao Giấy khai sinh")],
    )
    d = _get(pk)
    assert d.state == State.IN_PROCESS
    # paused two working days (Mon 03/02 09:00 → Wed 05/02 09:00): the due date moves two days
    assert d.effective_due_at == at(2025, 2, 11, 9)
    assert d.due_at == at(2025, 2, 7, 9)  # the legal due date stays as received

    S.hand_over(pk, by=world.specialist_a, now=at(2025, 2, 6, 9))
    S.approve(
        pk, by=world.leader_a, result_documents=["Trích lục khai sinh"], now=at(2025, 2, 7, 8)
    )
    # the 8,000 VND fee is still unpaid: the result cannot be returned
    with pytest.raises(InvalidInput, match="chưa nộp"):
        S.return_result(pk, by=world.desk_officer_a, now=at(2025, 2, 10, 10))
    S.request_payment(
        pk, by=world.desk_officer_a, fees=[("Phí cấp bản sao", 8000)], now=at(2025, 2, 10, 10)
    )
    S.confirm_payment(
        pk, by=world.desk_officer_a, channel="online", gateway="sandbox", now=at(2025, 2, 10, 11)
    )
    S.return_result(pk, by=world.desk_officer_a, delivery="desk", now=at(2025, 2, 10, 14))
    d = _get(pk)
    assert d.state == State.RETURNED
    assert all(f.paid_at and f.payment_channel == "online" for f in d.fees.all())

    actions = list(AuditEvent.objects.filter(dossier=d).values_list("action", flat=True))
    assert actions == [
        "submit",
        "receive",
        "hand_over",
        "request_supplement",
        "supplement",
        "hand_over",
        "approve",
        "request_payment",
        "confirm_payment",
        "return_result",
    ]
    statuses = list(AuditEvent.objects.filter(dossier=d).values_list("national_status", flat=True))
    assert statuses == [1, 2, 4, 5, 4, 4, 9, 6, 9, 10]
    assert sorted(IssuedForm.objects.filter(dossier=d).values_list("form", flat=True)) == [
        "01",
        "02",
    ]
    status = with_deadline_status(Dossier.objects.filter(pk=pk), now=at(2025, 3, 1)).get()
    assert status.deadline_status == DeadlineStatus.ENDED_ON_TIME
    assert status.late_by_index is False


def test_index_subtracts_calendar_time_of_pauses(world):
    """kpi-766.md §2.1: end − Σ(calendar time paused) ≤ the legal due date. A pause over a
    weekend therefore counts less than the working time it froze: a dossier finished within
    its (working-time) effective due date can still be late by the index."""
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    S.request_supplement(
        pk, by=world.specialist_a, now=at(2025, 2, 6, 9), missing=[S.MissingItem("Tờ khai")]
    )
    S.supplement(pk, by=world.citizen1, now=at(2025, 2, 10, 9))  # Thu → Mon: 2 working days
    S.approve(pk, by=world.leader_a, result_documents=["Trích lục"], now=at(2025, 2, 11, 8))
    d = with_deadline_status(Dossier.objects.filter(pk=pk), now=at(2025, 3, 1)).get()
    assert d.effective_due_at == at(2025, 2, 11, 9)
    assert d.deadline_status == DeadlineStatus.ENDED_ON_TIME
    # 11/02 08:00 − 4 calendar days = 07/02 08:00 ≤ 07/02 09:00: on time by the index too
    assert d.late_by_index is False
    S_late = submit(world)
    S.receive(S_late, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(S_late, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    S.request_supplement(
        S_late, by=world.specialist_a, now=at(2025, 2, 3, 9), missing=[S.MissingItem("Tờ khai")]
    )
    S.supplement(S_late, by=world.citizen1, now=at(2025, 2, 5, 9))  # Mon → Wed: 2 days
    S.approve(S_late, by=world.leader_a, result_documents=["Trích lục"], now=at(2025, 2, 10, 9))
    d = with_deadline_status(Dossier.objects.filter(pk=S_late), now=at(2025, 3, 1)).get()
    assert d.deadline_status == DeadlineStatus.ENDED_ON_TIME  # before 11/02 09:00
    # 10/02 09:00 − 2 calendar days = 08/02 09:00 > 07/02 09:00: late by the index
    assert d.late_by_index is True


def test_illegal_action_names_state_and_action(world):
    pk = submit(world)
    with pytest.raises(IllegalTransition) as err:
        S.approve(pk, by=world.leader_a, result_documents=["x"])
    assert "Mới đăng ký" in str(err.value) and "approve" in str(err.value)
    assert _get(pk).version == 1


def test_second_supplement_request_is_late_by_index(world):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    for day in (3, 5):
        S.request_supplement(
            pk, by=world.specialist_a, now=at(2025, 2, day, 9), missing=[S.MissingItem("Tờ khai")]
        )
        S.supplement(pk, by=world.citizen1, now=at(2025, 2, day, 10))
    d = with_deadline_status(Dossier.objects.filter(pk=pk), now=at(2025, 2, 6, 9)).get()
    assert d.supplement_count == 2
    assert d.late_by_index is True
    assert d.deadline_status == DeadlineStatus.ON_TIME


def test_overdue_and_due_soon(world):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    qs = Dossier.objects.filter(pk=pk)
    assert with_deadline_status(qs, now=at(2025, 2, 6, 10)).get().deadline_status == "due_soon"
    assert with_deadline_status(qs, now=at(2025, 2, 4, 10)).get().deadline_status == "on_time"
    late = with_deadline_status(qs, now=at(2025, 2, 7, 10)).get()
    assert late.deadline_status == DeadlineStatus.OVERDUE and late.late_by_index is True


def test_apology_once_before_the_due_date(world):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    with pytest.raises(InvalidInput, match="sau ngày hẹn"):
        S.apologise(
            pk,
            by=world.leader_a,
            reason="Chờ xác minh",
            new_due_at=at(2025, 2, 6),
            now=at(2025, 2, 4),
        )
    S.apologise(
        pk,
        by=world.leader_a,
        reason="Chờ xác minh",
        new_due_at=at(2025, 2, 12, 9),
        now=at(2025, 2, 4),
    )
    d = _get(pk)
    assert d.effective_due_at == at(2025, 2, 12, 9) and d.due_at == at(2025, 2, 7, 9)
    form = d.forms.get(form="04")
    assert form.snapshot["reason"] == "Chờ xác minh"
    with pytest.raises(InvalidInput, match="một lần"):
        S.apologise(
            pk, by=world.leader_a, reason="Lần hai", new_due_at=at(2025, 2, 20), now=at(2025, 2, 5)
        )


def test_apology_refused_after_the_due_date(world):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    with pytest.raises(InvalidInput, match="quá hạn"):
        S.apologise(
            pk, by=world.leader_a, reason="Muộn", new_due_at=at(2025, 2, 20), now=at(2025, 2, 7, 10)
        )


def test_reception_forms_and_refusal(world):
    pk = submit(world)
    S.request_completion(
        pk,
        by=world.desk_officer_a,
        missing=[S.MissingItem("Tờ khai", "Ký")],
        now=at(2025, 1, 24, 10),
    )
    assert _get(pk).state == State.COMPLETION_REQUESTED
    S.complete(pk, by=world.citizen1, now=at(2025, 1, 27, 10))
    S.refuse_reception(
        pk, by=world.desk_officer_a, reasons=["Không thuộc thẩm quyền"], now=at(2025, 2, 3, 10)
    )
    d = _get(pk)
    assert d.state == State.NOT_RECEIVED and d.received_at is None
    assert list(d.forms.values_list("form", flat=True)) == ["02", "03"]
    assert d.forms.get(form="03").snapshot["reasons"] == ["Không thuộc thẩm quyền"]


def test_withdraw_stop_forward(world):
    one, two, three = (submit(world) for _ in range(3))
    S.withdraw(one, by=world.citizen1, reason="Không còn nhu cầu")
    assert _get(one).state == State.WITHDRAWN
    S.receive(two, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.stop(
        two,
        by=world.leader_a,
        reason="Người nộp mất năng lực hành vi",
        legal_basis="Nghị định 118/2025/NĐ-CP",
        now=at(2025, 1, 24, 10),
    )
    d = _get(two)
    assert d.state == State.STOPPED and d.forms.filter(form="05").exists()
    S.receive(three, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(three, by=world.desk_officer_a, now=at(2025, 1, 24, 9, 30))
    S.forward(
        three,
        by=world.specialist_a,
        to_agency=world.b,
        note="Xác minh nơi cư trú",
        now=at(2025, 1, 24, 10),
    )
    d = _get(three)
    assert d.current_agency_id == world.b.pk and d.state == State.IN_PROCESS
    # now B's specialist may hand it on; A's may not any more
    S.hand_over(three, by=world.specialist_b, now=at(2025, 2, 3, 9))


def test_idempotent_submission(world):
    first = submit(world, idempotency_key="k-123")
    again = submit(world, idempotency_key="k-123")
    assert first == again
    assert Dossier.objects.count() == 1
    with pytest.raises(ConflictError):
        submit(world, by=world.citizen2, idempotency_key="k-123")


def test_stale_version_is_a_conflict(world):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, expected_version=1, now=at(2025, 1, 24, 9))
    with pytest.raises(ConflictError):
        S.hand_over(pk, by=world.desk_officer_a, expected_version=1)


def test_bad_applicant_data_names_fields(world):
    bad = S.ApplicantData(name=" ", id_number="123", phone="abc", email="x@")
    with pytest.raises(InvalidInput) as err:
        S.submit(
            by=world.citizen1, procedure=world.procedure, receiving_agency=world.a, applicant=bad
        )
    assert set(err.value.fields) == {
        "applicant.name",
        "applicant.id_number",
        "applicant.phone",
        "applicant.email",
    }
    assert Dossier.objects.count() == 0


def test_audit_events_are_append_only(world):
    pk = submit(world)
    event = AuditEvent.objects.get(dossier_id=pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_paying_an_awaited_obligation_completes_the_step(world):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    S.approve(pk, by=world.leader_a, result_documents=["Trích lục"], now=at(2025, 1, 27, 9))
    S.request_payment(
        pk, by=world.specialist_a, fees=[("Phí thẩm định", 50000)], now=at(2025, 1, 27, 10)
    )
    with pytest.raises(InvalidInput):  # the gateway collected another amount: nothing recorded
        S.pay_fees(pk, by=world.citizen1, channel="online", expected_vnd=50000)
    assert (
        S.pay_fees(
            pk,
            by=world.citizen1,
            channel="online",
            gateway="sandbox",
            expected_vnd=58000,
            now=at(2025, 1, 27, 11),
        )
        == 58000
    )
    d = _get(pk)
    assert d.state == State.DECIDED
    event = AuditEvent.objects.filter(dossier=d).latest("pk")
    assert (event.action, event.actor_role, event.data["paid_vnd"]) == (
        "confirm_payment",
        "applicant",
        58000,
    )


def test_every_event_waits_for_the_national_portal_until_tried(world):
    from motcua.dossiers.models import SyncItem
    from motcua.dossiers.queries import pending_sync

    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    pending = list(pending_sync())
    assert [(e.action, e.national_status) for e in pending] == [("submit", 1), ("receive", 2)]
    SyncItem.objects.create(event=pending[0], attempts=1)  # what the synchroniser will do
    assert [e.action for e in pending_sync()] == ["receive"]
