"""The whole one-stop flow in a real browser, across roles (issue 4's acceptance):
a citizen registers and submits online with an upload; the desk officer receives it; the
specialist requests a supplement; the citizen supplements; the officers hand it on, the leader
approves with an electronic result; the citizen pays the fee online; the desk returns the
result; the citizen downloads it and rates the service."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import AuditEvent, Dossier
from motcua.dossiers.rules import State
from motcua.ratings.models import Rating
from tests.dossiers.conftest import make_world
from tests.portal.conftest import PDF, open_online

PASSWORD = "x-Secret-123"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PAYMENT_PROVIDER = "sandbox"  # as the demo sets it (DEBUG is off here)
    return open_online(make_world())


def _no_pdf_previews(route) -> None:
    """Abort an attachment requested by an <iframe> (a PDF preview); serve it otherwise."""
    if route.request.frame.parent_frame is not None:
        route.abort()
    else:
        route.continue_()


def officer_page(browser, base: str, username: str):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # The desk's dossier page previews each PDF attachment in an <iframe>, and Chromium starts
    # its PDF viewer there. Under the full suite's load that viewer has held the page for more
    # than 30 s, twice: once it delayed "load", once a click that never became a navigation.
    # Every server thread sat idle both times (the thread dumps of the failures). This flow is
    # about the actions, so the officers' pages do not load the previews: each one is a
    # subframe request for the attachment's URL.
    page.route("**/desk/dossiers/*/files/*/", _no_pdf_previews)
    page.goto(base + "/desk/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(base + "/desk/")
    return page


# The steps wait for the document, not for every subresource; the assertions after them wait
# for what they check.
DOCUMENT = "domcontentloaded"


def act(page, base: str, code: str, action: str, fill: dict[str, str] | None = None) -> None:
    """Open the dossier on the desk and submit one action form."""
    page.goto(f"{base}/desk/dossiers/{code}/", wait_until=DOCUMENT)
    form = page.locator(f"form[data-action='{action}']")
    form.locator("xpath=ancestor::details").evaluate("el => el.open = true")
    for label, value in (fill or {}).items():
        form.get_by_label(label).fill(value)
    with page.expect_navigation(wait_until=DOCUMENT):  # the POST, then its redirect back
        form.get_by_role("button").click()


def state_of(code: str) -> str:
    return Dossier.objects.get(code=code).state


def test_citizen_and_officers_take_a_dossier_from_submission_to_rating(
    page, browser, world, tmp_path
):
    base = page.base
    # -- the citizen registers and submits online with an upload
    page.goto(base + "/")
    page.get_by_label("Tìm thủ tục").fill("dang ky lai khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Thủ tục đăng ký lại khai sinh").click()
    page.click("#submit-online")
    page.click("text=Chưa có tài khoản? Đăng ký")
    page.get_by_label("Họ và tên").fill("Lê Thị Cẩm Tú")
    page.get_by_label("Số điện thoại").fill("0939111222")
    page.fill("#id_password1", "Cai-Khe-2025")
    page.fill("#id_password2", "Cai-Khe-2025")
    page.click("#register-button")
    # registration answers neutrally (issue 9 §2): the citizen then signs in, and goes on
    page.get_by_label("Thư điện tử hoặc số điện thoại").fill("0939111222")
    page.get_by_label("Mật khẩu").fill("Cai-Khe-2025")
    page.click("#login-button")
    page.wait_for_selector("#procedure-title")
    page.click("#submit-online")
    page.get_by_label("Số định danh cá nhân (CCCD, 12 chữ số)").fill("092195001122")
    page.get_by_label("Địa chỉ").fill("12 Hòa Bình, Cái Khế, Ninh Kiều")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    first_doc = world.procedure.required_documents.get(order=1)
    page.set_input_files(f"#file-{first_doc.pk}", str(scan))
    page.locator("#doc-1 .upload-form button").click()
    page.wait_for_selector("#doc-1 .files li")
    page.click("#go-review")
    page.click("#submit-dossier")
    code = page.inner_text("#dossier-code")
    assert state_of(code) == State.REGISTERED

    # -- the desk officer receives it (Form 01); the specialist asks for a supplement
    desk = officer_page(browser, base, "desk_officer_a")
    desk.goto(base + "/desk/")
    assert code in desk.inner_text("main")  # it is in the officer's queue
    act(desk, base, code, "receive")
    assert state_of(code) == State.RECEIVED
    act(desk, base, code, "hand_over")
    specialist = officer_page(browser, base, "specialist_a")
    act(
        specialist,
        base,
        code,
        "request_supplement",
        {"Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung)": "Bản sao giấy tờ tùy thân"},
    )
    assert state_of(code) == State.SUPPLEMENT_REQUESTED

    # -- the citizen sees the request and supplements by upload: the clock resumes
    page.goto(f"{base}/ho-so/{code}/")
    assert "Bản sao giấy tờ tùy thân" in page.inner_text("#missing-items")
    copy = tmp_path / "cccd.pdf"
    copy.write_bytes(PDF)
    page.set_input_files("#supplement-form input[type=file]", str(copy))
    with page.expect_navigation():
        page.click("#supplement-submit")
    assert state_of(code) == State.IN_PROCESS

    # -- the specialist hands it to the leader, who approves with an electronic result
    act(specialist, base, code, "hand_over")
    leader = officer_page(browser, base, "leader_a")
    act(
        leader,
        base,
        code,
        "approve",
        {"Văn bản kết quả (mỗi dòng một văn bản)": "Trích lục khai sinh (bản điện tử)"},
    )
    assert state_of(code) == State.DECIDED
    result = tmp_path / "trich-luc.pdf"
    result.write_bytes(PDF.replace(b"1 0 obj", b"2 0 obj"))
    desk.goto(f"{base}/desk/dossiers/{code}/", wait_until=DOCUMENT)
    desk.set_input_files("input[type=file]", str(result))
    desk.get_by_label("Loại tệp").select_option("result")
    with desk.expect_navigation(wait_until=DOCUMENT):
        desk.get_by_role("button", name="Tải lên").click()

    # -- the citizen pays the 8.000 đ fee through the sandbox gateway
    page.goto(f"{base}/ho-so/{code}/")
    page.click("#pay-online")
    page.wait_for_selector("#sandbox-amount")
    assert "8.000" in page.inner_text("#sandbox-amount")
    page.click("#sandbox-pay")
    page.wait_for_selector("#payment-ok")
    assert Dossier.objects.get(code=code).fees.filter(paid_at__isnull=True).count() == 0

    # -- the desk returns the result online
    act(desk, base, code, "return_result")
    assert state_of(code) == State.RETURNED

    # -- the citizen downloads the result and the receipt, then rates the service once
    page.goto(f"{base}/ho-so/{code}/")
    # PDFs are shown inline (issue 9: only PDFs and images are), under their detected type
    href = page.get_by_role("link", name="trich-luc.pdf").get_attribute("href")
    result_file = page.request.get(base + href)
    assert result_file.ok and result_file.body().startswith(b"%PDF")
    assert result_file.headers["content-disposition"] == 'inline; filename="trich-luc.pdf"'
    assert result_file.headers["x-content-type-options"] == "nosniff"
    receipt = page.request.get(base + page.get_attribute("#form-01-1", "href"))
    assert receipt.ok and receipt.body().startswith(b"%PDF")
    page.get_by_label("Rất hài lòng").check()
    page.click("#rate-submit")
    page.wait_for_selector("#rating-done")
    assert Rating.objects.get(dossier__code=code).level == "very_satisfied"

    actions = list(AuditEvent.objects.filter(dossier__code=code).values_list("action", flat=True))
    assert actions == [
        "submit",
        "receive",
        "hand_over",
        "request_supplement",
        "supplement",
        "hand_over",
        "approve",
        "pay_fees",
        "return_result",
    ]
    for p in (desk, specialist, leader):
        p.context.close()
