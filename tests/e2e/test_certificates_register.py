"""The certificate register in a real browser: the register office imports the issuer's
list (a bad list first, reported line by line, then the good one), the expiring certificate
is highlighted, a leader of the holder's agency records a revocation and the history shows
it, another agency does not see it, and the pages read in English. Nothing is loaded from
outside the server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from motcua.certificates.models import Certificate
from tests.certificates.conftest import make_world, row, xlsx


@pytest.fixture
def world(transactional_db):
    return make_world()


def sign_in_as(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_import_highlight_revoke_and_scope(page, world):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(page.base) else outside.append(r.url))
    today = timezone.localdate()
    soon = (today + dt.timedelta(days=12)).strftime("%d/%m/%Y")
    start = (today - dt.timedelta(days=300)).strftime("%d/%m/%Y")
    good = xlsx(
        [
            row(1, "54 03 F2 A1", holder="Trần Thị Sắp Hết", start=start, end=soon),
            row(2, "77AA01", holder="Lê Văn Bền", token="TK0001"),
        ]
    )
    bad = xlsx([row(1, "không-phải-hex"), row(2, "77AA02", agency="Sở Không Có")])

    sign_in_as(page, world.office)
    page.goto(page.base + "/desk/certificates/")
    page.get_by_role("link", name="Nhập danh sách của tổ chức cấp").click()
    page.get_by_label("Danh sách của tổ chức cấp (.xlsx)").set_input_files(
        files=[{"name": "cts.xlsx", "mimeType": "application/octet-stream", "buffer": bad}]
    )
    page.get_by_role("button", name="Nhập").click()
    errors = page.locator("#import-form").inner_text()
    assert "Dòng 3, cột “Số hiệu chứng thư”" in errors
    assert "Dòng 4, cột “Cơ quan”" in errors and "Sở Không Có" in errors
    assert not Certificate.objects.exists()
    page.get_by_label("Danh sách của tổ chức cấp (.xlsx)").set_input_files(
        files=[{"name": "cts.xlsx", "mimeType": "application/octet-stream", "buffer": good}]
    )
    page.get_by_role("button", name="Nhập").click()
    assert "2 mới" in page.locator(".messages").inner_text()
    expiring = page.locator("#certificates tr.row-expiring")
    assert expiring.count() == 1 and "Trần Thị Sắp Hết" in expiring.inner_text()
    assert (
        "1 chứng thư số hết hạn trong 30 ngày tới" in page.locator("#expiring-warning").inner_text()
    )

    sign_in_as(page, world.justice_leader)
    page.goto(page.base + "/desk/certificates/")
    page.get_by_role("link", name="Lê Văn Bền").click()
    page.get_by_label("Ngày thu hồi").fill(today.isoformat())
    page.get_by_label("Lý do thu hồi").fill("Chuyển công tác")
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.locator("#certificate-status")).to_have_text("Đã thu hồi", use_inner_text=True)
    assert "Chuyển công tác" in page.locator("#certificate-history").inner_text()
    assert page.locator("#revoke-form").count() == 0  # final

    detail = page.url
    sign_in_as(page, world.health_officer)
    answer = page.goto(detail)
    assert answer.status == 404
    page.goto(page.base + "/desk/certificates/")
    assert "Không có chứng thư số nào." in page.locator("#certificates").inner_text()

    sign_in_as(page, world.office)  # clears the cookies: choose English after it
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base}])
    page.goto(page.base + "/desk/certificates/")
    expect(page.locator("h1")).to_have_text("Certificate register", use_inner_text=True)
    assert "Revoked" in page.locator("#certificates").inner_text()
    assert outside == []
