"""Issue 9 §3 in a real browser: the desk sees the procedure's fee schedule beside the fee asked
for, corrects it with a reason (audited), and the citizen's page shows the corrected amount
and the schedule; an absurd amount asked for is refused with a message next to the field."""

from __future__ import annotations

import pytest

from motcua.dossiers import services as S
from motcua.dossiers.models import AuditEvent, FeeCharge
from tests.dossiers.conftest import make_world
from tests.e2e.test_full_flow import PASSWORD, officer_page
from tests.helpers import at
from tests.portal.conftest import dossier_for, open_online


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PAYMENT_PROVIDER = "sandbox"
    return open_online(make_world())


def test_the_desk_corrects_a_fee_and_refuses_an_absurd_one(page, browser, world):
    base = page.base
    d = dossier_for(world)
    fee = FeeCharge.objects.get(dossier=d)

    desk = officer_page(browser, base, world.desk_officer_a.username)
    desk.goto(f"{base}/desk/dossiers/{d.code}/")
    assert "Lệ phí: 8.000 đ" in desk.inner_text("#fee-schedule")
    desk.locator(f"#fee-{fee.pk} summary").click()
    desk.fill(f"#fee-{fee.pk}-amount", "4000")
    desk.fill(f"#fee-{fee.pk}-reason", "Giảm 50% theo Thông tư 106/2021/TT-BTC")
    with desk.expect_navigation():
        desk.click(f"#fee-{fee.pk}-correct")
    assert "Lệ phí: 4.000 đ" in desk.inner_text("#dossier-fees")
    assert "Khoản phí được điều chỉnh" in desk.inner_text(".timeline")
    event = AuditEvent.objects.get(dossier=d, action="fee_corrected")
    assert event.reason.startswith("Giảm 50%") and event.actor == world.desk_officer_a

    # the citizen sees the corrected amount and the procedure's schedule
    world.citizen1.email = "citizen1@example.vn"
    world.citizen1.save(update_fields=["email"])
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Thư điện tử hoặc số điện thoại").fill("citizen1@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}/ho-so/{d.code}/")
    assert "4.000 đ" in page.inner_text("#dossier-fees")
    page.locator(".fee-schedule summary").click()
    assert "Lệ phí: 8.000 đ" in page.inner_text("#fee-schedule")
    assert "4.000" in page.inner_text("#pay-online")

    # an absurd amount asked for at the payment step is refused next to the field
    S.receive(d.pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(d.pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    S.approve(d.pk, by=world.leader_a, result_documents=["Trích lục"], now=at(2025, 1, 27, 9))
    spec = officer_page(browser, base, world.specialist_a.username)
    spec.goto(f"{base}/desk/dossiers/{d.code}/")
    form = spec.locator("form[data-action='request_payment']")
    form.locator("xpath=ancestor::details").evaluate("el => el.open = true")
    form.get_by_label("Số tiền (đồng)").fill("999999999999999999")
    with spec.expect_navigation():
        form.get_by_role("button").click()
    assert "vượt mức tối đa" in spec.inner_text("#id_request_payment_amount_vnd_error")
    assert FeeCharge.objects.filter(dossier=d).count() == 1
    for officer in (desk, spec):
        officer.context.close()
