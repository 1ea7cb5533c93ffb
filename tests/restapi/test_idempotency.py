"""``Idempotency-Key`` over real HTTP: a retried call gets its original answer, keys belong to
their caller, and nothing about another caller's dossier leaks through a reused key."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from motcua.dossiers.models import AuditEvent, Dossier
from motcua.restapi.models import IdempotentRequest

from .conftest import assert_problem, submission


def _submitted(world, session_client) -> str:
    resp = session_client(world.citizen1).post("/dossiers", submission(world))
    assert resp.status == 201, resp.raw
    return resp.json["code"]


def test_a_retried_action_gets_its_original_answer(world, session_client, token_client):
    code = _submitted(world, session_client)
    officer, _ = token_client(world.a)
    key = {"Idempotency-Key": "receive-0001"}
    first = officer.post(f"/dossiers/{code}/receive", {"expected_version": 1}, headers=key)
    assert first.status == 200, first.raw
    assert "idempotent-replayed" not in first.headers
    # the client lost that answer and retries: the same answer, the action done once
    again = officer.post(f"/dossiers/{code}/receive", {"expected_version": 1}, headers=key)
    assert again.status == 200, again.raw
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json == first.json
    assert Dossier.objects.get(code=code).version == 2
    assert AuditEvent.objects.filter(dossier__code=code, action="receive").count() == 1
    # without the key the same retry cannot be told from a competitor's change
    blind = officer.post(f"/dossiers/{code}/receive", {"expected_version": 1})
    assert_problem(blind, 409, "conflict")


def test_submission_is_replayed_with_its_201(world, session_client):
    citizen = session_client(world.citizen1)
    key = {"Idempotency-Key": "portal-7f3a"}
    first = citizen.post("/dossiers", submission(world), headers=key)
    again = citizen.post("/dossiers", submission(world), headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.json == first.json and again.headers["idempotent-replayed"] == "true"
    assert Dossier.objects.count() == 1


def test_the_same_key_for_another_request_is_refused(world, session_client, token_client):
    code = _submitted(world, session_client)
    officer, _ = token_client(world.a)
    key = {"Idempotency-Key": "k-1"}
    assert officer.post(f"/dossiers/{code}/receive", {"expected_version": 1}, headers=key).status
    other = officer.post(
        f"/dossiers/{code}/hand-over", {"expected_version": 2, "note": "x"}, headers=key
    )
    assert_problem(other, 422, "idempotency_key_reused")
    assert Dossier.objects.get(code=code).state == "received"


def test_a_refused_call_is_not_remembered(world, session_client, token_client):
    code = _submitted(world, session_client)
    officer, _ = token_client(world.a)
    key = {"Idempotency-Key": "k-2"}
    stale = officer.post(f"/dossiers/{code}/receive", {"expected_version": 7}, headers=key)
    assert_problem(stale, 409, "conflict")
    assert not IdempotentRequest.objects.exists()
    # corrected and retried with the same key: it runs
    fixed = officer.post(f"/dossiers/{code}/receive", {"expected_version": 1}, headers=key)
    assert fixed.status == 200, fixed.raw


def test_another_agencys_key_discloses_nothing(world, token_client):
    """A caller of agency A reusing agency B's key must not get B's dossier."""
    officer_a, _ = token_client(world.a)
    officer_b, _ = token_client(world.b)
    key = {"Idempotency-Key": "desk-2026-000123"}
    body_b = submission(world, receiving_agency=world.b.code, channel="desk")
    made = officer_b.post("/dossiers", body_b, headers=key)
    assert made.status == 201, made.raw
    body_a = submission(world, channel="desk")
    stolen = officer_a.post("/dossiers", body_a, headers=key)
    body = assert_problem(stolen, 409, "conflict")
    assert made.json["code"] not in stolen.raw.decode()
    assert "Nhung" not in stolen.raw.decode() and world.procedure.code not in stolen.raw.decode()
    assert Dossier.objects.count() == 1
    assert body["errors"] == []


def test_another_citizen_reusing_a_key_gets_a_conflict(world, session_client):
    key = {"Idempotency-Key": "portal-7f3a"}
    assert session_client(world.citizen1).post("/dossiers", submission(world), headers=key).status
    other = session_client(world.citizen2).post("/dossiers", submission(world), headers=key)
    assert_problem(other, 409, "conflict")


@pytest.mark.postgres_only  # the SQLite live server shares one connection between threads
def test_concurrent_retries_run_the_action_once(world, session_client, token_client):
    code = _submitted(world, session_client)
    officer, _ = token_client(world.a)
    key = {"Idempotency-Key": "twice-at-once"}

    def call(_: int):
        return officer.post(f"/dossiers/{code}/receive", {"expected_version": 1}, headers=key)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(call, range(4)))
    # the key's row makes each concurrent twin wait for the first, then replay its answer
    assert [a.status for a in answers] == [200] * 4, [a.raw[:200] for a in answers]
    assert len({a.raw for a in answers}) == 1
    assert AuditEvent.objects.filter(dossier__code=code, action="receive").count() == 1


def test_an_expired_key_starts_afresh(world, session_client, token_client, settings):
    code = _submitted(world, session_client)
    officer, _ = token_client(world.a)
    key = {"Idempotency-Key": "old"}
    assert officer.post(f"/dossiers/{code}/receive", {"expected_version": 1}, headers=key).status
    IdempotentRequest.objects.update(
        created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # far beyond any retention
    )
    late = officer.post(f"/dossiers/{code}/receive", {"expected_version": 1}, headers=key)
    assert_problem(late, 409, "conflict")


def test_a_malformed_key_is_a_problem(world, session_client):
    citizen = session_client(world.citizen1)
    resp = citizen.post("/dossiers", submission(world), headers={"Idempotency-Key": "x" * 81})
    assert_problem(resp, 400, "invalid_idempotency_key")
    assert not Dossier.objects.exists()


@pytest.mark.postgres_only
def test_a_submission_behind_a_stuck_lock_is_a_503_to_retry(world, session_client):
    """A client that died holding the day's code counters must not hang the next citizen:
    the wait ends at the lock timeout with a "try again" that loses nothing."""
    from tests.core.test_lock_timeouts import _raw_connection

    citizen = session_client(world.citizen1)
    stuck = _raw_connection()
    stuck.execute("LOCK TABLE dossiers_counter IN EXCLUSIVE MODE")
    try:
        busy = citizen.post("/dossiers", submission(world), headers={"Idempotency-Key": "b-1"})
    finally:
        stuck.rollback()
        stuck.close()
    assert_problem(busy, 503, "busy")
    assert busy.headers["retry-after"] == "2"
    assert not Dossier.objects.exists()
    again = citizen.post("/dossiers", submission(world), headers={"Idempotency-Key": "b-1"})
    assert again.status == 201, again.raw


CLIENT = """
import http.client, json, sys, time
host, port, token, code = sys.argv[1:]
conn = http.client.HTTPConnection(host, int(port), timeout=60)
body = json.dumps({"expected_version": 1})
conn.request("POST", f"/api/v1/dossiers/{code}/receive", body=body, headers={
    "Authorization": f"Bearer {token}", "Content-Type": "application/json",
    "Idempotency-Key": "lost-answer-1"})
