"""Every task endpoint once through whole flows over real HTTP, and the 409s."""

from __future__ import annotations

import datetime as dt

from motcua.dossiers.models import AuditEvent, Dossier

from .conftest import Http, assert_problem, submission


class Flow:
    """Posts task verbs with the version last seen, checking each answer."""

    def __init__(self, code: str, version: int = 1):
        self.code, self.version = code, version

    def do(self, client: Http, verb: str, state: str, **body) -> dict:
        resp = client.post(
            f"/dossiers/{self.code}/{verb}", {"expected_version": self.version, **body}
        )
        assert resp.status == 200, (verb, resp.raw)
        out = resp.json
        assert out["state"] == state, (verb, out["state"])
        assert out["version"] == self.version + 1
        self.version = out["version"]
        return out


def test_full_flow_through_the_task_endpoints(world, session_client, token_client):
    citizen = session_client(world.citizen1)
    officer, _ = token_client(world.a)
    code = citizen.post("/dossiers", submission(world)).json["code"]
    flow = Flow(code)
    flow.do(
        officer, "request-completion", "completion_requested", missing=[{"name": "Bản sao CCCD"}]
    )
    flow.do(citizen, "complete", "registered", documents=[{"name": "Bản sao CCCD"}])
    received = flow.do(officer, "receive", "received")
    assert received["due_at"] and received["deadline_status"] in ("on_time", "due_soon")
    flow.do(officer, "hand-over", "in_process", note="Chuyển chuyên viên")
    flow.do(
        officer, "request-supplement", "supplement_requested", missing=[{"name": "Giấy khai sinh"}]
    )
    flow.do(citizen, "supplement", "in_process", documents=[{"name": "Giấy khai sinh"}])
    due = dt.datetime.fromisoformat(Dossier.objects.get(code=code).effective_due_at.isoformat())
    flow.do(
        officer,
        "apologise",
        "in_process",
        reason="Cần xác minh thêm",
        new_due_at=(due + dt.timedelta(days=10)).isoformat(),
    )
    forwarded = flow.do(officer, "forward", "in_process", to_agency=world.b.code, note="Xác minh")
    assert forwarded["current_agency"] == world.b.code
    flow.do(officer, "approve", "decided", result_documents=["Trích lục khai sinh"])
    flow.do(
        officer,
        "request-payment",
        "awaiting_payment",
        fees=[{"name": "Phí bản sao", "amount_vnd": 8000}],
    )
    flow.do(officer, "confirm-payment", "decided", channel="online", gateway="sandbox")
    returned = flow.do(officer, "return", "returned", delivery="desk")
    assert returned["returned_at"] and returned["next_actions"] == []
    actions = list(AuditEvent.objects.filter(dossier__code=code).values_list("action", flat=True))
    assert actions[0] == "submit" and actions[-1] == "return_result"
    timeline = officer.get(f"/dossiers/{code}/timeline").json
    assert [e["action"] for e in timeline] == actions
    assert timeline[3]["form"]["form"] == "01" and timeline[3]["actor"]


def test_the_other_endings_refuse_stop_withdraw(world, session_client, token_client):
    citizen = session_client(world.citizen1)
    officer, _ = token_client(world.a)
    codes = [citizen.post("/dossiers", submission(world)).json["code"] for _ in range(4)]
    Flow(codes[0]).do(
        officer, "refuse-reception", "not_received", reasons=["Không thuộc thẩm quyền"]
    )
    second = Flow(codes[1])
    second.do(officer, "receive", "received")
    second.do(officer, "hand-over", "in_process")
    second.do(officer, "refuse", "decided", reasons=["Không đủ điều kiện"])
    third = Flow(codes[2])
    third.do(officer, "receive", "received")
    third.do(officer, "stop", "stopped", reason="Người nộp đã chết", legal_basis="Điều 18")
    Flow(codes[3]).do(citizen, "withdraw", "withdrawn", reason="Nộp nhầm")


def test_illegal_transition_and_stale_version_are_409(world, session_client, token_client):
    officer, _ = token_client(world.a)
    code = session_client(world.citizen1).post("/dossiers", submission(world)).json["code"]
    body = assert_problem(
        officer.post(
            f"/dossiers/{code}/approve", {"expected_version": 1, "result_documents": ["x"]}
        ),
        409,
        "illegal_transition",
    )
    assert "approve" in body["detail"] and "registered" in body["detail"]
    assert officer.post(f"/dossiers/{code}/receive", {"expected_version": 1}).status == 200
    stale = officer.post(f"/dossiers/{code}/hand-over", {"expected_version": 1})
    assert_problem(stale, 409, "conflict")
    assert Dossier.objects.get(code=code).version == 2


def test_task_validation_names_fields_and_service_rules_apply(world, session_client, token_client):
    officer, _ = token_client(world.a)
    citizen = session_client(world.citizen1)
    code = citizen.post("/dossiers", submission(world)).json["code"]
    body = assert_problem(officer.post(f"/dossiers/{code}/receive", {}), 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == ["expected_version"]
    body = assert_problem(
        officer.post(
            f"/dossiers/{code}/refuse-reception", {"expected_version": 1, "reasons": [" "]}
        ),
        422,
        "invalid",
    )
    assert body["errors"] == [{"field": "reasons", "message": "required"}]
    # the citizen cannot act as an officer: the service's permission check answers 403
    resp = citizen.post(f"/dossiers/{code}/receive", {"expected_version": 1})
    assert_problem(resp, 403, "forbidden")


def test_receive_with_a_missing_mandatory_document_needs_an_override(
    world, session_client, token_client
):
    from motcua.catalog.models import RequiredDocument

    RequiredDocument.objects.create(
        procedure=world.procedure, order=9, name="Giấy chứng sinh", originals=1
    )
    code = session_client(world.citizen1).post("/dossiers", submission(world)).json["code"]
    officer, _ = token_client(world.a)
    refused = officer.post(f"/dossiers/{code}/receive", {"expected_version": 1})
    body = assert_problem(refused, 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["documents"]
    assert Dossier.objects.get(code=code).state == "registered"
    done = officer.post(
        f"/dossiers/{code}/receive",
        {"expected_version": 1, "override_reason": "Giấy chứng sinh bổ sung sau (đã cam kết)"},
    )
    assert done.status == 200, done.raw
    event = AuditEvent.objects.get(dossier__code=code, action="receive")
    assert event.reason == "Giấy chứng sinh bổ sung sau (đã cam kết)"
