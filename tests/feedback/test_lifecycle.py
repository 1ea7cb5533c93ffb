"""The lifecycle through the services: permissions, deadlines, audit trail, routing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from motcua.feedback import queries, routing
from motcua.feedback import services as S
from motcua.feedback.models import Category, FeedbackEvent, FeedbackItem, RoutingRule
from motcua.feedback.rules import (
    Conflict,
    IllegalAction,
    InvalidInput,
    NotAllowed,
    State,
    allowed_actions,
    check_location,
    open311_status,
    transition,
)
from tests.feedback.conftest import new_item, to_published
from tests.helpers import at

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_transition_table_is_closed():
    assert transition(None, "submit").target == State.RECEIVED
    assert set(allowed_actions(State.RECEIVED)) == {"refuse", "request_info", "assign"}
    with pytest.raises(IllegalAction):
        transition(State.RECEIVED, "publish")
    assert open311_status(State.IN_PROGRESS) == "open"
    assert open311_status(State.PUBLISHED) == "closed"


def test_location_must_lie_in_the_province():
    bounds = (9.92, 10.33, 105.22, 105.85)
    assert check_location(10.03, 105.78, bounds) == {}
    assert "location" in check_location(21.03, 105.85, bounds)  # Hà Nội
    assert "location" in check_location(10.03, None, bounds)


def test_full_lifecycle_deadlines_and_audit(world):
    # Friday 26/03/2021 09:00: 2 working days → Tuesday 30/03; 15 → Friday 16/04
    item = S.submit(new_item(), now=at(2021, 3, 26))
    assert item.code.startswith("PA-210326-")
    assert item.state == State.RECEIVED and item.centre == world.centre
    assert item.refuse_due.date() == dt.date(2021, 3, 30)
    assert item.request_due.date() == dt.date(2021, 4, 2)
    # 15 working days, skipping Hùng Kings' day (Wednesday 21/04/2021 is a holiday? no: it is
    # the 10th of the 3rd lunar month = 21/04/2021) — the due date is before it
    assert item.handle_due.date() == dt.date(2021, 4, 16)
    to_published(world, item.code, start=at(2021, 3, 26, 10))
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    assert item.agency == world.district  # routed by area (Cái Khế is under Ninh Kiều)
    assert item.handled_on_time is True and item.published_at is not None
    actions = list(item.events.values_list("action", flat=True))
    assert actions == ["submit", "assign", "start", "draft_answer", "approve", "publish"]
    event = item.events.get(action="approve")
    assert event.actor == world.leader_nk and event.actor_role == "leader"
    assert event.data["legal_ref"].startswith("Quyết định 766")


def test_handle_deadline_skips_tet(world):
    # received Friday 05/02/2021; Tết 2021 closes the offices 10/02–16/02
    item = S.submit(new_item(), now=at(2021, 2, 5))
    assert item.handle_due.date() > dt.date(2021, 2, 26)


@pytest.mark.parametrize("op", ["update", "delete"])
def test_events_are_append_only(world, op):
    item = S.submit(new_item())
    event = item.events.get()
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        if op == "update":
            FeedbackEvent.objects.filter(pk=event.pk).update(reason="sửa")
        else:
            FeedbackEvent.objects.filter(pk=event.pk).delete()


def test_permissions(world):
    item = S.submit(new_item())
    with pytest.raises(NotAllowed):
        S.assign(item.code, by=world.specialist_nk)
    S.assign(item.code, by=world.operator)
    with pytest.raises(NotAllowed):  # another agency's specialist
        S.start(item.code, by=world.specialist_gt)
    S.start(item.code, by=world.specialist_nk)
    S.draft_answer(item.code, by=world.specialist_nk, answer="Trả lời.")
    with pytest.raises(NotAllowed):  # specialists draft, leaders approve
        S.approve(item.code, by=world.specialist_nk)
    with pytest.raises(IllegalAction):
        S.publish(item.code, by=world.operator)
    # operator channels need an operator
    with pytest.raises(NotAllowed):
        S.submit(new_item(channel="hotline"), by=world.citizen)
    assert S.submit(new_item(channel="hotline"), by=world.operator).channel == "hotline"


def test_stale_version_is_a_conflict(world):
    item = S.submit(new_item())
    S.assign(item.code, by=world.operator, expected_version=item.version)
    with pytest.raises(Conflict):
        S.start(item.code, by=world.specialist_nk, expected_version=item.version)


def test_intake_validation(world):
    with pytest.raises(InvalidInput) as err:
        S.submit(new_item(latitude=21.03, longitude=105.85, reporter_phone="", description="x"))
    assert {"location", "contact", "description"} <= set(err.value.fields)
    # an unknown dossier code is no error (that would tell who exists): kept as text, unlinked
    unknown = S.submit(new_item(dossier_code="khong-co"))
    assert unknown.dossier is None and unknown.dossier_code == "KHONG-CO"
    with pytest.raises(InvalidInput) as err:
        S.submit(new_item(files=[S.Upload("virus.exe", b"MZ\x90\x00")]))
    assert "files" in err.value.fields
    item = S.submit(new_item(files=[S.Upload("anh.png", PNG)]))
    att = item.attachments.get()
    assert att.content_type == "image/png" and att.size == len(PNG)


def test_refuse_request_info_and_reporter_supplement(world):
    item = S.submit(new_item(), now=at(2021, 3, 1))
    S.request_info(item.code, by=world.operator, request="Xin địa chỉ cụ thể.", now=at(2021, 3, 2))
    with pytest.raises(NotAllowed):
        S.provide_info(item.code, text="Số 12", contact="0999999999")
    S.provide_info(item.code, text="Trước nhà số 12", contact="+84 901 234 567")
    item = S.refuse(
        item.code, by=world.operator, reason="Trùng phản ánh trước.", now=at(2021, 3, 3)
    )
    assert item.state == State.REFUSED and item.handled_on_time is True
    assert "[Bổ sung" in item.description


def test_transfer_restarts_clock_and_reopen(world):
    item = S.submit(new_item(category="traffic"), now=at(2021, 3, 1))
    item = S.assign(item.code, by=world.operator, now=at(2021, 3, 1, 10))
    assert item.agency == world.transport  # category rule has the lower priority number
    first_due = item.handle_due
    with pytest.raises(InvalidInput):
        S.transfer(item.code, by=world.specialist_gt, agency=world.district, reason="")
    item = S.transfer(
        item.code,
        by=world.specialist_gt,
        agency=world.district,
        reason="Đường do quận quản lý.",
        now=at(2021, 3, 5),
    )
    assert item.agency == world.district and item.handle_due > first_due
    S.start(item.code, by=world.specialist_nk)
    S.draft_answer(item.code, by=world.specialist_nk, answer="Đã sửa.")
    S.approve(item.code, by=world.leader_nk)
    S.publish(item.code, by=world.leader_nk)
    S.rate(item.code, value="dislike", contact="0901234567")
    item = S.reopen(item.code, reason="Chưa sửa xong.", contact="0901234567")
    assert item.state == State.IN_PROGRESS and item.reopen_count == 1
    assert item.handled_at is None


def test_rating_only_by_reporter_after_publication(world):
    item = S.submit(new_item())
    with pytest.raises(InvalidInput):
        S.rate(item.code, value="like", contact="0901234567")
    to_published(world, item.code)
    with pytest.raises(NotAllowed):
        S.rate(item.code, value="like", contact="0912000000")
    assert S.rate(item.code, value="like", contact="0901234567").rating == "like"
    assert item.events.filter(action="rate").count() == 1


def test_external_id_is_idempotent(world):
    a = S.submit(new_item(channel="zalo", external_id="msg-1", external_sender="u1"))
    b = S.submit(new_item(channel="zalo", external_id="msg-1", external_sender="u1"))
    assert a.pk == b.pk and FeedbackItem.objects.count() == 1


def test_routing_rules_are_data(world):
    env = Category.objects.get(code="environment")
    assert routing.route(env, world.commune) == world.district
    assert routing.route(env, None) is None
    item = S.submit(new_item(area_code=""))
    with pytest.raises(InvalidInput):
        S.assign(item.code, by=world.operator)  # no rule for environment "anywhere"
    RoutingRule.objects.create(category=env, area=None, agency=world.transport, priority=10)
    assert routing.route(env, world.commune) == world.transport
    assert S.assign(item.code, by=world.operator).agency == world.transport


def test_overdue_and_duplicates(world):
    old = S.submit(new_item(), now=at(2021, 3, 1))
    near = S.submit(new_item(latitude=10.0460, longitude=105.7475, address=""), now=at(2021, 3, 8))
    far = S.submit(new_item(latitude=10.20, longitude=105.50, address="Cờ Đỏ"), now=at(2021, 3, 9))
    hints = list(queries.duplicate_hints(near))
    assert old in hints and far not in hints
    overdue = queries.worklist(world.operator, overdue=True)
    assert {i.code for i in overdue} == {old.code, near.code, far.code}  # all long past due
    fresh = S.submit(new_item())
    assert fresh.code not in {i.code for i in queries.worklist(world.operator, overdue=True)}


def test_scope(world):
    item = S.submit(new_item(), by=world.citizen)
    assert list(queries.visible_items(world.citizen)) == [item]
    assert not queries.visible_items(world.specialist_nk).exists()
    S.assign(item.code, by=world.operator)
    assert queries.visible_items(world.specialist_nk).get() == item
    assert not queries.visible_items(world.specialist_gt).exists()


def test_redaction():
    text = "Liên hệ 0901 234 567 hoặc an.nguyen@example.vn, CCCD 092190001234."
    out = queries.redact(text)
    assert "0901" not in out and "@" not in out and "092190001234" not in out