print("sent", flush=True)
time.sleep(300)  # killed before it reads the answer
"""


@pytest.mark.postgres_only  # the SQLite live server shares one connection between threads
def test_a_client_killed_before_reading_its_answer_gets_it_on_retry(
    world, session_client, token_client, live_server
):
    """The worst case of a lost answer: the client process dies (kill -9) after sending its
    action. Its retry with the same key gets the original answer, and the action is done once."""
    import signal
    import subprocess
    import sys
    import time
    from urllib.parse import urlsplit

    code = _submitted(world, session_client)
    officer, _ = token_client(world.a)
    url = urlsplit(live_server.url)
    child = subprocess.Popen(
        [sys.executable, "-c", CLIENT, url.hostname, str(url.port), officer.token, code],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "sent"
        deadline = time.monotonic() + 30
        while Dossier.objects.get(code=code).state != "received":
            assert time.monotonic() < deadline, "the server never carried out the action"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    deadline = time.monotonic() + 30
    while True:  # as a client would: "in progress" means ask again in a moment
        retry = officer.post(
            f"/dossiers/{code}/receive",
            {"expected_version": 1},
            headers={"Idempotency-Key": "lost-answer-1"},
        )
        if retry.status != 409 or time.monotonic() > deadline:
            break
        assert_problem(retry, 409, "request_in_progress")
        time.sleep(0.1)
    assert retry.status == 200, retry.raw
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json["state"] == "received" and retry.json["version"] == 2
    assert AuditEvent.objects.filter(dossier__code=code, action="receive").count() == 1
