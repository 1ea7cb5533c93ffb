"""Issue 9 §3, money: one open payment per fee, late duplicates refunded, signatures that cannot
be replayed across directions, no sandbox by default, bounded and correctable fee requests."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import IntegrityError, transaction

from motcua.config import ENV_VARS
from motcua.dossiers import services as S
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier, FeeCharge
from motcua.payments import fees as F
from motcua.payments.models import Payment, PaymentFee, Refund
from motcua.payments.providers import SandboxProvider
from motcua.payments.rules import ScheduleLine, amount_errors, ceiling_for
from tests.helpers import at
from tests.portal.conftest import dossier_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandbox(settings):
    settings.MOTCUA_PAYMENT_PROVIDER = "sandbox"  # the demo's explicit choice


def start(client, d: Dossier) -> str:
    response = client.post(f"/payments/start/{d.code}/")
    assert response.status_code == 302, response
    return response["Location"]


def gateway_pays(client, gateway_url: str) -> str:
    """The citizen presses "Thanh toán" on the sandbox gateway; returns the return URL."""
    params = dict(parse_qsl(urlsplit(gateway_url).query))
    response = client.post("/payments/sandbox/", {**params, "decision": "pay"})
    assert response.status_code == 302
    return response["Location"]


# -- 1. paid twice ------------------------------------------------------------------------


def test_two_starts_give_one_open_payment_and_the_second_charge_is_refunded(client, world, sandbox):
    """The reported attack: two payment starts, both completed at the gateway. Before: two
    pending payments, both completed (8.000 đ charged twice, the second marked AMT)."""
    d = dossier_for(world)
    client.force_login(world.citizen1)
    first, second = start(client, d), start(client, d)
    assert Payment.objects.count() == 1  # the second start returned the open attempt
    ref = Payment.objects.get().ref
    assert f"vnp_TxnRef={ref}" in first and f"vnp_TxnRef={ref}" in second

    back = gateway_pays(client, first)
    assert 'id="payment-ok"' in client.get(back).content.decode()
    late = gateway_pays(client, second)  # the gateway collected a second time
    page = client.get(late)
    assert 'id="payment-refund"' in page.content.decode()

    fee = FeeCharge.objects.get(dossier=d)
    assert fee.paid_vnd == 8000  # paid once
    assert Payment.objects.get().status == "paid"
    refund = Refund.objects.get()
    assert refund.amount_vnd == 8000 and refund.payment.ref == ref
    assert AuditEvent.objects.filter(dossier=d, action="payment_refund_due").count() == 1
    # a replay of the refused confirmation records nothing more
    assert client.get(late.replace("/payments/return/", "/payments/ipn/")).json()["RspCode"] == (
        "02"
    )
    assert Refund.objects.count() == 1
    # the officers see it on the desk
    client.force_login(world.desk_officer_a)
    desk = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert 'id="refunds-due"' in desk and ref in desk


def test_the_database_refuses_a_second_open_payment_for_a_fee(world, sandbox):
    d = dossier_for(world)
    fee = FeeCharge.objects.get(dossier=d)
    p1 = Payment.objects.create(ref="R1", dossier=d, user=world.citizen1, provider="sandbox",
                                amount_vnd=8000)  # fmt: skip
    p2 = Payment.objects.create(ref="R2", dossier=d, user=world.citizen1, provider="sandbox",
                                amount_vnd=8000)  # fmt: skip
    PaymentFee.objects.create(payment=p1, fee=fee)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFee.objects.create(payment=p2, fee=fee)
    PaymentFee.objects.filter(payment=p1).update(open=False)  # a closed attempt frees the fee
    PaymentFee.objects.create(payment=p2, fee=fee)


def test_fees_paid_at_the_counter_meanwhile_make_the_online_success_a_refund(
    client, world, sandbox
):
    d = dossier_for(world)
    client.force_login(world.citizen1)
    gateway = start(client, d)
    S.pay_fees(d.pk, by=world.desk_officer_a, channel="cash")  # paid in cash at the desk
    ipn = client.get(gateway_pays(client, gateway).replace("/payments/return/", "/payments/ipn/"))
    assert ipn.json()["RspCode"] == "02"
    fee = FeeCharge.objects.get(dossier=d)
    assert fee.payment_channel == "cash" and fee.paid_vnd == 8000
    assert Refund.objects.get().payment.status == "cancelled"


# -- 3. signatures and the provider ----------------------------------------------------------


def test_the_merchant_redirect_replayed_against_the_ipn_is_refused(client, world, sandbox):
    """Before: the outgoing signed redirect passed for the gateway's answer (same key)."""
    d = dossier_for(world)
    client.force_login(world.citizen1)
    params = dict(parse_qsl(urlsplit(start(client, d)).query))
    client.logout()
    assert client.get("/payments/ipn/", params).json()["RspCode"] == "97"
    assert client.get("/payments/return/", params).status_code == 400
    assert Payment.objects.get().status == "pending"
    provider = SandboxProvider()
    assert provider.request_key != provider.answer_key


