"""A merger moves open dossiers to the successor; finished ones keep their history."""

from __future__ import annotations

import datetime as dt

from motcua.agencies.models import Agency
from motcua.agencies.services import merge_agencies
from motcua.dossiers import services as S
from motcua.dossiers.models import AuditEvent, Dossier

from .conftest import at, submit


def test_merger_moves_open_dossiers_only(world):
    open_pk = submit(world)
    S.receive(open_pk, by=world.root, now=at(2025, 1, 24, 9))
    done_pk = submit(world)
    S.withdraw(done_pk, by=world.citizen1)
    new = Agency.objects.create(
        code="000.05.21.H13",
        name_vi="Ủy ban nhân dân phường Tân An",
        level="commune",
        parent=world.district,
        valid_from=dt.date(2025, 7, 1),
    )
    merge_agencies([world.a, world.b], into=new, effective=dt.date(2025, 7, 1), actor=world.root)
    moved = Dossier.objects.get(pk=open_pk)
    assert (moved.receiving_agency_id, moved.deciding_agency_id, moved.current_agency_id) == (
        new.pk,
        new.pk,
        new.pk,
    )
    assert moved.steps.filter(finished_at__isnull=True).exclude(agency=new).count() == 0
    event = AuditEvent.objects.filter(dossier_id=open_pk).latest("pk")
    assert event.action == "reassign_agency" and "01/07/2025" in event.reason
    assert Dossier.objects.get(pk=done_pk).receiving_agency_id == world.a.pk
    # the successor's officers now act on the moved dossier; the old agency's officers no longer
    S.hand_over(open_pk, by=world.admin_d, now=at(2025, 7, 2, 9))
