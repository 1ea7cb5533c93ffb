"""Ratings and 1022 feedback imports keep their own dates; both are idempotent."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.models import Dossier
from motcua.feedback.defaults import ensure_default_categories
from motcua.feedback.models import FeedbackItem
from motcua.history.services import import_file
from motcua.ratings.models import Rating
from tests.helpers import at
from tests.history.conftest import HEADER, dossier_row, write_csv, write_xlsx

RATING_HEADER = ["Mã đánh giá", "Mã hồ sơ", "Mã cơ quan", "Mức độ hài lòng", "Ngày đánh giá",
                 "Hình thức đánh giá", "Ý kiến"]  # fmt: skip


@pytest.fixture
def imported(world, tmp_path):
    path = write_csv(tmp_path / "d.csv", HEADER, [dossier_row("OLD-1"), dossier_row("OLD-2")])
    import_file("dossiers", path)
    return {d.legacy_code: d for d in Dossier.objects.all()}


def test_a_rating_keeps_its_own_date_and_links_by_either_code(imported, tmp_path):
    live_code = imported["OLD-2"].code
    rows = [
        ["R-1", "OLD-1", "", "Rất hài lòng", "2021-03-10 09:15:30", "", "Cán bộ tận tình"],
        ["R-2", live_code, "", "not_satisfied", "11/03/2021 16:00", "Tại quầy", ""],
        ["R-3", "", "000.02.21.H13", "hai long", "2021-03-12", "online", ""],
    ]
    call_command(
        "history", "import", "ratings", str(write_csv(tmp_path / "r.csv", RATING_HEADER, rows))
    )
    got = {r.legacy_code: r for r in Rating.objects.all()}
    assert got["R-1"].created_at == at(2021, 3, 10, 9, 15).replace(second=30)
    assert got["R-1"].dossier == imported["OLD-1"] and got["R-1"].level == "very_satisfied"
    assert got["R-1"].agency_id == imported["OLD-1"].receiving_agency_id
    assert (got["R-2"].dossier, got["R-2"].channel) == (imported["OLD-2"], "kiosk")
    assert got["R-2"].created_at == at(2021, 3, 11, 16, 0)
    assert got["R-3"].dossier is None and got["R-3"].agency.code == "000.02.21.H13"
    assert got["R-3"].created_at == at(2021, 3, 12, 0, 0)
    assert all(r.imported for r in got.values())
    # again: nothing added
    result = import_file("ratings", write_csv(tmp_path / "r2.csv", RATING_HEADER, rows))
    assert (result.created, result.skipped) == (0, 3) and Rating.objects.count() == 3


def test_a_live_rating_is_still_dated_now(world):
    from django.utils import timezone

    before = timezone.now()
    rating = Rating.objects.create(agency=world.a, level="satisfied", channel="online")
    assert before <= rating.created_at <= timezone.now()


def test_bad_rating_rows_are_reported_and_nothing_is_written(imported, tmp_path):
    rows = [
        ["R-1", "OLD-1", "", "rất hài lòng", "2021-03-10 09:00", "", ""],
        ["R-2", "NOPE", "", "hài lòng", "2021-03-10 09:00", "", ""],
        ["R-3", "OLD-1", "", "hài lòng", "2021-03-10 09:00", "", ""],
        ["R-4", "", "", "so-so", "2099-01-01", "", ""],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", RATING_HEADER, rows)
    with pytest.raises(CommandError) as caught:
        call_command("history", "import", "ratings", str(path))
    report = str(caught.value)
    assert "Dòng 3, cột “Mã hồ sơ”: không có hồ sơ mã “NOPE”" in report
    assert "Dòng 4, cột “Mã hồ sơ”: hồ sơ đã được đánh giá ở dòng 2" in report
    assert "Dòng 5, cột “Mức độ hài lòng”" in report
    assert "Dòng 5, cột “Ngày đánh giá”: thời điểm ở tương lai" in report
    assert "Dòng 5, cột “Mã cơ quan”: cần mã cơ quan" in report
    assert not Rating.objects.exists()


FEEDBACK_HEADER = ["Mã phản ánh", "Ngày tiếp nhận", "Kênh tiếp nhận", "Lĩnh vực", "Nội dung",
                   "Cơ quan xử lý", "Ngày xử lý xong", "Nội dung trả lời", "Ngày công khai",
                   "Lý do từ chối", "Đánh giá"]  # fmt: skip


def test_feedback_items_keep_their_dates_and_their_state_follows_from_them(world, tmp_path):
    ensure_default_categories()
    rows = [
        ["PA-OLD-1", "2021-02-01 08:00", "Tổng đài 1022", "environment", "Rác chưa thu gom",
         "000.01.21.H13", "2021-02-05 10:00", "Đã thu gom", "2021-02-08 09:00", "", "like"],
        ["PA-OLD-2", "2021-02-02 08:00", "zalo", "traffic", "Đèn hỏng", "000.02.21.H13",
         "", "", "", "", ""],
        ["PA-OLD-3", "2021-02-03 08:00", "portal", "other", "Không rõ", "", "2021-02-03 10:00",
         "", "", "Không thuộc phạm vi", ""],
        ["PA-OLD-4", "2021-02-04 08:00", "hotline", "other", "Chờ", "", "", "", "", "", ""],
    ]  # fmt: skip
    path = write_csv(tmp_path / "pa.csv", FEEDBACK_HEADER, rows, bom=True)
    call_command("history", "import", "feedback", str(path))
    items = {i.legacy_code: i for i in FeedbackItem.objects.all()}
    one = items["PA-OLD-1"]
    assert (one.state, one.channel, one.rating, one.imported) == (
        "published",
        "hotline",
        "like",
        True,
    )
    assert one.received_at == at(2021, 2, 1, 8, 0) and one.handled_at == at(2021, 2, 5, 10, 0)
    assert one.published_at == at(2021, 2, 8, 9, 0) and one.handled_on_time is True
    assert one.code.startswith("PA-210201-")
    assert items["PA-OLD-2"].state == "assigned" and items["PA-OLD-2"].handled_at is None
    assert items["PA-OLD-3"].state == "refused"
    assert items["PA-OLD-4"].state == "received"
    result = import_file("feedback", path)
    assert (result.created, result.skipped) == (0, 4)


def test_feedback_errors_by_line_and_column(world, tmp_path):
    ensure_default_categories()
    rows = [
        ["A", "2021-02-01 08:00", "pigeon", "environment", "x", "", "", "", "", "", ""],
        ["B", "2021-02-01 08:00", "hotline", "nope", "x", "", "", "", "", "", ""],
        ["C", "2021-02-05 08:00", "hotline", "other", "x", "000.01.21.H13", "2021-02-01 08:00",
         "ok", "", "", ""],
        ["D", "2021-02-05 08:00", "hotline", "other", "x", "", "", "", "2021-02-06", "", "like"],
    ]  # fmt: skip
    with pytest.raises(CommandError) as caught:
        call_command(
            "history",
            "import",
            "feedback",
            str(write_csv(tmp_path / "f.csv", FEEDBACK_HEADER, rows)),
        )
    report = str(caught.value)
    assert "Dòng 2, cột “Kênh tiếp nhận”" in report
    assert "Dòng 3, cột “Lĩnh vực”: không có lĩnh vực “nope”" in report
    assert "Dòng 4, cột “Ngày xử lý xong”: trước ngày tiếp nhận" in report
    assert "Dòng 5, cột “Ngày xử lý xong”: bắt buộc khi đã công khai" in report
    assert not FeedbackItem.objects.exists()
