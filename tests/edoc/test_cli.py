"""``motcua edxml build|parse|validate FILE``: a JSON description → a signed package → JSON
again; validate's exit status and messages; bad input answered without a traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.edoc.keys import key_for

ROOT = Path(__file__).resolve().parents[2]
A, B = "000.01.21.H13", "000.02.21.H13"

DESCRIPTION = {
    "from": {"organ_id": A, "name": "Ủy ban nhân dân phường Cái Khế"},
    "to": [{"organ_id": B, "name": "Ủy ban nhân dân phường An Hòa"}],
    "code_number": "15",
    "code_notation": "UBND-VP",
    "place": "Cần Thơ",
    "promulgation_date": "2025-03-04",
    "type_name": "Công văn",
    "subject": "Về việc xác minh nơi cư trú",
    "signer": {"name": "Nguyễn Văn An", "position": "Chủ tịch", "competence": "TM."},
    "due_date": "2025-03-14",
    "priority": 2,
    "attachments": [{"path": "cv.pdf", "content_type": "application/pdf"}],
}


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("edxml", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "cv.pdf").write_bytes(b"%PDF-1.4 cli")
    (tmp_path / "doc.json").write_text(json.dumps(DESCRIPTION, ensure_ascii=False))
    key = key_for(A)
    (tmp_path / "key.pem").write_bytes(key.private_key_pem)
    (tmp_path / "cert.pem").write_bytes(key.certificate_pem)
    return tmp_path


def test_build_validate_parse_round_trip(files):
    package = files / "doc.xml"
    run(
        "build",
        str(files / "doc.json"),
        "--output",
        str(package),
        "--key",
        str(files / "key.pem"),
        "--cert",
        str(files / "cert.pem"),
    )
    out, _ = run("validate", str(package))
    assert out.strip() == "valid"
    out, _ = run("parse", str(package), "--verify", str(files / "cert.pem"))
    parsed = json.loads(out)
    assert parsed["kind"] == "document" and parsed["subject"] == DESCRIPTION["subject"]
    assert parsed["to"][0]["organ_id"] == B and parsed["priority"] == 2
    assert parsed["attachments"][0]["size"] == len(b"%PDF-1.4 cli")
    assert parsed["document_id"] == f"{A},2025/03/04,15/UBND-VP"


def test_status_package_from_the_command_line(files):
    (files / "status.json").write_text(
        json.dumps(
            {
                "status": "02",
                "description": "Không đúng thẩm quyền",
                "timestamp": "2025-03-04T10:00:00",
                "from": {"organ_id": B},
                "response_for": {
                    "organ_id": A,
                    "code": "15/UBND-VP",
                    "promulgation_date": "2025-03-04",
                    "document_id": f"{A},2025/03/04,15/UBND-VP",
                },
            },
            ensure_ascii=False,
        )
    )
    out, _ = run("build", str(files / "status.json"))
    (files / "status.xml").write_text(out, encoding="utf-8")
    parsed = json.loads(run("parse", str(files / "status.xml"))[0])
    assert parsed["kind"] == "status" and parsed["status"] == "02"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"to": []}, "'to'"),
        ({"promulgation_date": "04/03/2025"}, "promulgation_date"),
        ({"subject": None}, "subject"),
        ({"from": {"organ_id": "H13"}}, "OrganId"),
        ({"attachments": [{"path": "missing.pdf"}]}, "missing.pdf"),
    ],
)
def test_bad_descriptions_are_refused_clearly(files, change, message):
    (files / "bad.json").write_text(json.dumps({**DESCRIPTION, **change}))
    with pytest.raises(CommandError) as exc:
        run("build", str(files / "bad.json"))
    assert message in str(exc.value)


def test_validate_lists_the_schema_errors(files):
    out, _ = run("build", str(files / "doc.json"))
    bad = out.replace("<edXML:CodeNumber>15<", "<edXML:CodeNumber>123456789012<").replace(
        "<edXML:Priority>2<", "<edXML:Priority>9<"
    )
    (files / "bad.xml").write_text(bad, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("edxml", "validate", str(files / "bad.xml"), stdout=io.StringIO(), stderr=err)
    assert "2 lỗi" in str(exc.value)
    assert "CodeNumber" in err.getvalue() and "Priority" in err.getvalue()
    for junk in (b"", b"not xml", b"<a/>"):
        (files / "junk.xml").write_bytes(junk)
        with pytest.raises(CommandError):
            run("validate", str(files / "junk.xml"))
    with pytest.raises(CommandError) as exc:
        run("validate", str(files / "nowhere.xml"))
    assert "Không đọc được" in str(exc.value)


def test_validate_exit_status_of_the_real_command(files):
    out, _ = run("build", str(files / "doc.json"))
    (files / "ok.xml").write_text(out, encoding="utf-8")
    (files / "bad.xml").write_text(
        out.replace("<edXML:Subject>", "<edXML:Subjekt>").replace(
            "</edXML:Subject>", "</edXML:Subjekt>"
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SECRET_KEY", None)

    def motcua(*args):
        return subprocess.run(
            [sys.executable, "-m", "motcua", "edxml", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=files,
            timeout=120,
        )

    good = motcua("validate", "ok.xml")
    assert good.returncode == 0 and good.stdout.strip() == "valid"
    bad = motcua("validate", "bad.xml")
    assert bad.returncode == 1 and "Subjekt" in bad.stderr and "Traceback" not in bad.stderr
