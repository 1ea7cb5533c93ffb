"""Portal fixtures: the dossier engine's two-agency world, with its procedure opened for
online submission at commune A (two required documents, one of them optional)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import RequiredDocument
from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import APPLICANT, World, make_world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def pdf_upload(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def exe_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("to-khai.pdf", EXE, content_type="application/pdf")


def open_online(world: World) -> World:
    p = world.procedure
    p.online_mode = "full"
    p.legal_basis = "Luật Hộ tịch 2014"
    p.save()
    p.implementing_agencies.add(world.a)
    RequiredDocument.objects.create(procedure=p, order=1, name="Tờ khai đăng ký lại khai sinh")
    RequiredDocument.objects.create(
        procedure=p, order=2, name="Bản sao giấy tờ tùy thân", mandatory=False, copies=1
    )
    return world


@pytest.fixture
def world(db) -> World:
    return open_online(make_world())


def dossier_for(world: World, user=None, **kw) -> Dossier:
    return S.submit(
        by=user or world.citizen1,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=kw.pop("applicant", APPLICANT),
        documents=[
            S.DocumentInput(name=doc.name, required_document_id=doc.pk)
            for doc in world.procedure.required_documents.filter(mandatory=True)
        ],
        **kw,
    )
