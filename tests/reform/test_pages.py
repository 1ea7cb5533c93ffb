"""Desk pages: scoped, Vietnamese errors for bad input, never a 500."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.reform import excel
from motcua.reform.models import ReformPlan, Task


def _client(client, user):
    client.force_login(user)
    return client


def test_plan_page_shows_both_ratios_and_overdue(client, world, plan):
    page = _client(client, world.office).get(reverse("reform:plan", args=[plan.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "0/3 nhiệm vụ" in html and "row-overdue" in html and "Quá hạn" in html
    assert "Cải cách thể chế" in html


def test_an_agency_sees_only_its_tasks_and_cannot_open_anothers(client, world, plan):
    c = _client(client, world.justice_officer)
    html = c.get(reverse("reform:plan", args=[plan.pk])).content.decode()
    assert "Rà soát văn bản" in html and "Trục liên thông" not in html
    other = plan.tasks.get(content="Trục liên thông")
    assert c.get(reverse("reform:task", args=[other.pk])).status_code == 404
    own = plan.tasks.get(content="Rà soát văn bản")
    page = c.post(
        reverse("reform:task", args=[own.pk]),
        {
            "action": "report",
            "r-status": "in_progress",
            "r-note": "Đang làm",
            "r-version": own.version,
        },
    )
    assert page.status_code == 302
    own.refresh_from_db()
    assert own.status == "in_progress"


def test_citizen_and_anonymous_are_kept_out(client, world, plan):
    assert client.get(reverse("reform:plans")).status_code == 302
    assert _client(client, world.citizen).get(reverse("reform:plans")).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {"year": "99999999999", "decision_date": "2021-01-01"},
        {"year": "2021", "decision_date": "9999-12-31"},
        {"year": "2021", "decision_date": "0001-01-01"},
        {"year": "2021", "decision_date": "2021-01-01", "title": "x" * 100000},
        {"year": "-1", "decision_date": "abc"},
    ],
)
def test_bad_plan_input_is_a_vietnamese_message_not_a_500(client, world, data):
    form = {"agency": world.home.pk, "decision_number": "1/KH", "title": "Kế hoạch", **data}
    page = _client(client, world.office).post(reverse("reform:plan_new"), form)
    assert page.status_code == 400
    assert not ReformPlan.objects.exists()


def test_bad_task_input_on_the_task_page(client, world, plan):
    task = plan.tasks.get(content="Trục liên thông")
    c = _client(client, world.office)
    url = reverse("reform:task", args=[task.pk])
    page = c.post(url, {"action": "cancel", "c-reference": "", "c-reason": "x", "c-version": 1})
    assert page.status_code == 400 and "Văn bản cho phép hủy" in page.content.decode()
    page = c.post(
        url, {"action": "deadline", "d-deadline": "9999-12-31", "d-reason": "x", "d-version": 1}
    )
    assert page.status_code == 400 and "năm 2000" in page.content.decode()
    page = c.post(url, {"action": "report", "r-status": "done", "r-note": "x", "r-version": 99})
    assert page.status_code == 409
    page = c.post(url, {"action": "report", "r-status": "done", "r-note": "x", "r-version": "1e99"})
    assert page.status_code == 400


def test_import_page_reports_line_and_column_and_export_downloads(client, world, plan):
    c = _client(client, world.office)
    data = excel.export_plan(plan)
    wb = load_workbook(io.BytesIO(data))
    wb.active["D7"] = "Cơ quan không có"
    broken = io.BytesIO()
    wb.save(broken)
    form = {
        "agency": world.home.pk,
        "year": 2021,
        "decision_number": "2/KH-SNV",
        "decision_date": "2021-01-02",
        "title": "Sở Nội vụ",
    }
    broken.seek(0)
    broken.name = "ke-hoach.xlsx"
    page = c.post(reverse("reform:plan_new") + "?import=1", {**form, "file": broken})
    assert page.status_code == 400 and "Dòng 7, cột D" in page.content.decode()
    assert ReformPlan.objects.count() == 1
    good = io.BytesIO(data)
    good.name = "ke-hoach.xlsx"
    page = c.post(reverse("reform:plan_new") + "?import=1", {**form, "file": good})
    assert page.status_code == 302 and Task.objects.count() == 6
    export = c.get(reverse("reform:plan_export", args=[plan.pk]))
    assert export.status_code == 200 and export["Content-Type"].endswith("spreadsheetml.sheet")


def test_late_view_and_inspection_pages(client, world, plan):
    from motcua.reform import services

    c = _client(client, world.office)
    html = c.get(reverse("reform:late")).content.decode()
    assert "Sở Tư pháp" in html and "Rà soát văn bản" in html
    for year in ("99999999999999", "²⁰²¹", "2021", "-1"):
        assert c.get(reverse("reform:late"), {"year": year}).status_code == 200
    insp = services.create_inspection(
        by=world.office,
        kind="surprise",
        topic="Kiểm tra đột xuất",
        organiser=world.home,
        start_date=dt.date(2021, 5, 3),
        end_date=dt.date(2021, 5, 3),
        targets=[world.justice],
    )
    page = c.get(reverse("reform:inspections") + "?from=2021-01-01&to=2021-12-31")
    assert page.status_code == 200 and "Kiểm tra đột xuất" in page.content.decode()
    for bad in ("?from=9999-12-31", "?from=2021-12-31&to=2021-01-01", "?from=abc"):
        assert c.get(reverse("reform:inspections") + bad).status_code == 400
    assert c.get(reverse("reform:inspection", args=[insp.pk])).status_code == 200
    other = _client(client, world.ict_officer)
    assert other.get(reverse("reform:inspection", args=[insp.pk])).status_code == 404
    assert other.get(reverse("reform:inspection_new")).status_code == 403


@pytest.mark.parametrize(
    "post",
    [
        {"action": "actual", "target": "x", "actual": "1"},
        {"action": "actual", "target": "99999999999999999999", "actual": "1"},
        {"action": "task", "t-objective": "1", "t-content": "x" * 5000},
        {"action": "task", "t-objective": "999999", "t-content": "x"},
        {"action": "objective", "o-area": "bogus", "o-title": "x"},
        {"action": "objective", "o-area": "institutions", "o-title": "x" * 100000},
    ],
)
def test_bad_plan_page_posts_are_refused_not_a_500(client, world, plan, post):
    page = _client(client, world.office).post(reverse("reform:plan", args=[plan.pk]), post)
    assert page.status_code in (400, 404)
    assert plan.tasks.count() == 3 and plan.objectives.count() == 2


def test_huge_target_actual_is_a_vietnamese_message(client, world, plan):
    from motcua.reform import services

    t = services.set_target(by=world.office, plan_id=plan.pk, code="papi", name="PAPI", value="45")
    page = _client(client, world.office).post(
        reverse("reform:plan", args=[plan.pk]),
        {"action": "actual", "target": t.pk, "actual": "1e30"},
    )
    assert page.status_code == 400 and "Giá trị phải nằm trong khoảng" in page.content.decode()
    t.refresh_from_db()
    assert t.actual is None
    page = _client(client, world.office).post(
        reverse("reform:plan", args=[plan.pk]),
        {"action": "actual", "target": t.pk, "actual": "47,5"},
    )
    assert page.status_code == 302
    t.refresh_from_db()
    assert str(t.actual) == "47.50"


def test_a_justice_officer_cannot_post_on_the_plan_page(client, world, plan):
    page = _client(client, world.justice_officer).post(
        reverse("reform:plan", args=[plan.pk]),
        {"action": "objective", "o-area": "institutions", "o-title": "x"},
    )
    assert page.status_code == 404
    assert plan.objectives.count() == 2
