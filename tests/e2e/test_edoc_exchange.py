"""Electronic documents in a real browser: a commune's leader composes an outgoing document
with an attachment and sends it; the other commune's clerk finds it in the incoming register,
receives it, and the sender sees the recipient's status come back. Nothing is loaded from
outside the server."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from motcua.agencies.models import Agency
from motcua.edoc import keys
from motcua.jobs.worker import drain
from tests.dossiers.conftest import make_world
from tests.edoc.keys import key_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = make_world()
    for agency in Agency.objects.all():
        agency.edxml_organ_id = agency.code
        agency.save(update_fields=["edxml_organ_id"])
    for agency in (w.a, w.b):
        agency.refresh_from_db()
        key = key_for(agency.code)
        keys.install_key(
            agency, private_key_pem=key.private_key_pem, certificate_pem=key.certificate_pem
        )
    return w


def sign_in_as(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_compose_and_send_then_the_other_agency_receives_it(page, world):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(page.base) else outside.append(r.url))
    sign_in_as(page, world.leader_a)
    page.goto(page.base + "/desk/van-ban/di/")
    page.locator("#edoc-compose").click()
    page.get_by_label("Nơi nhận").select_option(world.b.edxml_organ_id)
    page.get_by_label("Ký hiệu (vd. UBND-VP)").fill("UBND-VP")
    page.get_by_label("Ngày ban hành").fill("2025-03-04")
    page.get_by_label("Trích yếu").fill("Về việc xác minh nơi cư trú của bà Nguyễn Thị Hồng")
    page.locator("#id_signer_name").fill("Nguyễn Văn An")
    page.get_by_label("Độ khẩn").select_option("1")
    page.get_by_label("Tệp đính kèm (PDF, Word, Excel, ảnh)").set_input_files(
        files=[{"name": "cong-van.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("#compose-send").click()
    assert "Đã vào sổ văn bản đi số 1/UBND-VP" in page.locator(".messages").inner_text()
    assert "Chờ gửi" in page.locator("#edoc-recipients").inner_text()
    drain()  # the background send (motcua.jobs), as the worker beside the server would
    page.reload()
    assert "Đã gửi" in page.locator("#edoc-recipients").inner_text()

    sign_in_as(page, world.desk_officer_b)
    page.goto(page.base + "/desk/van-ban/den/")
    row = page.locator("#edoc-register tr", has_text="xác minh nơi cư trú")
    assert "Chờ tiếp nhận" in row.inner_text() and "Khẩn" in row.inner_text()
    row.get_by_role("link", name="1/UBND-VP").click()
    assert page.locator("#edoc-attachments").get_by_role("link", name="cong-van.pdf").count() == 1
    page.get_by_label("Trạng thái mới").select_option("received")
    page.locator("#status-form button").click()
    expect(page.locator("#edoc-status")).to_have_text("Đã tiếp nhận", use_inner_text=True)
    drain()

    sign_in_as(page, world.leader_a)
    page.goto(page.base + "/desk/van-ban/di/")
    page.locator("#edoc-register").get_by_role("link", name="1/UBND-VP").click()
    assert "03 — Đã tiếp nhận" in page.locator("#edoc-recipients").inner_text()
    # the other agency's incoming copy does not exist for A's leader
    assert page.goto(page.base + "/desk/van-ban/den/").ok
    assert "xác minh nơi cư trú" not in page.locator("#edoc-register").inner_text()
    assert outside == []
