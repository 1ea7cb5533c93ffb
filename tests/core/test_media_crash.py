"""Crash tests for stored files: a real process writing files is killed with SIGKILL at a
controlled moment, then ``motcua media check`` (run as the operator would) must find no row
without its file, collect the orphan (grace period 0), and no dossier's file may sit in a
folder of its own (issue 15 §1; docs/deployment.md, "Stored files").

The children use the project's settings against a database both they and the test see: the
PostgreSQL test database in the PostgreSQL pass, a freshly migrated SQLite file in the SQLite
pass (the SQLite test database lives in memory, out of a child's reach). The moment is chosen
without any hook in the application: either the test holds a lock the child's transaction
needs (the child is stuck inside ``attach`` after its file was written), or the child script
itself keeps its transaction open (or stops right after COMMIT, before the ``on_commit``
clean-up) until the test kills it.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django, io, sys
django.setup()
from tests.portal.conftest import PDF, open_online
from tests.dossiers.conftest import make_world, submit
from motcua.portal import drafts
world = open_online(make_world())
pk = submit(world)
draft = drafts.start(world.citizen1, world.procedure)
drafts.save_applicant(draft, {"kind": "individual", "name": "Nguyễn Thị Hồng Nhung",
    "id_number": "092190001234", "phone": "0901234567",
    "address": "12 Hòa Bình, Cái Khế, Ninh Kiều"}, world.a.pk)
doc = world.procedure.required_documents.get(order=1)
drafts.add_file(draft, document_id=doc.pk, upload=io.BytesIO(PDF), name="to-khai.pdf")
print(pk, draft.key, flush=True)
"""

ATTACH = """
import django, io, sys
django.setup()
from tests.portal.conftest import PDF
from motcua.accounts.models import User
from motcua.dossiers.attachments import attach
a = attach(int(sys.argv[1]), by=User.objects.get(username="citizen1"),
           upload=io.BytesIO(PDF), name="to-khai.pdf")
print(a.file.name, flush=True)
"""

# the portal's submission inside a transaction this script keeps open until it is killed
SUBMIT_HELD = """
import django, sys
django.setup()
from django.db import transaction
from motcua.accounts.models import User
from motcua.portal import drafts
with transaction.atomic():
    dossier = drafts.submit(by=User.objects.get(username="citizen1"), key=sys.argv[1])
    print("submitted", dossier.code, flush=True)
    sys.stdin.readline()
"""

SUBMIT = """
import django, sys
django.setup()
from motcua.accounts.models import User
from motcua.portal import drafts
print(drafts.submit(by=User.objects.get(username="citizen1"), key=sys.argv[1]).code)
"""

# deletes a draft; the first on_commit callback (registered before the clean-up's) stops the
# process right after COMMIT, where the SQLite run was killed
DISCARD_COMMITTED = """
import django, sys
django.setup()
from django.db import transaction
from motcua.portal import drafts
from motcua.portal.models import Draft
with transaction.atomic():
    transaction.on_commit(lambda: (print("committed", flush=True), sys.stdin.readline()))
    drafts.discard(Draft.objects.get(key=sys.argv[1]))
"""


