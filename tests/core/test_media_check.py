"""``motcua media check``: orphans and missing files, files stored before the blob layout,
the grace period, and what ``--fix`` may and may not remove (core/media.py)."""

from __future__ import annotations

import io
import json
import os
import time

import pytest
from django.core.management import CommandError, call_command

from motcua.core import media
from motcua.dossiers.attachments import attach
from motcua.dossiers.errors import NotAllowed
from motcua.dossiers.models import Attachment, Dossier
from tests.dossiers.conftest import make_world, submit

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def check(*args: str) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("media", "check", "--format=json", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def _age(path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_attachments_are_blobs_outside_any_dossier_folder(world, tmp_path):
    pk = submit(world)
    code = Dossier.objects.get(pk=pk).code
    first = attach(pk, by=world.citizen1, upload=io.BytesIO(PDF), name="a.pdf")
    again = attach(pk, by=world.citizen1, upload=io.BytesIO(PDF), name="a.pdf")
    # the same content twice: two rows, two blobs (a blob is never shared by two rows)
    assert first.file.name != again.file.name
    for a in (first, again):
        assert a.file.name.startswith("blobs/")
        with a.file.open("rb") as f:
            assert f.read() == PDF
    assert not any(code in p.as_posix() for p in tmp_path.rglob("*"))
    assert not (tmp_path / "staging").exists() or not any((tmp_path / "staging").iterdir())
    status, report = check("--grace-hours=0")
    assert status == 0 and report["counts"]["orphans"] == 0


def test_a_refused_attach_leaves_no_file(world, tmp_path):
    pk = submit(world)
    with pytest.raises(NotAllowed):
        attach(pk, by=world.citizen2, upload=io.BytesIO(PDF), name="a.pdf")
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_files_stored_before_the_blob_layout_keep_working(world, tmp_path):
    """Rows keep whatever storage name they were given (``dossiers/%Y/%m/<code>/<sha16>``)."""
    pk = submit(world)
    code = Dossier.objects.get(pk=pk).code
    legacy = tmp_path / "dossiers" / "2025" / "01" / code / "0123456789abcdef"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(PDF)
    a = attach(pk, by=world.citizen1, upload=io.BytesIO(PDF), name="a.pdf")
    blob = a.file.name
    Attachment.objects.filter(pk=a.pk).update(file=legacy.relative_to(tmp_path).as_posix())
    a.refresh_from_db()
    with a.file.open("rb") as f:
        assert f.read() == PDF
    # the blob the row no longer names is an orphan; the legacy file is referenced
    status, report = check("--grace-hours=0")
    assert status == 1
    assert [o["name"] for o in report["orphans"]] == [blob]
    assert report["missing"] == []


def test_orphans_within_the_grace_period_are_kept_older_ones_removed(world, tmp_path, settings):
    settings.MEDIA_ORPHAN_GRACE_HOURS = 1
    young = media.store(PDF)
    old = media.store(PDF)
    _age(tmp_path / old, 2 * 3600)
    status, report = check()
    assert status == 1
    assert [o["name"] for o in report["orphans"]] == [old]
    assert [o["name"] for o in report["recent"]] == [young]
    status, report = check("--fix")
    assert status == 0
    assert [o["name"] for o in report["removed"]] == [old]
    assert not (tmp_path / old).exists() and (tmp_path / young).exists()


def test_a_row_without_its_file_is_reported_never_removed(world, tmp_path):
    pk = submit(world)
    a = attach(pk, by=world.citizen1, upload=io.BytesIO(PDF), name="a.pdf")
    (tmp_path / a.file.name).unlink()
    status, report = check("--fix", "--grace-hours=0")
    assert status == 1
    assert report["missing"] == [
        {"model": "dossiers.Attachment", "pk": a.pk, "field": "file", "name": a.file.name}
    ]
    assert Attachment.objects.filter(pk=a.pk).exists()


def test_table_format_and_exit_status(world, tmp_path):
    orphan = media.store(PDF)
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("media", "check", "--grace-hours=0", stdout=out)
    assert caught.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "orphans: 1  recent: 0  missing: 0  removed: 0"
    assert lines[1].startswith(f"orphan   {orphan}  {len(PDF)} B  ")


def test_draft_uploads_are_blobs_removed_only_after_their_row(
    world, tmp_path, django_capture_on_commit_callbacks
):
    from motcua.portal import drafts
    from tests.portal.conftest import open_online

    open_online(world)
    draft = drafts.start(world.citizen1, world.procedure)
    kept = drafts.add_file(draft, document_id=None, upload=io.BytesIO(PDF), name="a.pdf")
    gone = drafts.add_file(draft, document_id=None, upload=io.BytesIO(PDF), name="b.pdf")
    assert kept.file.name.startswith("blobs/") and draft.key not in kept.file.name
    with django_capture_on_commit_callbacks() as removals:
        assert drafts.remove_file(draft, gone.pk)
    assert (tmp_path / gone.file.name).exists()  # until the deletion commits
    for run in removals:
        run()
    assert not (tmp_path / gone.file.name).exists()
    assert (tmp_path / kept.file.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        drafts.discard(draft)
    assert not (tmp_path / kept.file.name).exists()
    assert check("--grace-hours=0")[0] == 0


def test_a_rolled_back_draft_deletion_keeps_row_and_file(world, tmp_path):
    from django.db import transaction

    from motcua.portal import drafts
    from tests.portal.conftest import open_online

    open_online(world)
    draft = drafts.start(world.citizen1, world.procedure)
    item = drafts.add_file(draft, document_id=None, upload=io.BytesIO(PDF), name="a.pdf")
    with pytest.raises(RuntimeError), transaction.atomic():
        drafts.discard(draft)
        raise RuntimeError("the request failed after the deletion")
    assert (tmp_path / item.file.name).exists()
    assert check("--grace-hours=0")[0] == 0


def test_feedback_attachments_are_blobs(db, settings, tmp_path):
    from motcua.feedback import services as fb
    from tests.feedback.conftest import make_world as feedback_world
    from tests.feedback.conftest import new_item

    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_FEEDBACK_CENTRE_CODE = "000.00.01.H13"
    feedback_world()
    item = fb.submit(new_item(files=[fb.Upload("anh.pdf", PDF)]))
    att = item.attachments.get()
    assert att.file.name.startswith("blobs/") and item.code not in att.file.name
    with att.file.open("rb") as f:
        assert f.read() == PDF
    assert check("--grace-hours=0")[0] == 0
