"""The demo loader: everything through the services, and a second run changes nothing."""

from __future__ import annotations

from django.core.management import call_command

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import AuditEvent, Dossier
from motcua.dossiers.rules import State
from motcua.feedback.models import FeedbackItem


def counts() -> tuple[int, ...]:
    return (
        Agency.objects.count(),
        Procedure.objects.count(),
        User.objects.count(),
        Dossier.objects.count(),
        AuditEvent.objects.count(),
        FeedbackItem.objects.count(),
    )


def test_demo_is_complete_and_idempotent(db, capsys):
    call_command("demo", dossiers=300, feedback=30)
    first = counts()
    assert first[:2] == (113, 46)
    # every lifecycle state is represented, and every dossier has its submission event
    assert set(Dossier.objects.values_list("state", flat=True)) == {s.value for s in State}
    assert AuditEvent.objects.filter(action="submit").count() == Dossier.objects.count() == 300
    assert FeedbackItem.objects.count() == 30
    out = capsys.readouterr().out
    assert "motcua.caikhe" in out and "congdan" in out
    call_command("demo", dossiers=300, feedback=30)
    assert counts() == first