def test_with_debug_off_and_no_provider_online_payment_is_refused(client, world, settings):
    settings.DEBUG = False
    settings.MOTCUA_PAYMENT_PROVIDER = ""
    assert next(v for v in ENV_VARS if v.name == "PAYMENT_PROVIDER").default == ""
    d = dossier_for(world)
    client.force_login(world.citizen1)
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert 'id="pay-online"' not in page and 'id="pay-at-desk"' in page
    response = client.post(f"/payments/start/{d.code}/", follow=True)
    assert "chưa được cấu hình" in response.content.decode()
    assert not Payment.objects.exists()
    assert client.get("/payments/sandbox/").status_code == 404
    answer = SandboxProvider().gateway_answer(
        {"vnp_TxnRef": "X", "vnp_Amount": "800000"}, pay=True, txn="1"
    )
    assert client.get("/payments/ipn/", answer).json()["RspCode"] == "97"


def test_debug_without_a_provider_uses_the_sandbox(settings):
    from motcua.payments.providers import configured_name

    settings.MOTCUA_PAYMENT_PROVIDER = ""
    settings.DEBUG = True
    assert configured_name() == "sandbox"
    settings.DEBUG = False
    assert configured_name() == ""


def test_the_demo_command_sets_the_sandbox_explicitly():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "run: export PAYMENT_PROVIDER ?= sandbox" in makefile


# -- 2. bounds, and the desk's correction -----------------------------------------------------


def test_fee_ceiling_rules():
    schedule = [ScheduleLine("Lệ phí", 8000), ScheduleLine("Phí khác", None, True)]
    assert ceiling_for("lệ  phí", schedule, 10**6) == 8000  # same name, normalised
    assert ceiling_for("Phí khác", schedule, 10**6) == 10**6  # amount not known
    assert ceiling_for("Phí thẩm định", schedule, 10**6) == 10**6
    assert amount_errors([("Lệ phí", 8000), ("Phí thẩm định", 10**6)], schedule, 10**6) == []
    assert len(amount_errors([("Lệ phí", 8001), ("X", 10**6 + 1)], schedule, 10**6)) == 2


