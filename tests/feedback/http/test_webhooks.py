"""Zalo OA and Messenger webhooks over real HTTP, signed as each platform signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse

import pytest

from motcua.feedback.models import FeedbackItem
from tests.feedback.conftest import FIXTURES, http

ZALO_SECRET = "zalo-oa-secret-for-tests"
FB_SECRET = "facebook-app-secret-for-tests"
FB_VERIFY = "verify-me-1022"


@pytest.fixture
def secrets(settings):
    settings.MOTCUA_ZALO_OA_SECRET = ZALO_SECRET
    settings.MOTCUA_ZALO_APP_ID = "360846524940903967"
    settings.MOTCUA_FACEBOOK_APP_SECRET = FB_SECRET
    settings.MOTCUA_FACEBOOK_VERIFY_TOKEN = FB_VERIFY


def zalo_event(timestamp_ms: int | None = None) -> bytes:
    """The recorded Zalo event, sent now (Zalo signs its timestamp; stale ones are refused)."""
    raw = (FIXTURES / "zalo_user_send_text.json").read_bytes()
    stamp = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    return raw.replace(b'"timestamp": "1616727600000"', f'"timestamp": "{stamp}"'.encode())


def zalo_post(live_server, raw: bytes, signature: str | None = None):
    payload = json.loads(raw)
    if signature is None:
        mac = hashlib.sha256(
            payload["app_id"].encode() + raw + payload["timestamp"].encode() + ZALO_SECRET.encode()
        ).hexdigest()
        signature = f"mac={mac}"
    return http(
        "POST",
        f"{live_server.url}/feedback/webhooks/zalo/",
        data=raw,
        headers={"Content-Type": "application/json", "X-ZEvent-Signature": signature},
    )


def fb_post(live_server, raw: bytes, signature: str | None = None):
    if signature is None:
        signature = "sha256=" + hmac.new(FB_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return http(
        "POST",
        f"{live_server.url}/feedback/webhooks/facebook/",
        data=raw,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )


def test_zalo_message_becomes_an_item(world, secrets, live_server):
    raw = zalo_event()
    reply = zalo_post(live_server, raw)
    assert reply.status == 200, reply.body
    (code,) = reply.json()["created"]
    item = FeedbackItem.objects.get(code=code)
    assert item.channel == "zalo" and item.external_sender == "246845883529197922"
    assert item.is_public is False and "Trần Hưng Đạo" in item.description
    # Zalo retries deliveries: the same msg_id gives the same item
    assert zalo_post(live_server, raw).json()["created"] == [code]
    assert FeedbackItem.objects.count() == 1


def test_zalo_rejects_bad_or_missing_signature(world, secrets, live_server):
    raw = zalo_event()
    assert zalo_post(live_server, raw, "mac=" + "0" * 64).status == 401
    assert zalo_post(live_server, raw, "").status == 401
    tampered = raw.replace("3 đêm".encode(), "4 đêm".encode())
    good_sig_for_original = zalo_post  # signature computed over the original body:
    stamp = json.loads(raw)["timestamp"].encode()
    mac = hashlib.sha256(b"360846524940903967" + raw + stamp + ZALO_SECRET.encode()).hexdigest()
    assert good_sig_for_original(live_server, tampered, f"mac={mac}").status == 401
    assert not FeedbackItem.objects.exists()


def test_zalo_refuses_a_replayed_or_stale_event(world, secrets, live_server):
    """A correctly signed event whose signed timestamp is 10 minutes old (or ahead) is a
    replay: refused, nothing created; the same event sent now is taken in."""
    now_ms = int(time.time() * 1000)
    for stamp in (now_ms - 10 * 60_000, now_ms + 10 * 60_000, 1616727600000):
        reply = zalo_post(live_server, zalo_event(stamp))
        assert reply.status == 401 and reply.json() == {"error": "stale timestamp"}
    assert not FeedbackItem.objects.exists()
    assert zalo_post(live_server, zalo_event(now_ms - 30_000)).status == 200
    assert FeedbackItem.objects.count() == 1


def test_zalo_not_configured(world, live_server, settings):
    settings.MOTCUA_ZALO_OA_SECRET = ""
    raw = (FIXTURES / "zalo_user_send_text.json").read_bytes()
    assert zalo_post(live_server, raw, "mac=x").status == 503


def test_facebook_subscription_challenge(world, secrets, live_server):
    query = urllib.parse.urlencode(
        {"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "1158201444"}
    )
    reply = http("GET", f"{live_server.url}/feedback/webhooks/facebook/?{query}")
    assert reply.status == 200 and reply.body == b"1158201444"
    query = urllib.parse.urlencode(
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}
    )
    assert http("GET", f"{live_server.url}/feedback/webhooks/facebook/?{query}").status == 403


def test_facebook_message_becomes_an_item(world, secrets, live_server):
    raw = (FIXTURES / "facebook_messenger_message.json").read_bytes()
    reply = fb_post(live_server, raw)
    assert reply.status == 200, reply.body
    (code,) = reply.json()["created"]  # the page's own echo is ignored
    item = FeedbackItem.objects.get(code=code)
    assert item.channel == "facebook" and "Mậu Thân" in item.description
    assert fb_post(live_server, raw, "sha256=" + "f" * 64).status == 401
    assert fb_post(live_server, raw, "sha1=abc").status == 401
