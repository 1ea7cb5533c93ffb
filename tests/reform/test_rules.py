"""Pure rules: no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.reform import rules
from motcua.reform.rules import OVERDUE, InvalidInput, TaskStatus

D = dt.date(2021, 7, 1)


@pytest.mark.parametrize(
    ("status", "deadline", "expected"),
    [
        (TaskStatus.NOT_STARTED, dt.date(2021, 6, 30), OVERDUE),
        (TaskStatus.IN_PROGRESS, dt.date(2021, 6, 30), OVERDUE),
        (TaskStatus.IN_PROGRESS, dt.date(2021, 7, 1), TaskStatus.IN_PROGRESS),  # due today
        (TaskStatus.DONE, dt.date(2021, 6, 30), TaskStatus.DONE),
        (TaskStatus.CANCELLED, dt.date(2021, 6, 30), TaskStatus.CANCELLED),
        (TaskStatus.NOT_STARTED, None, TaskStatus.NOT_STARTED),  # continuing task
    ],
)
def test_overdue_is_derived_from_the_deadline(status, deadline, expected):
    assert rules.effective_status(status, deadline, D) == expected


def test_the_seed_ratio_52_of_66_is_78_8_percent():
    tasks = (
        [(TaskStatus.DONE, None)] * 38
        + [(TaskStatus.IN_PROGRESS, dt.date(2021, 1, 1))] * 14
        + [(TaskStatus.NOT_STARTED, None)] * 12
        + [(TaskStatus.CANCELLED, None)] * 2
    )
    p = rules.progress(tasks, D)
    assert (p.total, p.done, p.active, p.overdue, p.cancelled) == (66, 38, 52, 14, 2)
    assert p.active_percent == Decimal("78.8")
    assert p.done_percent == Decimal("57.6")
    # the ratios do not depend on the day they are computed on
    assert rules.progress(tasks, dt.date(2030, 1, 1)).active_percent == Decimal("78.8")


def test_empty_progress_is_zero_not_a_division_error():
    assert rules.progress([], D).active_percent == Decimal("0.0")


def test_report_transitions():
    rules.check_report(TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
    rules.check_report(TaskStatus.IN_PROGRESS, TaskStatus.DONE)
    rules.check_report(TaskStatus.DONE, TaskStatus.IN_PROGRESS)  # reopened with a note
    for current, new in [
        (TaskStatus.CANCELLED, TaskStatus.IN_PROGRESS),
        (TaskStatus.NOT_STARTED, TaskStatus.CANCELLED),  # cancelling is its own use case
        (TaskStatus.IN_PROGRESS, "overdue"),  # never stored
        (TaskStatus.IN_PROGRESS, "bogus"),
    ]:
        with pytest.raises(InvalidInput):
            rules.check_report(current, new)


def test_cancellation_needs_document_and_reason():
    with pytest.raises(InvalidInput) as exc:
        rules.check_cancellation(TaskStatus.IN_PROGRESS, "", "  ")
    assert set(exc.value.fields) == {"reference", "reason"}
    with pytest.raises(InvalidInput):
        rules.check_cancellation(TaskStatus.DONE, "12/UBND", "lý do")
    rules.check_cancellation(TaskStatus.IN_PROGRESS, "12/UBND", "lý do")


def test_every_area_has_its_legal_reference():
    assert set(rules.AREA_REFERENCES) == set(rules.Area.values)
    assert sum("76/NQ-CP" in ref for ref in rules.AREA_REFERENCES.values()) == 6


def test_targets_and_closure():
    assert rules.target_met("ge", Decimal(86), None) is None
    assert rules.target_met("ge", Decimal(86), Decimal("86.5")) is True
    assert rules.target_met("le", Decimal(5), Decimal(6)) is False
    with pytest.raises(InvalidInput):
        rules.check_closure("conducted", ["done", "open"])
    with pytest.raises(InvalidInput):
        rules.check_closure("planned", [])
    rules.check_closure("conducted", ["done", "waived"])


def test_every_reform_label_has_an_english_translation():
    from django.utils import translation

    labels = [
        label
        for choices in (
            rules.Area,
            rules.TaskStatus,
            rules.InspectionKind,
            rules.InspectionStatus,
            rules.RemedyStatus,
        )
        for label in choices.labels
    ] + [rules.OVERDUE_LABEL]
    with translation.override("vi"):
        vietnamese = [str(label) for label in labels]
    with translation.override("en"):
        english = [str(label) for label in labels]
    untranslated = [vi for vi, en in zip(vietnamese, english, strict=True) if vi == en]
    assert untranslated == []
