"""Issue 9 §3, uploads: the type comes from the content, the stored and served name takes the
detected type's extension, Office files are checked inside, and downloads are served safely
(attachment except PDFs and images, nosniff) on every surface that takes uploads."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.attachments import attach
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.uploads import check_bytes, safe_name
from motcua.feedback import services as FS
from motcua.portal.drafts import DraftFile

from . import office_samples as O
from .conftest import submit

pytestmark = pytest.mark.django_db

POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_pdf_named_html_is_stored_and_served_as_pdf(client, world):
    """Before: ``poly.html`` starting with ``%PDF-`` was served as application/pdf under
    ``poly.html``."""
    pk = submit(world)
    a = attach(pk, by=world.citizen1, upload=io.BytesIO(POLYGLOT), name="poly.html")
    assert a.original_name == "poly.pdf" and a.content_type == "application/pdf"
    code = Dossier.objects.get(pk=pk).code

    client.force_login(world.desk_officer_a)
    r = client.get(f"/desk/dossiers/{code}/files/{a.pk}/")
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'inline; filename="poly.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"

    client.force_login(world.citizen1)
    r = client.get(f"/ho-so/{code}/tep/{a.sha256[:16]}/")
    assert r.status_code == 200 and r["Content-Disposition"] == 'inline; filename="poly.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"


def test_office_files_download_with_their_detected_extension(client, world):
    pk = submit(world)
    a = attach(pk, by=world.citizen1, upload=io.BytesIO(O.docx()), name="to-khai.exe")
    assert a.original_name == "to-khai.docx"
    # a row stored before this fix with a lying name is still served under the right one
    Attachment.objects.filter(pk=a.pk).update(original_name="trap.html")
    client.force_login(world.desk_officer_a)
    code = Dossier.objects.get(pk=pk).code
    r = client.get(f"/desk/dossiers/{code}/files/{a.pk}/")
    assert r["Content-Disposition"] == 'attachment; filename="trap.docx"'
    assert r["X-Content-Type-Options"] == "nosniff"


def test_safe_name_drops_paths_controls_and_the_clients_extension():
    assert safe_name("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert safe_name('a"b\r\n.html', "image/png") == "a_b.png"
    assert safe_name("", "image/jpeg") == "tep.jpg"
    assert safe_name("Tờ khai.PDF", "application/pdf") == "Tờ khai.pdf"


def _zip(entries: dict[str, bytes | str]) -> bytes:
    return O.package(entries)


HOSTILE = {
    # before: any ZIP with [Content_Types].xml and a word/ folder was accepted as DOCX
    "exe_beside_word": _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/x.xml": "<x/>",
            "payload.exe": b"MZ\x90\x00",
        }
    ),
    "exe_inside_word": O.docx(**{"word/media/image1.png": b"MZ\x90\x00this is a PE"}),
    "exe_extension": O.docx(**{"word/payload.exe": b"hello"}),
    "macros": O.docx(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
    "macro_enabled_type": _zip(
        {
            **O.docx_entries(),
            "[Content_Types].xml": O.content_types(
                "word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"
            ),
        }
    ),
    "unexpected_top_level": O.docx(**{"scripts/run.sh": "#!/bin/sh"}),
    "path_traversal": O.docx(**{"word/../../evil.xml": "<x/>"}),
    "no_main_part_declared": _zip({**O.docx_entries(), "[Content_Types].xml": "<Types/>"}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_office_packages_are_refused(world, name):
    pk = submit(world)
    with pytest.raises(InvalidInput) as err:
        attach(pk, by=world.citizen1, upload=io.BytesIO(HOSTILE[name]), name="don.docx")
    assert err.value.fields["file"] in ("bad_type", "bad_content")
    assert not Attachment.objects.exists()


def test_a_zip_bomb_is_refused(settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024 * 1024
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in O.docx_entries().items():
            z.writestr(name, data)
        z.writestr("word/media/huge.png", b"\x00" * (60 * 1024 * 1024))  # ~60 KB packed
    data = buf.getvalue()
    assert len(data) < 1024 * 1024
    with pytest.raises(InvalidInput) as err:
        check_bytes(data)
    assert err.value.fields == {"file": "bad_content"}


def test_ordinary_office_files_pass():
    assert check_bytes(O.docx()) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert check_bytes(O.xlsx()) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_portal_drafts_use_the_shared_checker(client, world):
    from motcua.portal import drafts
    from tests.portal.conftest import open_online

    open_online(world)
    draft = drafts.start(world.citizen1, world.procedure)
    item = drafts.add_file(draft, document_id=None, upload=io.BytesIO(POLYGLOT), name="x.html")
    assert DraftFile.objects.get(pk=item.pk).original_name == "x.pdf"
    with pytest.raises(InvalidInput):
        hostile = io.BytesIO(HOSTILE["exe_beside_word"])
        drafts.add_file(draft, document_id=None, upload=hostile, name="a.docx")


def test_feedback_attachments_use_the_shared_checker():
    """Feedback goes through the same checker: a hostile DOCX is refused, names are fixed."""
    from motcua.feedback.rules import InvalidInput as FeedbackInvalid
    from tests.feedback.conftest import make_world, new_item

    make_world()
    with pytest.raises(FeedbackInvalid) as err:
        FS.submit(new_item(files=[FS.Upload("don.docx", HOSTILE["exe_beside_word"])]))
    assert "files" in err.value.fields
    item = FS.submit(new_item(files=[FS.Upload("anh.html", POLYGLOT)]))
    assert item.attachments.get().original_name == "anh.pdf"


def test_upload_forms_refuse_with_a_message_not_a_500(client, world):
    pk = submit(world)
    code = Dossier.objects.get(pk=pk).code
    client.force_login(world.desk_officer_a)
    upload = SimpleUploadedFile("don.docx", HOSTILE["macros"])
    r = client.post(f"/desk/dossiers/{code}/files/", {"file": upload, "purpose": "component"})
    assert r.status_code == 400 and "macro" in r.content.decode()


def test_a_workbook_written_by_openpyxl_passes():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "Lệ phí"
    wb.create_sheet("Phụ lục")["B2"] = 8000
    buf = io.BytesIO()
    wb.save(buf)
    assert check_bytes(buf.getvalue()).endswith("spreadsheetml.sheet")
