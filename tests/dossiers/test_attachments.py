"""Attachments are checked by content, hashed and stored; only people in scope may add them."""

from __future__ import annotations

import hashlib
import io

import pytest

from motcua.dossiers.attachments import attach
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier

from . import office_samples
from .conftest import submit

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    return office_samples.docx()


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
        (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_accepted_types_by_content(world, settings, tmp_path, data, mime):
    settings.MEDIA_ROOT = tmp_path
    pk = submit(world)
    # the name lies about the type; only the content counts
    a = attach(pk, by=world.citizen1, upload=io.BytesIO(data), name="tờ khai.bin")
    assert a.content_type == mime
    assert a.sha256 == hashlib.sha256(data).hexdigest() and a.size == len(data)
    with a.file.open("rb") as stored:
        assert stored.read() == data


@pytest.mark.parametrize("data", [b"MZ\x90\x00 windows executable", b"<html>", b"PK\x03\x04junk"])
def test_refused_types(world, settings, tmp_path, data):
    settings.MEDIA_ROOT = tmp_path
    pk = submit(world)
    with pytest.raises(InvalidInput) as err:
        attach(pk, by=world.citizen1, upload=io.BytesIO(data), name="giay-to.pdf")
    assert err.value.fields == {"file": "bad_type"}


def test_size_limit_and_empty(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024
    pk = submit(world)
    with pytest.raises(InvalidInput, match="quá lớn"):
        attach(pk, by=world.citizen1, upload=io.BytesIO(PDF + b"0" * 2000), name="a.pdf")
    with pytest.raises(InvalidInput, match="rỗng"):
        attach(pk, by=world.citizen1, upload=io.BytesIO(b""), name="a.pdf")


def test_only_people_in_scope_may_attach(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pk = submit(world)
    for outsider in (world.citizen2, world.desk_officer_b):
        with pytest.raises(NotAllowed):
            attach(pk, by=outsider, upload=io.BytesIO(PDF), name="a.pdf")
    assert attach(pk, by=world.desk_officer_a, upload=io.BytesIO(PDF), name="a.pdf").pk


def test_upload_for_a_component_marks_it_digitised(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pk = submit(world)
    doc = Dossier.objects.get(pk=pk).documents.get()
    assert not doc.digitised
    attach(pk, by=world.citizen1, upload=io.BytesIO(PDF), name="a.pdf", document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.digitised