@dataclass
class Backend:
    vendor: str
    env: dict[str, str]
    media: Path
    sqlite_path: Path | None

    def run(self, script: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def start(self, script: str, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", script, *args],
            env=self.env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def media_check(self, *args: str) -> tuple[int, dict]:
        done = subprocess.run(
            [sys.executable, "-m", "motcua", "media", "check", "--format=json", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.returncode, json.loads(done.stdout)

    @contextmanager
    def dossier_locked(self, pk: int) -> Iterator[callable]:
        """Hold what ``attach`` needs after writing its file; yields "is a client waiting?"."""
        if self.sqlite_path is not None:
            holder = sqlite3.connect(self.sqlite_path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # the single writer's lock
            try:
                yield lambda: True  # a writer can only wait for it
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            return
        from tests.core.test_lock_timeouts import _raw_connection

        holder = _raw_connection()
        holder.execute("SELECT 1 FROM dossiers_dossier WHERE id = %s FOR UPDATE", [pk])
        probe = _raw_connection()

        def waiting() -> bool:
            row = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            ).fetchone()
            probe.rollback()
            return row[0] > 0

        try:
            yield waiting
        finally:
            holder.rollback()
            holder.close()
            probe.close()


@pytest.fixture
def backend(request, tmp_path, transactional_db) -> Backend:
    env = {**os.environ, "SECRET_KEY": "media-crash-test", "DEBUG": "false"}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", MEDIA_ROOT=str(tmp_path / "media"))
    env["DB_LOCK_TIMEOUT_MS"] = "60000"  # the child waits on the test's lock until killed
    sqlite_path = None
    if connection.vendor == "postgresql":
        from tests.core.test_lock_timeouts import _database_url

        env["DATABASE_URL"] = _database_url()
    else:
        # the session's migrated file (tests/migrated.py), copied for this test
        sqlite_path = request.getfixturevalue("migrated_sqlite")
        env["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    return Backend(connection.vendor, env, tmp_path / "media", sqlite_path)


def _files(media: Path) -> set[str]:
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def _kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL


def _assert_clean_after_gc(backend: Backend, orphan_count: int) -> None:
    # within the default grace period the orphan may still be an in-flight write: kept
    status, report = backend.media_check("--fix")
    assert (status, report["counts"]["recent"], report["removed"]) == (0, orphan_count, [])
    status, report = backend.media_check()
    assert report["counts"]["missing"] == 0
    # past the grace period (zero here) it is an error until --fix collects it
    status, report = backend.media_check("--grace-hours=0")
    assert (status, report["counts"]["orphans"], report["missing"]) == (1, orphan_count, [])
    status, report = backend.media_check("--fix", "--grace-hours=0")
    assert (status, report["counts"]["removed"], report["counts"]["orphans"]) == (
        0,
        orphan_count,
        0,
    )
    status, report = backend.media_check("--grace-hours=0")
    assert status == 0 and report["counts"] == {
        "orphans": 0,
        "recent": 0,
        "missing": 0,
        "removed": 0,
    }


def _no_dossier_folders(backend: Backend) -> None:
    """Every file is a blob with a random name: none lives in a folder named after a dossier,
    a draft or a feedback item, so no orphan can end up beside another applicant's files."""
    for name in _files(backend.media):
        assert name.startswith("blobs/"), name
        assert len(name.split("/")) == 3, name


def test_attach_killed_inside_its_transaction_leaves_no_row_and_a_collectable_blob(backend):
    pk, _key = backend.run(SETUP).split()
    before = _files(backend.media)  # the draft's file
    with backend.dossier_locked(int(pk)) as waiting:
        child = backend.start(ATTACH, pk)
        try:
            deadline = time.monotonic() + 60
            while not (_files(backend.media) - before and waiting()):
                assert child.poll() is None, child.stderr.read()
                assert time.monotonic() < deadline, "the child never wrote its file"
                time.sleep(0.05)
            time.sleep(0.2)
            assert child.poll() is None  # stuck in its transaction, file written
            _kill(child)
        finally:
            if child.poll() is None:
                child.kill()
    written = _files(backend.media) - before
    assert len(written) == 1
    _assert_clean_after_gc(backend, 1)
    assert _files(backend.media) == before

    # the retry stores its own blob; the dossier holds exactly that one
    name = backend.run(ATTACH, pk)
    assert name.startswith("blobs/") and name not in written
    assert _files(backend.media) == before | {name}
    _no_dossier_folders(backend)
    status, report = backend.media_check("--grace-hours=0")
    assert status == 0, report


def test_draft_submission_killed_before_commit_then_retried(backend):
    _pk, key = backend.run(SETUP).split()
    draft_files = _files(backend.media)
    assert len(draft_files) == 1
    child = backend.start(SUBMIT_HELD, key)
    try:
        line = child.stdout.readline()
        assert line.startswith("submitted"), child.stderr.read()
        _kill(child)
    finally:
        if child.poll() is None:
            child.kill()
    # the dossier's copy was written, then rolled back with the dossier; the draft is intact
    assert len(_files(backend.media) - draft_files) == 1
    _assert_clean_after_gc(backend, 1)
    assert _files(backend.media) == draft_files

    code = backend.run(SUBMIT, key)
    assert code
    after = _files(backend.media)
    assert len(after) == 1 and after != draft_files  # the draft's file went after the commit
    _no_dossier_folders(backend)
    status, report = backend.media_check("--grace-hours=0")
    assert status == 0, report


def test_draft_deleted_and_killed_before_the_clean_up_leaves_a_collectable_orphan(backend):
    _pk, key = backend.run(SETUP).split()
    draft_files = _files(backend.media)
    child = backend.start(DISCARD_COMMITTED, key)
    try:
        assert child.stdout.readline().strip() == "committed", child.stderr.read()
        _kill(child)
    finally:
        if child.poll() is None:
            child.kill()
    assert _files(backend.media) == draft_files  # the row is gone, its file is not
    _assert_clean_after_gc(backend, 1)
    assert _files(backend.media) == set()
