"""Desk fixtures: the engine's two-agency world, with a checklist on its procedure."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.test import Client
from django.utils import timezone

from motcua.catalog.models import RequiredDocument
from motcua.dossiers import services as S
from tests.dossiers.conftest import APPLICANT, World, at, make_world

__all__ = ["APPLICANT", "at", "complete_documents", "login", "make_png", "new_dossier"]


def make_png(width: int = 60, height: int = 40) -> bytes:
    """A real (decodable) greyscale PNG with horizontal 'text' lines, like a scanned page."""
    rows = b"".join(
        b"\x00"
        + bytes(60 if (y % 8 in (3, 4) and 6 < x < width - 6) else 240 for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = make_world()
    RequiredDocument.objects.create(
        procedure=w.procedure, order=1, name="Tờ khai đăng ký lại khai sinh", originals=1
    )
    RequiredDocument.objects.create(
        procedure=w.procedure, order=2, name="Bản sao giấy tờ tùy thân", originals=0, copies=1
    )
    return w


def complete_documents(procedure) -> list[S.DocumentInput]:
    """Every document of the procedure's checklist (a complete dossier can be received)."""
    return [
        S.DocumentInput(name=doc.name, required_document_id=doc.pk, originals=doc.originals)
        for doc in procedure.required_documents.order_by("order")
    ]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_dossier(world: World, *, agency=None, state: str = "received", when=None, **kw):
    """A dossier at ``agency`` (default A), driven through the services to ``state``."""
    agency = agency or world.a
    tag = "a" if agency == world.a else "b"
    desk = world.users[f"desk_officer_{tag}"]
    when = when or timezone.now()
    procedure = kw.pop("procedure", world.procedure)
    d = S.submit(
        by=world.citizen1,
        procedure=procedure,
        receiving_agency=agency,
        applicant=kw.pop("applicant", APPLICANT),
        documents=complete_documents(procedure),
        now=when,
    )
    if state == "registered":
        return d
    d = S.receive(d.pk, by=desk, now=when)
    if state == "in_process":
        d = S.hand_over(d.pk, by=desk, now=when)
    return d
