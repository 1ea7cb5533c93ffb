"""Counter intake (``receive_at_desk``) writes what ``submit`` then ``receive`` write."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from motcua.dossiers import services as S
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier, IssuedForm

from .conftest import APPLICANT, at
from .test_permissions import DESK_A, EVERYONE

WHEN = at(2025, 1, 24, 9)  # Friday before Tết 2025: the due date crosses the holiday
DOCS = [S.DocumentInput(name="Tờ khai đăng ký lại khai sinh", copies=1)]
# columns that differ between any two dossiers
IDENTITY = {"id", "code", "created_at", "updated_at"}


def _two_step(world) -> Dossier:
    d = S.submit(
        by=world.desk_officer_a,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        documents=DOCS,
        channel="desk",
        now=WHEN,
    )
    return S.receive(d.pk, by=world.desk_officer_a, now=WHEN)


def _at_desk(world, by=None, **kw) -> Dossier:
    return S.receive_at_desk(
        by=by or world.desk_officer_a,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        documents=DOCS,
        now=WHEN,
        **kw,
    )


def _rows(d: Dossier) -> dict:
    d = Dossier.objects.get(pk=d.pk)
    skip = {"id", "dossier", "form"}

    def plain(objs, drop=()):
        return [
            {k: v for k, v in model_to_dict(o).items() if k not in skip | set(drop)} for o in objs
        ]

    forms = list(d.forms.order_by("pk"))
    snapshots = [
        {**f.snapshot, "number": "", "dossier": {**f.snapshot["dossier"], "code": "", "log": None}}
        for f in forms
    ]
    return {
        "dossier": {k: v for k, v in model_to_dict(d).items() if k not in IDENTITY},
        "documents": plain(d.documents.order_by("pk")),
        "fees": plain(d.fees.order_by("pk")),
        "steps": plain(d.steps.order_by("order")),
        "forms": plain(forms, drop=("number", "snapshot")),
        "snapshots": snapshots,
        "events": plain(d.events.order_by("at", "pk")),
    }


def test_same_rows_as_submit_then_receive(world):
    two_step = _rows(_two_step(world))
    at_desk = _rows(_at_desk(world))
    assert at_desk == two_step
    assert [e["action"] for e in at_desk["events"]] == ["submit", "receive"]
    assert at_desk["dossier"]["state"] == "received"
    assert at_desk["dossier"]["version"] == 2
    assert len(at_desk["steps"]) == 4


def test_form_01_and_codes_are_numbered_in_sequence(world):
    first, second = _two_step(world), _at_desk(world)
    assert second.code.rsplit("-", 1)[1] == "0002"
    numbers = list(IssuedForm.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == ["01/GTN-BPMC", "02/GTN-BPMC"]
    assert first.code != second.code


@pytest.mark.parametrize("name", EVERYONE)
def test_only_the_receiving_desk_and_its_admins(world, name):
    user = world.users[name]
    before = (Dossier.objects.count(), AuditEvent.objects.count(), IssuedForm.objects.count())
    if name in DESK_A:
        assert _at_desk(world, by=user).state == "received"
    else:
        with pytest.raises(NotAllowed):
            _at_desk(world, by=user)
        after = (Dossier.objects.count(), AuditEvent.objects.count(), IssuedForm.objects.count())
        assert after == before


def test_bad_input_writes_nothing(world):
    bad = S.ApplicantData(name="", id_number="123")
    with pytest.raises(InvalidInput) as exc:
        S.receive_at_desk(
            by=world.desk_officer_a,
            procedure=world.procedure,
            receiving_agency=world.a,
            applicant=bad,
            now=WHEN,
        )
    assert "applicant.id_number" in exc.value.fields
    assert not Dossier.objects.exists()
