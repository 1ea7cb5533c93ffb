"""Every channel's intake over real HTTP (or the real web forms), and each item reaches a
published answer through the officer pages; the mobile-app API end to end."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from motcua.feedback.models import FeedbackItem
from tests.feedback.conftest import FIXTURES, http

FORM = {
    "category": "environment",
    "title": "Rác thải tồn đọng",
    "description": "Rác tồn đọng nhiều ngày trước nhà số 12 đường Hòa Bình, bốc mùi hôi.",
    "address": "12 Hòa Bình, Cái Khế",
    "reporter_name": "Nguyễn Văn An",
    "reporter_phone": "0901234567",
    "is_public": "on",
}


def api(live_server, method, path, body=None, contact=""):
    headers = {"Content-Type": "application/json"}
    if contact:
        headers["X-Reporter-Contact"] = contact
    data = json.dumps(body).encode() if body is not None else None
    return http(method, f"{live_server.url}/api/v1/feedback{path}", data=data, headers=headers)


def intake(channel, world, client, live_server, settings) -> str:
    if channel == "portal":
        reply = client.post("/feedback/new/", FORM)
        assert reply.status_code == 302, reply.content.decode()
        return reply["Location"].split("code=")[1]
    if channel in ("hotline", "walk_in", "email"):
        client.force_login(world.operator)
        reply = client.post("/feedback/desk/new/", {**FORM, "channel": channel})
        assert reply.status_code == 302, reply.content.decode()
        client.logout()
        return reply["Location"].rstrip("/").split("/")[-1]
    if channel == "mobile_app":
        body = {k: v for k, v in FORM.items() if k != "is_public"}
        reply = api(live_server, "POST", "/items", {**body, "latitude": 10.04, "longitude": 105.75})
        assert reply.status == 201, reply.body
        return reply.json()["code"]
    if channel == "zalo":
        settings.MOTCUA_ZALO_OA_SECRET = "s"
        from tests.feedback.http.test_webhooks import zalo_event

        raw = zalo_event()
        stamp = json.loads(raw)["timestamp"].encode()
        mac = hashlib.sha256(b"360846524940903967" + raw + stamp + b"s").hexdigest()
        reply = http(
            "POST",
            f"{live_server.url}/feedback/webhooks/zalo/",
            data=raw,
            headers={"X-ZEvent-Signature": f"mac={mac}"},
        )
        return reply.json()["created"][0]
    settings.MOTCUA_FACEBOOK_APP_SECRET = "s"
    raw = (FIXTURES / "facebook_messenger_message.json").read_bytes()
    sig = "sha256=" + hmac.new(b"s", raw, hashlib.sha256).hexdigest()
    reply = http(
        "POST",
        f"{live_server.url}/feedback/webhooks/facebook/",
        data=raw,
        headers={"X-Hub-Signature-256": sig},
    )
    return reply.json()["created"][0]


def act(client, user, code, action, **fields):
    client.force_login(user)
    version = FeedbackItem.objects.get(code=code).version
    reply = client.post(
        f"/feedback/desk/{code}/act/", {"action": action, "version": version, **fields}
    )
    assert reply.status_code == 302
    client.logout()
    return FeedbackItem.objects.get(code=code)


@pytest.mark.parametrize(
    "channel", ["hotline", "portal", "mobile_app", "zalo", "facebook", "email", "walk_in"]
)
def test_each_channel_reaches_a_published_answer(channel, world, client, live_server, settings):
    code = intake(channel, world, client, live_server, settings)
    item = FeedbackItem.objects.get(code=code)
    assert item.channel == channel and item.state == "received"
    item = act(client, world.operator, code, "assign", agency=world.district.code)
    assert item.state == "assigned"
    act(client, world.specialist_nk, code, "start")
    act(client, world.specialist_nk, code, "draft_answer", answer="Đã thu gom, xử lý xong.")
    act(client, world.leader_nk, code, "approve")
    item = act(client, world.operator, code, "publish")
    assert item.state == "published" and item.handled_on_time is True
    assert list(item.events.values_list("action", flat=True)) == [
        "submit", "assign", "start", "draft_answer", "approve", "publish"
    ]  # fmt: skip
    listed = client.get("/feedback/answers/", {"q": "thu gom"}).content.decode()
    assert (code in listed) == item.is_public
    assert "0901234567" not in listed and "Nguyễn Văn An" not in listed


def test_mobile_api_follow_rate_reopen(world, live_server):
    assert {c["code"] for c in api(live_server, "GET", "/categories").json()} >= {"traffic"}
    bad = api(live_server, "POST", "/items", {"category": "traffic", "description": "ngắn"})
    assert bad.status == 422
    problem = bad.json()
    assert problem["code"] == "invalid" and {"description", "contact"} <= {
        e["field"] for e in problem["errors"]
    }
    assert bad.headers["Content-Type"] == "application/problem+json"
    # publication is opt-in on the API too: this reporter consents
    body = {
        **{k: v for k, v in FORM.items() if k != "is_public"},
        "category": "traffic",
        "is_public": True,
    }
    code = api(live_server, "POST", "/items", body).json()["code"]
    public = api(live_server, "GET", f"/items/{code}").json()
    assert public["state"] == "received" and public["answer"] == ""
    assert "reporter_phone" not in public
    assert api(live_server, "GET", "/items/PA-000000-0000").status == 404
    rating = api(live_server, "POST", f"/items/{code}/rating", {"value": "like"}, "0901234567")
    assert rating.status == 422  # not published yet
    from tests.feedback.conftest import to_published

    to_published(world, code)
    assert api(live_server, "POST", f"/items/{code}/rating", {"value": "like"}).status == 403
    liked = api(live_server, "POST", f"/items/{code}/rating", {"value": "like"}, "0901234567")
    assert liked.status == 200 and liked.json()["rating"] == "like"
    answers = api(live_server, "GET", "/answers?q=chi%20dao").json()
    assert [a["code"] for a in answers] == [code]
    reopened = api(
        live_server, "POST", f"/items/{code}/reopen", {"reason": "Chưa xử lý"}, "0901234567"
    )
    assert reopened.status == 200 and reopened.json()["state"] == "in_progress"
    assert (
        api(live_server, "POST", f"/items/{code}/reopen", {"reason": "x"}, "0901234567").status
        == 409
    )
