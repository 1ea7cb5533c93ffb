"""`motcua <command>` outside `make run` uses the key `make run` generated (issue 9 §1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def _motcua(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE")}
    environ.update(
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{cwd / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="motcua.settings",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_cli_reads_var_secret_key_when_secret_key_is_unset(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("k" * 50 + "\n")
    done = _motcua(tmp_path, "shell", "--no-imports", "-c", PRINT_KEY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "k" * 50


def test_secret_key_wins_over_the_file(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("k" * 50)
    done = _motcua(tmp_path, "shell", "--no-imports", "-c", PRINT_KEY, SECRET_KEY="e" * 50)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "e" * 50


def test_without_key_or_file_the_cli_refuses_to_start(tmp_path):
    done = _motcua(tmp_path, "check")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr
    assert "secret_key" in done.stderr  # says where the file is looked for
