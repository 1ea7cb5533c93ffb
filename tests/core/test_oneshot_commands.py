"""One-shot commands (core.management.base.OneShotCommand) start without Django's system
checks, which import the URL configuration and the REST API; ``motcua check`` still runs them."""

from __future__ import annotations

import pytest

from tests.migrated import run_motcua

API = "motcua.api"  # the REST API and its schema: most of the checks' time


def _imported(stderr: str) -> set[str]:
    # PYTHONPROFILEIMPORTTIME: "import time: self | cumulative | module" per import, on stderr
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if "|" in line}


@pytest.mark.parametrize(
    "args",
    [("media", "check", "--format=json"), ("workdays", "due", "2026-02-13T08:00:00+07:00", "5d")],
)
def test_a_one_shot_command_does_not_load_the_web_layer(
    migrated_sqlite, tmp_path, monkeypatch, args
):
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")
    done = run_motcua(migrated_sqlite, *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert API not in _imported(done.stderr)


def test_motcua_check_still_runs_the_system_checks(migrated_sqlite, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")
    done = run_motcua(migrated_sqlite, "check", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert API in _imported(done.stderr)
