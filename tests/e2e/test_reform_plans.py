"""Reform plans and inspections in a real browser: an agency reports progress on its own task
with an evidence file, the reform office cancels a task only with its document, an inspection
goes from findings through the inspected agency's follow-up to closure, and the pages read in
English. Nothing is loaded from outside the server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from playwright.sync_api import expect

from motcua.reform import services
from motcua.reform.models import Task
from tests.reform.conftest import make_plan, make_world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = make_world()
    w.plan = make_plan(w)
    return w


def sign_in_as(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_an_agency_reports_progress_with_evidence_on_its_own_task(page, world):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(page.base) else outside.append(r.url))
    sign_in_as(page, world.justice_officer)
    page.goto(page.base + f"/desk/reform/plans/{world.plan.pk}/")
    tasks = page.locator("#tasks")
    assert tasks.get_by_text("Trục liên thông").count() == 0  # another agency's task
    row = tasks.locator("tr.row-overdue", has_text="Rà soát văn bản")
    assert row.locator("strong.late").inner_text() == "Quá hạn"
    row.get_by_role("link", name="Rà soát văn bản").click()
    page.get_by_label("Tình trạng").select_option("in_progress")
    page.get_by_label("Nội dung báo cáo").fill("Đã rà soát 40 văn bản")
    page.get_by_label("Tài liệu kiểm chứng").set_input_files(
        files=[{"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert "Đã ghi nhận báo cáo tiến độ" in page.locator(".messages").inner_text()
    assert page.locator("#notes").get_by_role("link", name="bao-cao.pdf").count() == 1
    assert "Đã rà soát 40 văn bản" in page.locator("#history").inner_text()
    assert page.locator("#cancel-form").count() == 0  # an agency does not cancel
    assert outside == []


def test_the_reform_office_cancels_only_with_the_approving_document(page, world):
    task = world.plan.tasks.get(content="Trục liên thông")
    sign_in_as(page, world.office)
    page.goto(page.base + f"/desk/reform/tasks/{task.pk}/")
    form = page.locator("#cancel-form")
    form.get_by_label("Lý do hủy").fill("Không còn phù hợp")
    # the browser's own required check is bypassed to reach the service's message
    form.get_by_label("Văn bản cho phép hủy (số, ký hiệu)").evaluate("e => e.required = false")
    form.get_by_role("button", name="Hủy nhiệm vụ").click()
    assert page.locator("#id_c-reference-error").count() == 1  # beside the field
    assert Task.objects.get(pk=task.pk).status == "not_started"
    form = page.locator("#cancel-form")
    form.get_by_label("Văn bản cho phép hủy (số, ký hiệu)").fill("1234/UBND-NC")
    form.get_by_label("Lý do hủy").fill("Không còn phù hợp")
    form.get_by_role("button", name="Hủy nhiệm vụ").click()
    expect(page.locator("#task-status")).to_have_text("Đã hủy", use_inner_text=True)
    assert "1234/UBND-NC" in page.locator("dl.facts").inner_text()


def test_an_inspection_from_findings_to_closure(page, world):
    insp = services.create_inspection(
        by=world.office,
        kind="thematic",
        topic="Kỷ luật, kỷ cương phòng, chống COVID-19",
        organiser=world.home,
        start_date=dt.date(2021, 8, 2),
        end_date=dt.date(2021, 8, 3),
        targets=[world.justice],
    )
    sign_in_as(page, world.office)
    page.goto(page.base + "/desk/reform/inspections/?from=2021-01-01&to=2021-12-31")
    assert page.locator("#inspection-counts td").nth(2).inner_text() == "1"  # thematic
    page.get_by_role("link", name="Kỷ luật, kỷ cương phòng, chống COVID-19").click()
    form = page.locator("#findings-form")
    form.get_by_label("Kết quả kiểm tra").fill("Chưa niêm yết đủ TTHC")
    form.get_by_label("Cơ quan phải khắc phục").select_option(str(world.justice.pk))
    form.get_by_label("Yêu cầu khắc phục").fill("Niêm yết đủ TTHC")
    form.get_by_label("Thời hạn khắc phục").fill("2021-09-01")
    form.get_by_role("button", name="Lưu").click()
    assert "Niêm yết đủ TTHC" in page.locator("#remedies").inner_text()
    page.context.clear_cookies()
    sign_in_as(page, world.justice_officer)
    page.goto(page.base + f"/desk/reform/inspections/{insp.pk}/")
    assert page.locator("#close-form").count() == 0
    page.locator("#remedies").get_by_label("Kết quả khắc phục").fill("Đã niêm yết")
    page.locator("#remedies").get_by_role("button", name="Cập nhật").click()
    assert "Đã khắc phục" in page.locator("#remedies").inner_text()
    page.context.clear_cookies()
    sign_in_as(page, world.office)
    page.goto(page.base + f"/desk/reform/inspections/{insp.pk}/")
    page.locator("#close-form").get_by_label("Kết luận").fill("Đã khắc phục xong")
    page.locator("#close-form").get_by_role("button", name="Kết thúc").click()
    expect(page.locator("#inspection-status")).to_have_text("Đã kết thúc", use_inner_text=True)


def test_the_reform_pages_read_in_english(page, world):
    sign_in_as(page, world.office)
    page.goto(page.base + f"/desk/reform/plans/{world.plan.pk}/")
    page.locator("#lang-select").select_option("en")
    page.wait_for_load_state()
    page.wait_for_selector("#progress-area")
    assert "Institutional reform" in page.locator("#progress-area").inner_text()
    assert "Overdue" in page.locator("#tasks").inner_text()
    assert page.get_by_role("link", name="Reform inspections").count() == 1
