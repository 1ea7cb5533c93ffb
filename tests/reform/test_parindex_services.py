"""The PAR index workflow through its services: permissions, transitions, audit, survey and
automatic points, results with ranks, bands and last year's comparison."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from motcua.accounts.models import Membership, Role, User
from motcua.core.audit import ChangeEvent
from motcua.reform import index_queries, index_services, index_sources
from motcua.reform.index_rules import Kind, Method, Rule, Status, Tier
from motcua.reform.index_services import (
    AreaSpec,
    CriterionSpec,
    SchemeSpec,
    SubSpec,
    SurveyRow,
    Upload,
)
from motcua.reform.models import Assessment, Score
from motcua.reform.rules import Conflict, InvalidInput, NotAllowed

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JAN = dt.date(2021, 1, 10)


@index_sources.register("test_fixed_ratio", "Tỷ lệ cố định (kiểm thử)")
def _fixed(agency_code: str, start: dt.date, end: dt.date):
    # a real source plugged into the registry as a deployment would (no stats layer needed)
    return {"000.00.11.H13": D("0.8")}.get(agency_code)


def small_spec(year: int = 2020, *, auto: bool = False) -> SchemeSpec:
    subs2 = [
        SubSpec(
            "2.1.1",
            "Khảo sát hài lòng",
            D(4),
            Method.SURVEY,
            Kind.SCORE,
            Rule.RATIO,
            full_at=D("0.8"),
        )
    ]
    if auto:
        subs2.append(
            SubSpec(
                "2.1.2",
                "Hồ sơ đúng hạn",
                D(2),
                Method.AUTO,
                Kind.SCORE,
                Rule.RATIO,
                source="test_fixed_ratio",
            )
        )
    return SchemeSpec(
        year=year,
        tier=Tier.DEPARTMENT,
        name=f"Bộ chỉ số {year}",
        self_deadline=dt.date(2021, 1, 15),
        bonus_cap=D(1),
        penalty_cap=D(1),
        bands=[("Tốt", D(80)), ("Khá", D(70)), ("Yếu", D(0))],
        areas=[
            AreaSpec(
                1,
                "Chỉ đạo, điều hành",
                D(6),
                [
                    CriterionSpec(
                        "1.1",
                        "Kế hoạch",
                        [
                            SubSpec(
                                "1.1.1",
                                "Ban hành kế hoạch",
                                D(2),
                                rule=Rule.LEVELS,
                                levels="1;0.5;0",
                            ),
                            SubSpec("1.1.2", "Hoàn thành kế hoạch", D(4)),
                            SubSpec("1.1.3", "Sáng kiến", D(1), kind=Kind.BONUS),
                        ],
                    )
                ],
            ),
            AreaSpec(2, "Tác động", D(6 if auto else 4), [CriterionSpec("2.1", "Hài lòng", subs2)]),
        ],
    )


@pytest.fixture
def setup(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    leader = User.objects.create_user(username="lanhdao.stp", password="x-Secret-123")
    Membership.objects.create(user=leader, role=Role.LEADER, agency=world.justice)
    council = User.objects.create_user(username="hoidong", password="x-Secret-123")
    Membership.objects.create(user=council, role=Role.SPECIALIST, agency=world.city)
    scheme = index_services.import_scheme(by=world.office, spec=small_spec())
    index_services.appoint_council(by=world.office, scheme_id=scheme.pk, user=council)
    index_services.open_assessments(
        by=world.office, scheme_id=scheme.pk, agencies=[world.justice, world.ict]
    )
    world.leader, world.council, world.scheme = leader, council, scheme
    return world


def _a(w, agency) -> Assessment:
    return Assessment.objects.get(scheme=w.scheme, agency=agency)


def _self_all(w, agency, by, points=("2", "3", "0")):
    a = _a(w, agency)
    for code, p in zip(("1.1.1", "1.1.2", "1.1.3"), points, strict=True):
        index_services.self_assess(
            by=by,
            assessment_id=a.pk,
            code=code,
            points=D(p),
            note="Đã làm",
            evidence=Upload("kc.pdf", PDF) if D(p) else None,
            page=2 if D(p) else None,
            today=JAN,
        )
    return a


def test_the_full_workflow_with_explanation_and_audit(setup):
    w = setup
    a = _self_all(w, w.justice, w.justice_officer)
    score = Score.objects.get(assessment=a, sub__code="1.1.2")
    assert score.evidence.read() == PDF and score.evidence_page == 2
    with pytest.raises(NotAllowed):  # a specialist scores, only a leader sends
        index_services.submit(by=w.justice_officer, assessment_id=a.pk)
    index_services.submit(
        by=w.leader, assessment_id=a.pk, now=dt.datetime(2021, 1, 12, 9, tzinfo=dt.UTC)
    )
    with pytest.raises(Conflict):  # sent: the unit can no longer change its scores
        index_services.self_assess(
            by=w.justice_officer, assessment_id=a.pk, code="1.1.2", points=D(4), today=JAN
        )
    with pytest.raises(InvalidInput) as exc:  # lowering a score needs a reason
        index_services.appraise(by=w.council, assessment_id=a.pk, code="1.1.2", points=D(1))
    assert exc.value.fields == {"note": "required"}
    index_services.appraise(
        by=w.council, assessment_id=a.pk, code="1.1.2", points=D(1), note="Thiếu báo cáo quý IV"
    )
    index_services.finish_appraisal(by=w.council, assessment_id=a.pk)
    index_services.explain(
        by=w.justice_officer,
        assessment_id=a.pk,
        code="1.1.2",
        text="Báo cáo quý IV ở trang 5 của tệp kiểm chứng",
    )
    index_services.submit_explanation(by=w.leader, assessment_id=a.pk)
    index_services.appraise(
        by=w.council, assessment_id=a.pk, code="1.1.2", points=D(3), note="Chấp nhận giải trình"
    )
    index_services.finalise(by=w.council, assessment_id=a.pk)
    scores = {s.sub.code: s for s in Score.objects.filter(assessment=a).select_related("sub")}
    assert scores["1.1.1"].final_points == D(2)  # accepted as self-assessed, then kept
    assert (
        scores["1.1.2"].self_points,
        scores["1.1.2"].council_points,
        scores["1.1.2"].final_points,
    ) == (D(3), D(1), D(3))
    changes = ChangeEvent.objects.filter(
        action="reform.parindex.score", object_id=str(scores["1.1.2"].pk)
    ).order_by("pk")
    assert [
        (e.actor, e.data["why"], e.data["before"]["final"], e.data["after"]["council"])
        for e in changes
    ] == [
        (w.justice_officer, "Đã làm", None, None),
        (w.council, "Thiếu báo cáo quý IV", None, "1.00"),
        (w.council, "Chấp nhận giải trình", None, "1.00"),
    ]
    assert changes.last().data["after"]["final"] == "3.00"
    steps = list(
        ChangeEvent.objects.filter(action="reform.parindex.transition", object_id=str(a.pk))
        .order_by("pk")
        .values_list("data__after", flat=True)
    )
    assert steps == [Status.SUBMITTED, Status.APPRAISED, Status.EXPLAINED, Status.FINAL]


def test_a_unit_scores_only_its_own_assessment(setup):
    w = setup
    a = _a(w, w.justice)
    for outsider in (w.ict_officer, w.office, w.council, w.citizen):
        with pytest.raises(NotAllowed):
            index_services.self_assess(
                by=outsider, assessment_id=a.pk, code="1.1.2", points=D(1), today=JAN
            )
    # an administrator above the unit does not self-assess for it either
    boss = User.objects.create_user(username="tinh", password="x-Secret-123")
    Membership.objects.create(user=boss, role=Role.AGENCY_ADMIN, agency=w.city)
    with pytest.raises(NotAllowed):
        index_services.self_assess(
            by=boss, assessment_id=a.pk, code="1.1.2", points=D(1), today=JAN
        )


def test_only_council_members_appraise_and_only_the_office_publishes(setup):
    w = setup
    a = _self_all(w, w.justice, w.leader)
    index_services.submit(
        by=w.leader, assessment_id=a.pk, now=dt.datetime(2021, 1, 12, tzinfo=dt.UTC)
    )
    for outsider in (w.leader, w.office, w.ict_officer):
        with pytest.raises(NotAllowed):
            index_services.appraise(by=outsider, assessment_id=a.pk, code="1.1.2", points=D(3))
        with pytest.raises(NotAllowed):
            index_services.finish_appraisal(by=outsider, assessment_id=a.pk)
    with pytest.raises(NotAllowed):
        index_services.publish(by=w.council, scheme_id=w.scheme.pk)
    with pytest.raises(Conflict):  # the other unit is not final yet
        index_services.publish(by=w.office, scheme_id=w.scheme.pk)


def test_the_deadline_and_the_evidence_are_enforced(setup):
    w = setup
    a = _a(w, w.justice)
    with pytest.raises(Conflict):
        index_services.self_assess(
            by=w.leader, assessment_id=a.pk, code="1.1.2", points=D(1), today=dt.date(2021, 1, 16)
        )
    index_services.self_assess(
        by=w.leader, assessment_id=a.pk, code="1.1.1", points=D(2), today=JAN
    )
    index_services.self_assess(
        by=w.leader, assessment_id=a.pk, code="1.1.2", points=D(0), today=JAN
    )
    with pytest.raises(InvalidInput) as exc:  # 1.1.1 has points but no evidence
        index_services.submit(
            by=w.leader, assessment_id=a.pk, now=dt.datetime(2021, 1, 12, tzinfo=dt.UTC)
        )
    assert "1.1.1" in exc.value.message
    with pytest.raises(InvalidInput):  # not a PDF/image/office file
        index_services.self_assess(
            by=w.leader,
            assessment_id=a.pk,
            code="1.1.1",
            points=D(2),
            evidence=Upload("x.pdf", b"MZ\x90\x00 not a pdf"),
            page=1,
            today=JAN,
        )
    with pytest.raises(InvalidInput):  # partial = 1, not 1.5
        index_services.self_assess(
            by=w.leader, assessment_id=a.pk, code="1.1.1", points=D("1.5"), today=JAN
        )
    index_services.self_assess(
        by=w.leader,
        assessment_id=a.pk,
        code="1.1.1",
        points=D(2),
        evidence=Upload("kc.pdf", PDF),
        page=4,
        today=JAN,
    )
    late = dt.datetime(2021, 1, 20, tzinfo=dt.UTC)
    with pytest.raises(Conflict):
        index_services.submit(by=w.leader, assessment_id=a.pk, now=late)
    with pytest.raises(NotAllowed):
        index_services.set_deadline(
            by=w.leader, scheme_id=w.scheme.pk, deadline=dt.date(2021, 1, 25), reason="Gia hạn"
        )
    index_services.set_deadline(
        by=w.office,
        scheme_id=w.scheme.pk,
        deadline=dt.date(2021, 1, 25),
        reason="Gia hạn do dịch COVID-19",
    )
    index_services.submit(by=w.leader, assessment_id=a.pk, now=late)
    assert ChangeEvent.objects.filter(action="reform.parindex.deadline").get().data["why"] == (
        "Gia hạn do dịch COVID-19"
    )


def _to_final(w, agency, by, points, survey):
    a = _self_all(w, agency, by, points)
    index_services.submit(by=by, assessment_id=a.pk, now=dt.datetime(2021, 1, 12, tzinfo=dt.UTC))
    index_services.record_survey(
        by=w.office,
        scheme_id=w.scheme.pk,
        rows=[SurveyRow(agency, "2.1.1", D(survey))],
        source="SIPAS 2020",
    )
    index_services.finish_appraisal(by=w.council, assessment_id=a.pk)
    index_services.finalise(by=w.council, assessment_id=a.pk)


def test_results_ranks_bands_sub_indexes_and_last_year(setup):
    w = setup
    ict_leader = User.objects.create_user(username="lanhdao.tttt", password="x-Secret-123")
    Membership.objects.create(user=ict_leader, role=Role.LEADER, agency=w.ict)
    _to_final(w, w.justice, w.leader, ("2", "4", "1"), "0.8")  # 2+4+4 = 10 + bonus 1 → 10/10
    _to_final(w, w.ict, ict_leader, ("1", "3", "0"), "0.6")  # 1+3+3 = 7/10
    assert index_queries.results(w.scheme) == []  # nothing published yet
    assert index_services.publish(by=w.office, scheme_id=w.scheme.pk) == 2
    rows = index_queries.results(w.scheme)
    assert [(r.agency, r.total.index, r.rank, r.band) for r in rows] == [
        (w.justice, D(100), 1, "Tốt"),
        (w.ict, D(70), 2, "Khá"),
    ]
    assert [(x.points, x.maximum, x.index) for x in rows[1].areas] == [
        (D(4), D(6), D("66.67")),
        (D(3), D(4), D(75)),
    ]
    assert rows[0].last_index is None
    with pytest.raises(Conflict):  # published: survey figures can no longer change it
        index_services.record_survey(
            by=w.office,
            scheme_id=w.scheme.pk,
            rows=[SurveyRow(w.ict, "2.1.1", D("0.9"))],
            source="x",
        )
    # next year: a new scheme (the tree may differ), compared with this year
    nxt = index_services.import_scheme(by=w.office, spec=small_spec(2021))
    index_services.appoint_council(by=w.office, scheme_id=nxt.pk, user=w.council)
    index_services.open_assessments(by=w.office, scheme_id=nxt.pk, agencies=[w.justice, w.ict])
    w.scheme = nxt
    _to_final(w, w.justice, w.leader, ("1", "2", "0"), "0.4")  # 1+2+2 = 5/10
    _to_final(w, w.ict, ict_leader, ("2", "4", "0"), "0.8")  # 10/10
    index_services.publish(by=w.office, scheme_id=nxt.pk)
    rows = {r.agency: r for r in index_queries.results(nxt)}
    assert (rows[w.ict].rank, rows[w.ict].last_rank, rows[w.ict].change) == (1, 2, D(30))
    assert (rows[w.justice].last_index, rows[w.justice].change) == (D(100), D(-50))


def test_automatic_points_from_a_named_source_and_versions(setup):
    w = setup
    scheme = index_services.import_scheme(by=w.office, spec=small_spec(auto=True))
    assert scheme.version == 2  # the same year and tier: a new version, the first one stays
    index_services.open_assessments(by=w.office, scheme_id=scheme.pk, agencies=[w.justice, w.ict])
    with pytest.raises(NotAllowed):
        index_services.compute_automatic(
            by=w.leader, scheme_id=scheme.pk, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)
        )
    index_services.compute_automatic(
        by=w.office, scheme_id=scheme.pk, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31)
    )
    points = dict(
        Score.objects.filter(assessment__scheme=scheme, sub__code="2.1.2").values_list(
            "assessment__agency__local_ref", "final_points"
        )
    )
    assert points == {"92.STP": D("1.60"), "92.STTTT": None}  # no figures: left to the council
    event = ChangeEvent.objects.filter(action="reform.parindex.auto").get()
    assert "0.8000" in event.data["why"] and event.actor == w.office
    with pytest.raises(InvalidInput):
        index_services.import_scheme(
            by=w.office,
            spec=SchemeSpec(
                **{
                    **small_spec(auto=True).__dict__,
                    "areas": [
                        AreaSpec(
                            1,
                            "x",
                            D(1),
                            [
                                CriterionSpec(
                                    "1.1",
                                    "x",
                                    [
                                        SubSpec(
                                            "1.1.1",
                                            "x",
                                            D(1),
                                            Method.AUTO,
                                            rule=Rule.RATIO,
                                            source="no_such_source",
                                        )
                                    ],
                                )
                            ],
                        )
                    ],
                }
            ),
        )


def test_only_the_office_imports_schemes(setup):
    with pytest.raises(NotAllowed):
        index_services.import_scheme(by=setup.leader, spec=small_spec(2022))
