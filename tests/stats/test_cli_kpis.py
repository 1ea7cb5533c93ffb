"""``motcua stats kpis``: JSON, CSV and xlsx of the §2 figures; clear errors, never a traceback."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.stats.dash_world import make_dash


@pytest.fixture
def dash(db, settings):
    settings.STATS_DESK_CACHE_SECONDS = 0  # each test its own figures
    settings.STATS_PUBLIC_CACHE_SECONDS = 0
    return make_dash()


def _run(*args) -> str:
    out = io.StringIO()
    call_command("stats", "kpis", *args, stdout=out)
    return out.getvalue()


def test_json_for_a_unit_with_and_without_its_subtree(dash):
    w = dash.w
    args = ["--agency", w.district.code, "--from", "2025-03-01", "--to", "2025-03-31"]
    own = json.loads(_run(*args, "--format", "json"))
    assert own["subtree"] is False and own["figures"]["received"] == 0
    pooled = json.loads(_run(*args, "--subtree", "--format", "json"))
    f = pooled["figures"]
    assert f["received"] == 3 and f["settled_early"] == 1 and f["in_progress_overdue"] == 2
    assert f["on_time_rate_pct"] == "100.00" and f["online_share_pct"] == "33.33"
    assert {r["key"] for r in pooled["rows"]} == {w.a.code, w.b.code}


def test_csv_and_xlsx(dash, tmp_path):
    w = dash.w
    args = ["--agency", w.province.code, "--subtree", "--from", "2025-03-01", "--to", "2025-03-31"]
    text = _run(*args, "--format", "csv")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert (
        rows[0][2] == "Tiếp nhận - Trong kỳ" and rows[-1][1] == "Tổng cộng" and rows[-1][2] == "3"
    )
    out = tmp_path / "kpis.xlsx"
    assert "Đã ghi" in _run(*args, "--format", "xlsx", "--output", str(out))
    ws = load_workbook(out).active
    assert any(c.value == "Tổng cộng" for row in ws.iter_rows() for c in row)
    csv_file = tmp_path / "kpis.csv"
    _run(*args, "--format", "csv", "--output", str(csv_file))
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "NOPE", "--from", "2025-03-01", "--to", "2025-03-31"], "cơ quan"),
        (["--agency", "000.00.00.H13", "--from", "2025-13-01", "--to", "2025-03-31"], "Ngày"),
        (["--agency", "000.00.00.H13", "--from", "2025-03-31", "--to", "2025-03-01"], "Ngày"),
        (
            ["--agency", "000.00.00.H13", "--from", "2025-03-01", "--to", "2025-03-31",
             "--format", "xlsx"],
            "--output",
        ),
    ],
)  # fmt: skip
def test_errors_are_clear(dash, args, message):
    with pytest.raises(CommandError) as caught:
        _run(*args)
    assert message in str(caught.value)
