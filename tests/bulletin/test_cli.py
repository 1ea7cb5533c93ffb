"""``motcua report bulletin|ministry``: real files with the figures in them; bad input is a
Vietnamese/English message and exit status 2, never a traceback."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.reform import services as reform_services


def _report(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _pdf_text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


@pytest.fixture
def plan(world):
    """A city plan of 2021 with one objective and two tasks, one of them cancelled."""
    import datetime as dt

    from motcua.reform.rules import Area

    plan = reform_services.create_plan(
        by=world.office,
        year_=2021,
        agency=world.city,
        decision_number="164/KH-UBND",
        decision_date=dt.date(2020, 12, 25),
        title="Kế hoạch CCHC năm 2021",
    )
    objective = reform_services.add_objective(
        by=world.office, plan_id=plan.pk, area=Area.DIRECTION, title="Tuyên truyền"
    )
    for content in ("Hội thi", "Tọa đàm"):
        task = reform_services.add_task(
            by=world.office, objective_id=objective.pk, content=content, lead_agency=world.home
        )
    reform_services.cancel_task(
        by=world.office, task_id=task.pk, reference="1234/UBND-NC", reason="COVID-19"
    )
    return plan


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_the_bulletin_file_holds_the_figures(world, fake_registers, plan, tmp_path, fmt):
    out = tmp_path / f"b.{fmt}"
    log = _report(
        "bulletin",
        "--from",
        "2021-01-01",
        "--to",
        "2021-09-30",
        "--format",
        fmt,
        "--output",
        str(out),
    )
    assert "Đã ghi" in log and "registers.training.classes" in log  # the missing ones listed
    text = {
        "html": lambda p: re.sub(r"<[^>]+>", "", p.read_text()),
        "pdf": _pdf_text,
        "docx": _docx_text,
    }[fmt](out)
    assert "1. Công tác chỉ đạo, điều hành" in text
    assert "2.114" in text and "534" in text  # the fake registers' figures
    assert "không thực hiện 1 nhiệm vụ" in text  # reform.plan.tasks_cancelled, from the plan
    assert "—" in text  # missing figures print a dash


def test_the_bulletin_in_english(world, fake_registers, tmp_path):
    out = tmp_path / "b.html"
    _report(
        "bulletin", "--from", "2021-01-01", "--to", "2021-09-30", "--format", "html",
        "--output", str(out), "--language", "en",
    )  # fmt: skip
    text = out.read_text()
    assert "Institutional reform" in text and "2,114" in text


def test_an_agency_scope(world, fake_registers, tmp_path):
    out = tmp_path / "b.html"
    _report(
        "bulletin", "--from", "2021-01-01", "--to", "2021-09-30", "--agency", world.justice.code,
        "--format", "html", "--output", str(out),
    )  # fmt: skip
    assert "Sở Tư pháp" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2021-02-30", "--to", "2021-09-30"], "không hợp lệ"),
        (["--from", "2021-09-30", "--to", "2021-01-01"], "start date must not be after"),
        (["--from", "2021-01-01", "--to", "2021-09-30", "--agency", "KHONG.CO"], "no agency"),
    ],
)
def test_bad_input_exits_2_with_a_bilingual_message(world, tmp_path, args, message):
    with pytest.raises(CommandError, match=message) as exc:
        _report("bulletin", *args, "--format", "html", "--output", str(tmp_path / "b.html"))
    assert exc.value.returncode == 2
    assert not (tmp_path / "b.html").exists()


def test_an_unwritable_output_is_refused_before_rendering(world, tmp_path):
    for target in (tmp_path / "no" / "such" / "dir.pdf", tmp_path):
        with pytest.raises(CommandError, match="cannot write") as exc:
            _report(
                "bulletin", "--from", "2021-01-01", "--to", "2021-09-30", "--format", "pdf",
                "--output", str(target),
            )  # fmt: skip
        assert exc.value.returncode == 2


def test_the_command_line_exits_2(world, tmp_path):
    """Through the real entry point: a message on stderr, status 2, no traceback."""
    import os
    import subprocess
    import sys

    # A fresh clone has no var/secret_key: the process gets its key as production would.
    env = {**os.environ, "SECRET_KEY": "bulletin-cli-test"}
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "report", "bulletin", "--from", "x", "--to", "y",
         "--format", "html", "--output", str(tmp_path / "b.html")],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert result.returncode == 2
    assert "không hợp lệ" in result.stderr and "Traceback" not in result.stderr


def test_the_ministry_report_has_the_outline_and_the_data_annex(
    world, fake_registers, plan, tmp_path
):
    docx = tmp_path / "r.docx"
    _report("ministry", "--period", "2021-BC-Q3", "--format", "docx", "--output", str(docx))
    text = _docx_text(docx)
    assert "Báo cáo công tác cải cách hành chính — Báo cáo quý III/2021" in text
    assert "(15/06/2021 – 14/09/2021)" in text
    assert "Kính gửi: Bộ Nội vụ" in text
    assert "Phụ lục: số liệu và nguồn số liệu" in text
    assert "Tồn tại, hạn chế và nguyên nhân" in text
    assert "sổ đăng ký thử" in text  # the annex names each figure's source
    xlsx = tmp_path / "r.xlsx"
    _report("ministry", "--period", "2021-BC-6T", "--format", "xlsx", "--output", str(xlsx))
    wb = load_workbook(xlsx)
    annex = wb["Phụ lục số liệu"]
    rows = {r[0]: r for r in annex.iter_rows(min_row=4, values_only=True)}
    assert rows["registers.meetings.total"][2] == 534
    assert rows["registers.meetings.total"][5] == "sổ đăng ký thử"
    assert rows["registers.training.classes"][2] is None
    assert rows["reform.plan.tasks_cancelled"][2] == 1
    assert "Đề cương" in wb.sheetnames
    pdf = tmp_path / "r.pdf"
    _report("ministry", "--period", "2021-Q1", "--format", "pdf", "--output", str(pdf))
    assert "Bộ Nội vụ" in _pdf_text(pdf)


def test_a_bad_ministry_period_exits_2(world, tmp_path):
    with pytest.raises(CommandError, match="không hợp lệ") as exc:
        _report(
            "ministry",
            "--period",
            "2021-BC-Q9",
            "--format",
            "docx",
            "--output",
            str(tmp_path / "r.docx"),
        )
    assert exc.value.returncode == 2
