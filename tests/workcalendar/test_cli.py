"""The ``motcua workdays`` command."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from motcua.workcalendar.models import CalendarOverride

pytestmark = pytest.mark.django_db


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("workdays", *args, stdout=out, stderr=err, **extra)
    return out.getvalue(), err.getvalue()


def test_import_prints_counts(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("date,kind,name,reference\n2025-06-04,day_off,Nghỉ thử,TB 1\n", "utf-8")
    assert run("import", str(path))[0].strip() == "created: 1, updated: 0, unchanged: 0"
    assert run("import", str(path))[0].strip() == "created: 0, updated: 0, unchanged: 1"


def test_import_errors_go_to_stderr_and_nothing_is_imported(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,kind,name,reference\n2025-06-04,day_off,Tốt,\n2025-06-05,nghỉ,Xấu,\n", "utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="Không nhập dữ liệu nào"):
        call_command("workdays", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("dòng 3: loại không hợp lệ 'nghỉ'")
    assert not CalendarOverride.objects.exists()


def test_import_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run("import", str(tmp_path / "none.csv"))


def test_check_reads_stdin():
    CalendarOverride.objects.create(date=date(2025, 6, 4), kind="day_off", name="Thử")
    out, _ = run("check", stdin="2025-04-26\n\n2025-05-02\n2025-06-04\n2025-06-05\n")
    assert out.splitlines() == [
        "2025-04-26 working",
        "2025-05-02 off",
        "2025-06-04 off",
        "2025-06-05 working",
    ]


def test_check_bad_line_fails_at_the_end():
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="Có 1 dòng không hợp lệ"):
        call_command(
            "workdays",
            "check",
            stdin=io.StringIO("31/12/2025\n2025-12-31\n"),
            stdout=out,
            stderr=err,
        )
    assert out.getvalue().splitlines() == ["2025-12-31 working"]
    assert "dòng 1: ngày không hợp lệ '31/12/2025'" in err.getvalue()


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        ("2025-01-24T09:00", "5d", "2025-02-07T09:00:00+07:00"),
        ("2025-01-24T02:00:00+00:00", "5d", "2025-02-07T09:00:00+07:00"),
        ("2025-06-02T10:00", "4h", "2025-06-02T16:00:00+07:00"),
        ("2025-06-02T14:59", "0d", "2025-06-02T17:00:00+07:00"),
        ("2025-06-02T15:01", "0d", "2025-06-03T17:00:00+07:00"),
    ],
)
def test_due(start, duration, expected):
    assert run("due", start, duration)[0].strip() == expected


def test_due_uses_database_overrides():
    CalendarOverride.objects.create(date=date(2025, 6, 3), kind="day_off", name="Thử")
    assert run("due", "2025-06-02T15:01", "0d")[0].strip() == "2025-06-04T17:00:00+07:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2025-13-01", "5d"), "Thời điểm tiếp nhận không hợp lệ"),
        (("2025-01-24T09:00", "5 ngày"), "Thời hạn không hợp lệ"),
    ],
)
def test_due_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run("due", *args)


def test_list_year_shows_swaps_and_overrides():
    CalendarOverride.objects.create(
        date=date(2025, 9, 1), kind="working_day", name="Thử làm việc", reference="TB"
    )
    lines = run("list", "2025")[0].splitlines()
    assert "2025-04-26 T7 working Ngày làm việc bù (cho ngày nghỉ 02/05/2025)" in lines
    assert "2025-05-02 T6 off     Ngày nghỉ (thay cho ngày 26/04/2025)" in lines
    assert "2025-09-02 T3 off     Quốc khánh" in lines
    assert not any(line.startswith("2025-09-01") for line in lines)  # working Monday again
    assert not any(line.startswith("2025-02-01") for line in lines)  # Tết on a Saturday
