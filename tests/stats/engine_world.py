"""Driving the real dossier services for the statistics tests (no hand-made rows)."""

from __future__ import annotations

import datetime as dt

from motcua.dossiers import services as S
from motcua.dossiers.models import Channel
from tests.dossiers.conftest import APPLICANT, World
from tests.helpers import at


def day(d: dt.datetime) -> dt.datetime:
    return d


def received(world: World, when: dt.datetime, *, agency=None, channel=Channel.CITY_PORTAL) -> int:
    """Submitted an hour before ``when`` and received at ``when`` (desk officer of the agency)."""
    agency = agency or world.a
    tag = "a" if agency == world.a else "b"
    d = S.submit(
        by=world.citizen1,
        procedure=world.procedure,
        receiving_agency=agency,
        applicant=APPLICANT,
        channel=channel,
        documents=[S.DocumentInput(name="Tờ khai")],
        now=when - dt.timedelta(hours=1),
    )
    S.receive(d.pk, by=world.users[f"desk_officer_{tag}"], now=when)
    return d.pk


def to_specialist(world: World, pk: int, when: dt.datetime, tag: str = "a") -> None:
    S.hand_over(pk, by=world.users[f"desk_officer_{tag}"], now=when)


def approve(world: World, pk: int, when: dt.datetime, tag: str = "a") -> None:
    """Specialist → leader → approved, all at ``when``."""
    S.hand_over(pk, by=world.users[f"specialist_{tag}"], now=when)
    S.approve(pk, by=world.users[f"leader_{tag}"], result_documents=["Kết quả"], now=when)


def submitted_only(world: World, when: dt.datetime) -> int:
    d = S.submit(
        by=world.citizen1,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        channel=Channel.CITY_PORTAL,
        documents=[S.DocumentInput(name="Tờ khai")],
        now=when,
    )
    return d.pk


__all__ = ["approve", "at", "received", "submitted_only", "to_specialist"]
