"""Expiry warnings: the ``expiring(within_days)`` query and ``motcua certificates expiring``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from motcua.certificates import queries, services
from motcua.certificates.rules import Kind
from tests.certificates.conftest import add


@pytest.fixture
def dated(world):
    today = timezone.localdate()

    def cert(serial, days_left, agency=world.justice, **kw):
        return add(
            agency,
            serial,
            valid_from=today - dt.timedelta(days=400),
            valid_to=today + dt.timedelta(days=days_left),
            **kw,
        )

    made = {
        "today": cert("a0", 0),
        "in10": cert("a10", 10, holder_name="Mười Ngày"),
        "in30": cert("a30", 30, agency=world.notary),
        "in31": cert("a31", 31),
        "gone": cert("b1", -1),
        "health": cert("a5", 5, agency=world.health),
    }
    revoked = cert("a7", 7)
    services.revoke(world.office, revoked.pk, on=today, reason="x")
    return today, made


def test_expiring_within_n_days(dated):
    today, made = dated
    found = list(queries.expiring(30, today=today))
    assert found == [made["today"], made["health"], made["in10"], made["in30"]]
    assert list(queries.expiring(0, today=today)) == [made["today"]]
    assert list(queries.expiring(-5, today=today)) == [made["today"]]  # clamped, not an error
    assert len(list(queries.expiring(10**12, today=today))) == 5


def test_cli_json_and_table(dated, capsys, world):
    today, _made = dated
    call_command("certificates", "expiring", "--days", "30", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["today"] == today.isoformat() and out["days"] == 30
    assert [c["serial"] for c in out["certificates"]] == ["a0", "a5", "a10", "a30"]
    assert out["certificates"][2]["days_left"] == 10
    assert out["certificates"][2]["holder"] == "Mười Ngày"
    call_command("certificates", "expiring", "--days", "30", "--agency", world.justice.code)
    table = capsys.readouterr().out
    assert "Mười Ngày" in table and "a5" not in table  # the notary office is under justice
    assert "3 chứng thư số hết hạn trong 30 ngày tới." in table


@pytest.mark.parametrize("days", ["-1", "abc", "9" * 30, "1e3"])
def test_cli_refuses_bad_days_in_vietnamese(dated, days):
    with pytest.raises(CommandError) as refused:
        call_command("certificates", "expiring", "--days", days)
    assert "--days" in str(refused.value) and refused.value.returncode == 2


def test_cli_unknown_agency(dated):
    with pytest.raises(CommandError, match="Không có cơ quan"):
        call_command("certificates", "expiring", "--agency", "nope")


def test_cli_import_dry_run_then_import(world, tmp_path, capsys):
    from tests.certificates.conftest import row, xlsx

    path = tmp_path / "cts.xlsx"
    path.write_bytes(xlsx([row(1, "cc01", kind="Tổ chức")]))
    call_command("certificates", "import", str(path), "--dry-run")
    assert "Kiểm tra xong (không ghi): 1 dòng hợp lệ — 1 chứng thư mới" in capsys.readouterr().out
    from motcua.certificates.models import Certificate

    assert not Certificate.objects.exists()
    call_command("certificates", "import", str(path))
    assert Certificate.objects.get().kind == Kind.ORGANISATION
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([row(1, "zz!")]))
    with pytest.raises(CommandError, match="Dòng 3, cột “Số hiệu chứng thư”"):
        call_command("certificates", "import", str(bad))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("certificates", "import", str(tmp_path / "none.xlsx"))
