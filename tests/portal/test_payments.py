"""Fees paid online through the sandbox gateway: signed redirect, verified idempotent callback."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.core.formats import vnd
from motcua.dossiers.models import FeeCharge
from motcua.payments.models import Payment
from motcua.payments.providers import HASH_PARAM, SandboxProvider, canonical, sign
from tests.portal.conftest import dossier_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sandbox(settings):
    """The demo's choice (``make run`` sets PAYMENT_PROVIDER=sandbox); DEBUG is off here."""
    settings.MOTCUA_PAYMENT_PROVIDER = "sandbox"


def start(client, world):
    d = dossier_for(world)
    client.force_login(world.citizen1)
    response = client.post(f"/payments/start/{d.code}/")
    assert response.status_code == 302
    return d, response["Location"]


def pay(client, gateway_url: str, decision: str = "pay"):
    params = dict(parse_qsl(urlsplit(gateway_url).query))
    page = client.get(gateway_url)
    assert page.status_code == 200 and "8.000 đ" in page.content.decode()
    response = client.post("/payments/sandbox/", {**params, "decision": decision})
    assert response.status_code == 302
    return response["Location"]


def test_vnd_is_formatted_the_vietnamese_way():
    assert vnd(1250000) == "1.250.000 đ"
    assert vnd(0) == "0 đ"


def test_canonical_string_sorts_and_encodes_and_skips_the_hash():
    params = {"vnp_b": "x y", "vnp_a": "1", HASH_PARAM: "zz"}
    assert canonical(params) == "vnp_a=1&vnp_b=x+y"


def test_payment_flow_marks_fees_paid_online(client, world):
    d, gateway = start(client, world)
    assert gateway.startswith("/payments/sandbox/?") and HASH_PARAM in gateway
    back = pay(client, gateway)
    page = client.get(back)
    assert page.status_code == 200 and 'id="payment-ok"' in page.content.decode()
    fee = FeeCharge.objects.get(dossier=d)
    assert fee.paid_vnd == 8000 and fee.payment_channel == "online" and fee.gateway == "sandbox"
    payment = Payment.objects.get()
    assert payment.status == "paid" and fee.transaction_ref == payment.ref
    assert "đã nộp" in client.get(f"/ho-so/{d.code}/").content.decode()


def test_replayed_callback_is_idempotent(client, world):
    d, gateway = start(client, world)
    back = pay(client, gateway)
    first = FeeCharge.objects.get(dossier=d).paid_at
    for _ in range(2):
        assert client.get(back).status_code == 200
    ipn = client.get(back.replace("/payments/return/", "/payments/ipn/")).json()
    assert ipn["RspCode"] == "02"
    assert FeeCharge.objects.get(dossier=d).paid_at == first
    assert Payment.objects.filter(status="paid").count() == 1


def test_bad_signature_is_refused_and_changes_nothing(client, world):
    d, gateway = start(client, world)
    params = dict(parse_qsl(urlsplit(gateway).query))
    provider = SandboxProvider()
    answer = provider.gateway_answer(params, pay=True, txn="123")
    forged = {**answer, "vnp_Amount": "100"}  # tampered after signing
    response = client.get("/payments/return/", forged)
    assert response.status_code == 400 and 'id="payment-error"' in response.content.decode()
    wrong_key = {**answer, HASH_PARAM: sign(answer, "not-the-secret")}
    assert client.get("/payments/ipn/", wrong_key).json()["RspCode"] == "97"
    assert client.get("/payments/sandbox/", {**params, HASH_PARAM: "00"}).status_code == 400
    assert FeeCharge.objects.get(dossier=d).paid_at is None
    assert Payment.objects.get().status == "pending"
    # the genuine answer still works afterwards
    assert client.get("/payments/ipn/", answer).json()["RspCode"] == "00"
    assert FeeCharge.objects.get(dossier=d).paid_at is not None


def test_cancelled_payment_leaves_fees_unpaid(client, world):
    d, gateway = start(client, world)
    back = pay(client, gateway, decision="cancel")
    assert 'id="payment-failed"' in client.get(back).content.decode()
    assert Payment.objects.get().status == "failed"
    assert FeeCharge.objects.get(dossier=d).paid_at is None


def test_unknown_payment_reference_is_refused(client, world):
    provider = SandboxProvider()
    answer = provider.gateway_answer(
        {"vnp_TxnRef": "NOPE", "vnp_Amount": "800000"}, pay=True, txn="1"
    )
    assert client.get("/payments/ipn/", answer).json()["RspCode"] == "01"


def test_nothing_to_pay_and_get_not_allowed(client, world):
    d, gateway = start(client, world)
    pay(client, gateway)
    response = client.post(f"/payments/start/{d.code}/", follow=True)
    assert "không còn khoản phí" in response.content.decode()
    assert client.get(f"/payments/start/{d.code}/").status_code == 405
