"""``motcua backup`` / ``motcua restore``: a database with a dossier, an attachment and a
feedback item round-trips into a fresh database and media root (on SQLite in the first pass,
on PostgreSQL in the second), rows and files equal, the audit trails still append-only."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.db.utils import ConnectionHandler

from motcua.catalog.models import Field, Procedure
from motcua.catalog.services import create_default_workflow
from motcua.dossiers import services as DS
from motcua.dossiers.attachments import attach
from motcua.dossiers.models import Attachment
from motcua.feedback import services as FS
from motcua.feedback.models import FeedbackItem
from tests.dossiers.conftest import APPLICANT
from tests.feedback.conftest import make_world, new_item

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUDITED = ("dossiers_auditevent", "feedback_feedbackevent", "core_changeevent")


def _populate() -> None:
    world = make_world()
    procedure = Procedure.objects.create(
        code="1.004884",
        name_vi="Thủ tục đăng ký lại khai sinh",
        field=Field.objects.create(name_vi="Hộ tịch"),
        at_commune=True,
        processing_amount=5,
        processing_unit="d",
    )
    create_default_workflow(procedure)
    dossier = DS.submit(
        by=world.citizen,
        procedure=procedure,
        receiving_agency=world.commune,
        applicant=APPLICANT,
        documents=[DS.DocumentInput(name="Tờ khai đăng ký lại khai sinh")],
    )
    attach(dossier.pk, by=world.citizen, upload=io.BytesIO(PDF), name="to-khai.pdf")
    FS.submit(new_item(files=[FS.Upload("anh.png", PNG)]))


def _media(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def _tables(conn) -> dict[str, list[tuple]]:
    with conn.cursor() as cursor:
        names = conn.introspection.table_names(cursor)
        result = {}
        for name in names:
            cursor.execute(f'SELECT * FROM "{name}" ORDER BY 1')
            result[name] = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
        return result


def _restore(archive: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "motcua", "restore", str(archive), *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def target(tmp_path):
    """A fresh, empty database beside the test database: (DATABASE_URL, settings dict)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", {**s, "NAME": str(path)}
        return
    name = f"motcua_restore_{os.getpid()}"
    admin = psycopg.connect(
        host=s["HOST"], port=s["PORT"], user=s["USER"], dbname="postgres", autocommit=True
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{name}", {**s, "NAME": name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows_and_files(
    transactional_db, settings, tmp_path, target
):
    settings.MOTCUA_FEEDBACK_CENTRE_CODE = "000.00.01.H13"
    settings.MEDIA_ROOT = str(tmp_path / "media-src")
    _populate()
    assert Attachment.objects.count() == 1
    assert FeedbackItem.objects.get().attachments.count() == 1

    out = io.StringIO()
    call_command("backup", output=f"{tmp_path / 'backups'}{os.sep}", stdout=out)
    (archive,) = (tmp_path / "backups").glob("motcua-backup-*.tar")
    assert out.getvalue().startswith(str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["motcua_version"]
    media_members = [n for n in manifest["files"] if n.startswith("media/")]
    assert len(media_members) == len(_media(Path(settings.MEDIA_ROOT))) >= 2

    url, target_settings = target
    media_dst = tmp_path / "media-dst"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media_dst),
        "SECRET_KEY": "backup-test",
    }
    done = _restore(archive, env)
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout

    # a second restore over it is refused (the database has tables now) ...
    refused = _restore(archive, env)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr
    # ... unless forced
    forced = _restore(archive, env, "--force")
    assert forced.returncode == 0, forced.stderr

    assert _media(media_dst) == _media(Path(settings.MEDIA_ROOT))
    restored = ConnectionHandler({"default": target_settings})["default"]
    try:
        assert _tables(restored) == _tables(connection)
        for attachment in Attachment.objects.all():
            assert (media_dst / attachment.file.name).read_bytes() == PDF
        with restored.cursor() as cursor:
            for table in AUDITED:
                cursor.execute(f"SELECT count(*) FROM {table}")
                if cursor.fetchone()[0] == 0:  # row triggers need a row to refuse
                    assert table == "core_changeevent"
                    continue
                for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
                    with pytest.raises(DatabaseError, match="append-only"):
                        cursor.execute(statement)
    finally:
        restored.close()


def test_restore_refuses_an_archive_whose_checksums_do_not_match(
    transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "a").mkdir(parents=True)
    (tmp_path / "media" / "a" / "x.pdf").write_bytes(PDF)
    archive = tmp_path / "b.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds personal data
    call_command("restore", str(archive), check=True, stdout=io.StringIO())

    data = bytearray(archive.read_bytes())
    at = data.find(PDF)
    data[at + 5] ^= 0xFF  # one flipped byte in the media file's content
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=r"checksum mismatch for media/a/x\.pdf"):
        call_command("restore", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(archive), stdout=io.StringIO())
