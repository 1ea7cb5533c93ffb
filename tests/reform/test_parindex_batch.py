"""Scoring several sub-criteria at once (``self_assess_many``, ``appraise_many``; the demo
scores whole units this way): the same rows and audit as one call per sub-criterion, all or
none, and a cost that does not grow by a lock, a permission check and a score read per
sub-criterion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Membership, Role
from motcua.core.audit import ChangeEvent
from motcua.reform import index_services
from motcua.reform.index_services import CouncilScore, SelfScore, Upload
from motcua.reform.models import Score
from motcua.reform.rules import Conflict, InvalidInput, NotAllowed
from tests.reform import test_parindex_services as base

JAN, PDF, _a = base.JAN, base.PDF, base._a
setup = base.setup  # the fixture: two units, their officers, the council

SENT = dt.datetime(2021, 1, 12, 9, tzinfo=dt.UTC)
CLAIMS = [
    SelfScore("1.1.1", D(2), "Đã làm", Upload("kc.pdf", PDF), 2),
    SelfScore("1.1.2", D(3), "Đã làm", Upload("kc.pdf", PDF), 2),
    SelfScore("1.1.3", D(0), "Đã làm"),
]


def _rows(a):
    scores = Score.objects.filter(assessment=a).select_related("sub").order_by("sub__code")
    events = ChangeEvent.objects.filter(
        action="reform.parindex.score", object_id__in=[str(s.pk) for s in scores]
    ).order_by("pk")
    return (
        [
            (
                s.sub.code,
                s.self_points,
                s.self_note,
                s.evidence_name,
                s.evidence_sha256,
                s.evidence_page,
                bool(s.evidence),
                s.council_points,
                s.council_note,
            )
            for s in scores
        ],
        [
            (int(e.object_id) - scores[0].pk, e.actor_id, e.summary, e.data["why"], e.data)
            for e in events
        ],
    )


def test_a_batch_writes_what_one_call_per_sub_criterion_writes(setup):
    w = setup
    one_by_one, batch = _a(w, w.justice), _a(w, w.ict)
    # the same actor on both sides: the leader leads both units
    Membership.objects.create(user=w.leader, role=Role.LEADER, agency=w.ict)
    for c in CLAIMS:
        index_services.self_assess(
            by=w.leader,
            assessment_id=one_by_one.pk,
            code=c.code,
            points=c.points,
            note=c.note,
            evidence=c.evidence,
            page=c.page,
            today=JAN,
        )
    made = index_services.self_assess_many(
        by=w.leader, assessment_id=batch.pk, entries=CLAIMS, today=JAN
    )
    assert [s.sub.code for s in made] == ["1.1.1", "1.1.2", "1.1.3"]
    for a in (one_by_one, batch):
        index_services.submit(by=w.leader, assessment_id=a.pk, now=SENT)
    grants = [CouncilScore("1.1.1", D(2)), CouncilScore("1.1.2", D(1), "Thiếu báo cáo")]
    for g in grants:
        index_services.appraise(
            by=w.council, assessment_id=one_by_one.pk, code=g.code, points=g.points, note=g.note
        )
    index_services.appraise_many(by=w.council, assessment_id=batch.pk, entries=grants)
    for a in (one_by_one, batch):
        index_services.finish_appraisal(by=w.council, assessment_id=a.pk)
    assert _rows(batch) == _rows(one_by_one)
    # each evidence its own blob (core/media.py: no blob is shared between rows)
    names = list(Score.objects.exclude(evidence="").values_list("evidence", flat=True))
    assert len(names) == 4 == len(set(names))


def test_a_batch_is_all_or_none(setup, tmp_path):
    w = setup
    a = _a(w, w.justice)
    bad = [*CLAIMS[:2], SelfScore("9.9.9", D(1))]
    with pytest.raises(InvalidInput) as exc:
        index_services.self_assess_many(by=w.leader, assessment_id=a.pk, entries=bad, today=JAN)
    assert exc.value.fields == {"code": "unknown"}
    too_much = [CLAIMS[0], SelfScore("1.1.2", D(40), "x", Upload("kc.pdf", PDF), 1)]
    with pytest.raises(InvalidInput):
        index_services.self_assess_many(
            by=w.leader, assessment_id=a.pk, entries=too_much, today=JAN
        )
    assert not Score.objects.filter(assessment=a, self_points__isnull=False).exists()
    assert not ChangeEvent.objects.filter(action="reform.parindex.score").exists()
    # the blobs stored for the refused batches were removed again
    blobs = tmp_path / "blobs"
    assert not blobs.exists() or not any(p.is_file() for p in blobs.rglob("*"))
    # the checks of a single call hold for a batch
    with pytest.raises(NotAllowed):
        index_services.self_assess_many(
            by=w.ict_officer, assessment_id=a.pk, entries=CLAIMS, today=JAN
        )
    index_services.self_assess_many(by=w.leader, assessment_id=a.pk, entries=CLAIMS, today=JAN)
    index_services.submit(by=w.leader, assessment_id=a.pk, now=SENT)
    with pytest.raises(NotAllowed):  # submitted: the council appraises, not the unit's officer
        index_services.appraise_many(
            by=w.justice_officer, assessment_id=a.pk, entries=[CouncilScore("1.1.1", D(1))]
        )
    with pytest.raises(Conflict):  # a survey sub-criterion is never scored by hand
        index_services.appraise_many(
            by=w.council,
            assessment_id=a.pk,
            entries=[CouncilScore("1.1.1", D(2)), CouncilScore("2.1.1", D(1), "x")],
        )
    assert not Score.objects.filter(assessment=a, council_points__isnull=False).exists()


def test_a_batch_locks_and_checks_once(setup):
    w = setup
    a = _a(w, w.justice)

    def cost(entries) -> int:
        with CaptureQueriesContext(connection) as ctx:
            index_services.self_assess_many(
                by=w.leader, assessment_id=a.pk, entries=entries, today=JAN
            )
        return len(ctx.captured_queries)

    one, three = cost(CLAIMS[:1]), cost(CLAIMS)
    # lock, permission, reads and the audit insert once, however many; one UPDATE per score
    assert three == one + len(CLAIMS) - 1
