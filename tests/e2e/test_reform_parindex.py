"""The PAR index in a real browser: a unit self-assesses with an evidence file and a page
number and sends it; the results page draws its chart on the server with the data table."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import Membership, Role, User
from motcua.reform import index_services
from motcua.reform.index_rules import Status
from motcua.reform.models import Assessment, Score
from tests.reform.conftest import make_world
from tests.reform.test_parindex_services import PDF, _to_final, small_spec

from .conftest import screenshot


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = make_world()
    w.leader = User.objects.create_user(username="lanhdao.stp", password="x-Secret-123")
    Membership.objects.create(user=w.leader, role=Role.LEADER, agency=w.justice)
    w.ict_leader = User.objects.create_user(username="lanhdao.tttt", password="x-Secret-123")
    Membership.objects.create(user=w.ict_leader, role=Role.LEADER, agency=w.ict)
    w.council = User.objects.create_user(username="hoidong", password="x-Secret-123")
    Membership.objects.create(user=w.council, role=Role.SPECIALIST, agency=w.city)
    spec = small_spec()
    spec.self_deadline = None  # the browser test must not depend on today's date
    w.scheme = index_services.import_scheme(by=w.office, spec=spec)
    index_services.appoint_council(by=w.office, scheme_id=w.scheme.pk, user=w.council)
    index_services.open_assessments(by=w.office, scheme_id=w.scheme.pk, agencies=[w.justice, w.ict])
    return w


def sign_in(page, username: str) -> None:
    page.goto(page.base + "/desk/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("x-Secret-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(page.base + "/desk/")


def test_a_unit_self_assesses_with_evidence_and_sends(page, world, tmp_path):
    a = Assessment.objects.get(scheme=world.scheme, agency=world.justice)
    evidence = tmp_path / "bao-cao.pdf"
    evidence.write_bytes(PDF)
    sign_in(page, "lanhdao.stp")
    page.goto(f"{page.base}/desk/reform/index/assessments/{a.pk}/")
    for code, points, page_no in (("1.1.1", "1,5", "2"), ("1.1.1", "2", "2"), ("1.1.2", "3", "5")):
        row = page.locator(f'[id="sub-{code}"]')
        row.get_by_label("Điểm").fill(points)
        row.get_by_label("Tệp kiểm chứng").set_input_files(str(evidence))
        row.get_by_label("Trang").fill(page_no)
        row.get_by_label("Ghi chú, lý do").fill("Kế hoạch số 12/KH")
        row.get_by_role("button", name="Lưu").click()
        page.wait_for_load_state()
        if points == "1,5":  # not a level of a full / partial / zero criterion
            expect(
                page.get_by_role("status").filter(has_text="chỉ nhận các mức điểm")
            ).to_be_visible()
    row = page.locator('[id="sub-1.1.2"]')
    assert "bao-cao.pdf, tr. 5" in row.inner_text()
    page.get_by_role("button", name="Gửi bản tự đánh giá").click()
    page.wait_for_load_state()
    expect(page.locator("#status")).to_have_text("Đã gửi, chờ thẩm định", use_inner_text=True)
    screenshot(page, "reform-parindex-self-assessment")
    assert Score.objects.get(assessment=a, sub__code="1.1.1").self_points == D(2)
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED


def test_results_page_chart_and_table(page, world):
    _to_final(world, world.justice, world.leader, ("2", "4", "1"), "0.8")
    _to_final(world, world.ict, world.ict_leader, ("1", "3", "0"), "0.6")
    index_services.publish(by=world.office, scheme_id=world.scheme.pk)
    sign_in(page, "tuphap")
    page.goto(f"{page.base}/desk/reform/index/")
    page.get_by_role("link", name="Bộ chỉ số 2020").click()
    chart = page.get_by_role("img", name="Biểu đồ chỉ số (%)")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(2)
    rows = page.locator("#results tbody tr")
    assert rows.nth(0).inner_text().split("\t")[:5] == [
        "1",
        "Sở Tư pháp",
        "10,00 / 10,00",
        "100,00",
        "Tốt",
    ]
    assert rows.nth(1).locator(".band").inner_text() == "Khá"
    screenshot(page, "reform-parindex-results")


def test_council_appraises_and_the_office_publishes(page, world):
    from motcua.reform.index_services import SurveyRow

    _to_final(world, world.ict, world.ict_leader, ("1", "3", "0"), "0.6")
    a = Assessment.objects.get(scheme=world.scheme, agency=world.justice)
    for code, points in (("1.1.1", "2"), ("1.1.2", "4"), ("1.1.3", "0")):
        index_services.self_assess(
            by=world.leader,
            assessment_id=a.pk,
            code=code,
            points=D(points),
            note="Đã làm",
            evidence=index_services.Upload("kc.pdf", PDF) if points != "0" else None,
            page=3 if points != "0" else None,
        )
    index_services.submit(by=world.leader, assessment_id=a.pk)
    index_services.record_survey(
        by=world.office,
        scheme_id=world.scheme.pk,
        rows=[SurveyRow(world.justice, "2.1.1", D("0.8"))],
        source="SIPAS",
    )
    sign_in(page, "hoidong")
    page.goto(f"{page.base}/desk/reform/index/assessments/{a.pk}/")
    row = page.locator('[id="sub-1.1.2"]')
    row.get_by_label("Điểm").fill("3")
    row.get_by_role("button", name="Lưu").click()  # no reason: refused, nothing changes
    expect(page.get_by_role("status").filter(has_text="Vui lòng ghi lý do")).to_be_visible()
    row = page.locator('[id="sub-1.1.2"]')
    row.get_by_label("Điểm").fill("3")
    row.get_by_label("Ghi chú, lý do").fill("Thiếu báo cáo quý IV")
    row.get_by_role("button", name="Lưu").click()
    assert "Thiếu báo cáo quý IV" in page.locator('[id="sub-1.1.2"]').inner_text()
    page.get_by_role("button", name="Kết thúc thẩm định vòng 1").click()
    expect(page.locator("#status")).to_have_text("Đã thẩm định (vòng 1)", use_inner_text=True)
    page.get_by_role("button", name="Thẩm định chính thức").click()
    expect(page.locator("#status")).to_have_text("Đã thẩm định chính thức", use_inner_text=True)
    page.context.clear_cookies()
    sign_in(page, "cchc")
    page.goto(f"{page.base}/desk/reform/index/{world.scheme.pk}/")
    page.locator("#office-actions summary").click()
    page.get_by_role("button", name="Công bố kết quả").click()
    published = page.get_by_role("status").filter(has_text="Đã công bố kết quả của 2 đơn vị")
    expect(published).to_be_visible()
    first = page.locator("#results tbody tr").nth(0).inner_text().split("\t")
    assert first[:5] == ["1", "Sở Tư pháp", "9,00 / 10,00", "90,00", "Tốt"]