def _awaiting(world) -> int:
    d = dossier_for(world)
    S.receive(d.pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(d.pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    S.approve(d.pk, by=world.leader_a, result_documents=["Trích lục"], now=at(2025, 1, 27, 9))
    return d.pk


def test_an_absurd_fee_request_is_refused(client, world):
    """Before: the desk accepted 999,999,999,999,999,999 đ and the sandbox "paid" it."""
    pk = _awaiting(world)
    with pytest.raises(InvalidInput) as err:
        S.request_payment(
            pk, by=world.specialist_a, fees=[("Phí thẩm định", 999_999_999_999_999_999)]
        )
    assert err.value.fields == {"fees": "out_of_bounds"}
    with pytest.raises(InvalidInput):  # the schedule's own line is bounded by its amount
        S.request_payment(pk, by=world.specialist_a, fees=[("Lệ phí", 8001)])
    d = Dossier.objects.get(pk=pk)
    client.force_login(world.specialist_a)
    response = client.post(
        f"/desk/dossiers/{d.code}/actions/request_payment/",
        {"expected_version": d.version, "fee_name": "Phí", "amount_vnd": "999999999999999999"},
    )
    assert response.status_code == 400 and "vượt mức tối đa" in response.content.decode()
    assert FeeCharge.objects.filter(dossier_id=pk).count() == 1  # only the submission's fee
    S.request_payment(pk, by=world.specialist_a, fees=[("Phí thẩm định", 50_000)])


def test_payment_start_refuses_a_total_above_the_maximum(client, world, settings, sandbox):
    settings.MOTCUA_FEE_MAX_VND = 5000
    d = dossier_for(world)  # its 8.000 đ fee predates the lower maximum
    client.force_login(world.citizen1)
    response = client.post(f"/payments/start/{d.code}/", follow=True)
    assert "vượt mức tối đa" in response.content.decode()
    assert not Payment.objects.exists()


def test_the_desk_corrects_and_cancels_a_fee_before_payment_audited(client, world, sandbox):
    d = dossier_for(world)
    fee = FeeCharge.objects.get(dossier=d)
    client.force_login(world.citizen1)
    start(client, d)  # an open online payment for the 8.000 đ
    # the citizen and an officer of another agency may not touch it
    for outsider in (world.citizen1, world.desk_officer_b):
        with pytest.raises(NotAllowed):
            F.correct_fee(fee.pk, by=outsider, amount_vnd=1, reason="x")
    with pytest.raises(InvalidInput):
        F.correct_fee(fee.pk, by=world.desk_officer_a, amount_vnd=9000, reason="lệ phí sai")
    with pytest.raises(InvalidInput):
        F.correct_fee(fee.pk, by=world.desk_officer_a, amount_vnd=5000, reason="")

    client.force_login(world.desk_officer_a)
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert 'id="fee-schedule"' in page and f'id="fee-{fee.pk}-correct"' in page
    url = f"/desk/dossiers/{d.code}/fees/{fee.pk}/"
    response = client.post(url, {"op": "correct", "amount_vnd": "5000", "reason": "Miễn giảm"})
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.amount_vnd == 5000
    assert Payment.objects.get().status == "cancelled"  # the open attempt was closed
    event = AuditEvent.objects.get(dossier=d, action="fee_corrected")
    assert event.actor == world.desk_officer_a and event.reason == "Miễn giảm"
    assert event.data["old"]["amount_vnd"] == 8000 and event.data["new"]["amount_vnd"] == 5000

    client.force_login(world.desk_officer_b)
    assert client.post(url, {"op": "cancel", "reason": "x"}).status_code == 404  # not in scope
    client.force_login(world.desk_officer_a)
    assert client.post(url, {"op": "cancel", "reason": ""}).status_code == 400
    assert client.post(url, {"op": "cancel", "reason": "Thu nhầm"}).status_code == 302
    assert not FeeCharge.objects.filter(pk=fee.pk).exists()
    assert AuditEvent.objects.filter(dossier=d, action="fee_cancelled").count() == 1


def test_a_paid_fee_cannot_be_corrected(world):
    d = dossier_for(world)
    S.pay_fees(d.pk, by=world.desk_officer_a, channel="cash")
    fee = FeeCharge.objects.get(dossier=d)
    with pytest.raises(InvalidInput, match="đã được nộp"):
        F.cancel_fee(fee.pk, by=world.desk_officer_a, reason="x")


def test_the_portal_shows_the_procedures_fee_lines(client, world, sandbox):
    d = dossier_for(world)
    client.force_login(world.citizen1)
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert 'id="fee-schedule"' in page and "Lệ phí: 8.000 đ" in page
    assert 'id="pay-online"' in page


def test_a_mistyped_provider_is_a_configuration_error(settings):
    from motcua.payments.apps import check_provider

    settings.MOTCUA_PAYMENT_PROVIDER = "vnpayy"
    assert [m.id for m in check_provider()] == ["motcua.payments.E001"]
    settings.MOTCUA_PAYMENT_PROVIDER = "sandbox"
    settings.DEBUG = False
    assert check_provider() == []
    assert [m.id for m in check_provider(include_deployment_checks=True)] == [
        "motcua.payments.W001"
    ]
