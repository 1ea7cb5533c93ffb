"""Services: permissions by agency, audit rows with who/why/before/after, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.models import ChangeEvent
from motcua.reform import queries, services
from motcua.reform.models import Evidence, Task
from motcua.reform.rules import Conflict, InvalidInput, NotAllowed, TaskStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _task(plan, agency) -> Task:
    return plan.tasks.filter(lead_agency=agency).order_by("pk").first()


def test_an_agency_reports_on_its_own_task_with_evidence_and_it_is_audited(
    world, plan, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    task = _task(plan, world.justice)
    services.report_progress(
        by=world.justice_officer,
        task_id=task.pk,
        status=TaskStatus.IN_PROGRESS,
        note="Đã rà soát 40 văn bản",
        files=[services.Upload("bao-cao.pdf", PDF)],
        expected_version=task.version,
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.version == 2
    evidence = Evidence.objects.get(note__task=task)
    assert evidence.content_type == "application/pdf" and evidence.file.read() == PDF
    event = ChangeEvent.objects.filter(action="reform.task.progress").get()
    assert event.actor == world.justice_officer
    assert event.data["why"] == "Đã rà soát 40 văn bản"
    assert event.data["before"]["status"] == "not_started"
    assert event.data["after"]["status"] == "in_progress"
    assert [e.action for e in queries.task_history(task)] == [
        "reform.task.create",
        "reform.task.progress",
    ]


def test_an_agency_officer_cannot_report_on_another_agencys_task(world, plan):
    task = _task(plan, world.ict)
    with pytest.raises(NotAllowed):
        services.report_progress(
            by=world.justice_officer, task_id=task.pk, status=TaskStatus.DONE, note="xong"
        )
    with pytest.raises(NotAllowed):
        services.cancel_task(by=world.ict_officer, task_id=task.pk, reference="1/UBND", reason="x")
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    assert not ChangeEvent.objects.filter(
        action__in=["reform.task.progress", "reform.task.cancel"]
    ).exists()


def test_a_file_that_is_not_an_accepted_format_is_refused(world, plan):
    task = _task(plan, world.justice)
    with pytest.raises(InvalidInput):
        services.report_progress(
            by=world.justice_officer,
            task_id=task.pk,
            status=TaskStatus.DONE,
            note="xong",
            files=[services.Upload("x.pdf", b"MZ\x90\x00 not a pdf")],
        )


def test_a_stale_version_is_a_conflict(world, plan):
    task = _task(plan, world.justice)
    with pytest.raises(Conflict):
        services.report_progress(
            by=world.justice_officer,
            task_id=task.pk,
            status=TaskStatus.DONE,
            note="x",
            expected_version=task.version + 1,
        )


def test_cancellation_needs_a_document_and_a_reason_and_is_audited(world, plan):
    task = _task(plan, world.ict)
    with pytest.raises(InvalidInput):
        services.cancel_task(by=world.office, task_id=task.pk, reference="", reason="Dịch bệnh")
    services.cancel_task(
        by=world.office, task_id=task.pk, reference="1234/UBND-NC", reason="Dịch bệnh"
    )
    task.refresh_from_db()
    assert (task.status, task.cancel_reference) == ("cancelled", "1234/UBND-NC")
    event = ChangeEvent.objects.get(action="reform.task.cancel")
    assert event.data["why"] == "Dịch bệnh" and event.actor == world.office


def test_the_database_refuses_an_undocumented_cancellation(world, plan):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=_task(plan, world.ict).pk).update(status="cancelled")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"content": "x" * 5000}, "content"),
        ({"content": ""}, "content"),
        ({"deadline": dt.date(9999, 12, 31)}, "deadline"),
        ({"deadline": dt.date(1, 1, 1)}, "deadline"),
    ],
)
def test_bad_task_input_is_a_vietnamese_error(world, plan, kwargs, field):
    objective = plan.objectives.first()
    data = {"content": "Nhiệm vụ", "lead_agency": world.justice, **kwargs}
    with pytest.raises(InvalidInput) as exc:
        services.add_task(by=world.office, objective_id=objective.pk, **data)
    assert field in exc.value.fields


@pytest.mark.parametrize("value", ["1e30", "NaN", "abc", "-99999999", "Infinity"])
def test_huge_or_bad_target_values_are_refused(world, plan, value):
    with pytest.raises(InvalidInput):
        services.set_target(by=world.office, plan_id=plan.pk, code="par", name="PAR", value=value)


def test_targets_with_actual_values(world, plan):
    t = services.set_target(
        by=world.office, plan_id=plan.pk, code="par_index", name="PAR", value="86", unit="%"
    )
    services.record_actual(
        by=world.office, target_id=t.pk, actual="87.25", why="Quyết định công bố"
    )
    figure = queries.plan_progress(2021, world.city)
    assert [(x.code, str(x.value), str(x.actual), x.met) for x in figure.targets] == [
        ("par_index", "86.00", "87.25", True)
    ]
    with pytest.raises(NotAllowed):
        services.record_actual(by=world.justice_officer, target_id=t.pk, actual="1")


def test_scope_an_agency_sees_its_own_and_partner_tasks(world, plan):
    assert queries.visible_tasks(world.office).count() == 3
    justice = queries.visible_tasks(world.justice_officer)
    assert [t.lead_agency for t in justice] == [world.justice]
    assert queries.visible_tasks(world.citizen).count() == 0
    assert list(queries.visible_plans(world.justice_officer)) == [plan]


def test_plan_progress_per_area_and_agency_and_late_view(world, plan):
    ict_task = plan.tasks.get(content="Trục liên thông")
    services.report_progress(by=world.ict_officer, task_id=ict_task.pk, status="done", note="xong")
    figure = queries.plan_progress(2021, today=dt.date(2021, 7, 15))
    assert (figure.total.total, figure.total.done, figure.total.overdue) == (3, 1, 1)
    assert {a.area: a.progress.active for a in figure.by_area} == {
        "institutions": 0,
        "e_government": 1,
    }
    assert figure.by_agency[0].agency_code == world.justice.code  # most overdue first
    late = queries.late_tasks(world.office, today=dt.date(2021, 7, 15))
    assert [(g.agency, [lt.days_late for lt in g.tasks]) for g in late] == [(world.justice, [15])]
    assert queries.late_tasks(world.ict_officer, today=dt.date(2021, 7, 15)) == []
    assert queries.plan_progress(1999).plan_id is None


def test_one_plan_per_year_and_agency_and_only_managers_create(world, plan):
    with pytest.raises(InvalidInput):
        services.create_plan(
            by=world.office,
            year_=2021,
            agency=world.city,
            decision_number="1/KH",
            decision_date=dt.date(2021, 1, 1),
            title="x",
        )
    with pytest.raises(NotAllowed):
        services.create_plan(
            by=world.justice_officer,
            year_=2022,
            agency=world.city,
            decision_number="1/KH",
            decision_date=dt.date(2022, 1, 1),
            title="x",
        )
    with pytest.raises(InvalidInput):
        services.create_plan(
            by=world.office,
            year_=99999,
            agency=world.home,
            decision_number="1/KH",
            decision_date=dt.date(2022, 1, 1),
            title="x",
        )


def test_inspection_lifecycle_counts_and_follow_up_scope(world):
    insp = services.create_inspection(
        by=world.office,
        kind="thematic",
        topic="Kỷ luật phòng, chống COVID-19",
        organiser=world.home,
        start_date=dt.date(2021, 8, 2),
        end_date=dt.date(2021, 8, 3),
        targets=[world.justice],
        team=[services.Member("Nguyễn Văn A", "Trưởng đoàn", world.home)],
    )
    with pytest.raises(NotAllowed):
        services.create_inspection(
            by=world.justice_officer,
            kind="surprise",
            topic="x",
            organiser=world.home,
            start_date=dt.date(2021, 8, 2),
            end_date=dt.date(2021, 8, 3),
            targets=[world.ict],
        )
    with pytest.raises(InvalidInput):  # end before start
        services.create_inspection(
            by=world.office,
            kind="surprise",
            topic="x",
            organiser=world.home,
            start_date=dt.date(2021, 8, 2),
            end_date=dt.date(2021, 8, 1),
            targets=[world.ict],
        )
    services.record_findings(
        by=world.office,
        inspection_id=insp.pk,
        findings="Chưa niêm yết TTHC",
        remedies=[services.RequiredRemedy(world.justice, "Niêm yết TTHC", dt.date(2021, 9, 1))],
    )
    with pytest.raises(InvalidInput):  # a remedy still open
        services.close_inspection(by=world.office, inspection_id=insp.pk, note="Kết thúc")
    remedy = insp.remedies.get()
    with pytest.raises(NotAllowed):
        services.follow_up_remedy(
            by=world.ict_officer, remedy_id=remedy.pk, note="x", status="done"
        )
    services.follow_up_remedy(
        by=world.justice_officer,
        remedy_id=remedy.pk,
        note="Đã niêm yết",
        status="done",
        on=dt.date(2021, 8, 20),
    )
    services.close_inspection(
        by=world.office, inspection_id=insp.pk, note="Kết thúc", closed_on=dt.date(2021, 8, 25)
    )
    counts = queries.inspection_counts(dt.date(2021, 1, 1), dt.date(2021, 9, 30))
    assert (counts.periodic, counts.surprise, counts.thematic, counts.total, counts.closed) == (
        0,
        0,
        1,
        1,
        1,
    )
    assert (
        queries.inspection_counts(dt.date(2021, 1, 1), dt.date(2021, 9, 30), world.ict).total == 0
    )
    assert queries.inspection_counts(dt.date(2021, 10, 1), dt.date(2021, 12, 31)).total == 0
    assert list(queries.visible_inspections(world.justice_officer)) == [insp]
    assert list(queries.visible_inspections(world.ict_officer)) == []
    actions = set(
        ChangeEvent.objects.filter(object_type__startswith="reform.").values_list(
            "action", flat=True
        )
    )
    assert {
        "reform.inspection.create",
        "reform.inspection.findings",
        "reform.remedy.follow_up",
        "reform.inspection.close",
    } <= actions
