"""``motcua sign verify``: the committed sample verifies offline; a tampered copy, a file that
is not a PDF and an unknown root fail with the documented exit statuses."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SAMPLES = Path(__file__).resolve().parents[2] / "docs/signed-samples"
SAMPLE, ROOT = SAMPLES / "ket-qua-mau.pdf", SAMPLES / "test-ca-root.pem"


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("sign", "verify", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_committed_sample_verifies_offline_as_json(db):
    """B-LT: the sample's services stopped long ago; the embedded data is enough."""
    code, out = _run(str(SAMPLE), "--trust", str(ROOT), "--format", "json")
    assert code == 0, out
    report = json.loads(out)
    assert report["ok"] and report["integrity"] == "intact"
    assert [s["signer"] for s in report["signatures"]] == [
        "Nguyễn Văn Lãnh Đạo",
        "Sở Tư pháp thành phố Cần Thơ",
    ]
    assert all(
        s["level"] == "PAdES B-LT" and s["revocation"] == "good" for s in report["signatures"]
    )
    assert report["record"] is None


def test_table_format(db):
    code, out = _run(str(SAMPLE), "--trust", str(ROOT))
    assert code == 0
    assert "VALID  integrity: intact" in out
    assert "Nguyễn Văn Lãnh Đạo -> motcua Test Issuing CA -> motcua Test Root CA" in out


def test_tampered_copy_exits_1(db, tmp_path):
    data = bytearray(SAMPLE.read_bytes())
    data[data.index(b"stream") + 40] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    code, out = _run(str(tampered), "--trust", str(ROOT))
    assert code == 1 and "integrity: modified" in out


def test_without_the_root_it_is_not_trusted(db):
    code, out = _run(str(SAMPLE))
    assert code == 1 and "trusted: no" in out


@pytest.mark.parametrize("content", [b"", b"plain text"])
def test_not_a_pdf_exits_2(db, tmp_path, content):
    f = tmp_path / "x.pdf"
    f.write_bytes(content)
    assert _run(str(f))[0] == 2


def test_missing_file_exits_2(db, tmp_path):
    assert _run(str(tmp_path / "nothing.pdf"))[0] == 2
