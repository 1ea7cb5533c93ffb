"""Pure rules: no database."""

from __future__ import annotations

from datetime import time
from decimal import Decimal as D

import pytest

from motcua.catalog import rules


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [(0, "d", D(8)), (1, "d", D(8)), (3, "d", D(24)), (15, "d", D(120)), (4, "h", D(4))],
)
def test_legal_hours(amount, unit, expected):
    assert rules.legal_hours(amount, unit) == expected


def test_legal_hours_uses_hours_per_day_parameter():
    assert rules.legal_hours(3, "d", hours_per_day=D("7")) == D(21)
    assert rules.legal_hours(0, "d", hours_per_day=D("7")) == D(7)


def test_unknown_time_cannot_be_sized():
    with pytest.raises(rules.WorkflowRuleError, match="chưa có thời hạn"):
        rules.legal_hours(None, "d")


def test_working_hours_per_day_from_default_office_hours():
    periods = ((time(7), time(11, 30)), (time(13, 30), time(17)))
    assert rules.working_hours_per_day(periods) == D(8)
    # Cần Thơ's centre in 2024: 07:00–10:30 + 13:00–16:30
    assert rules.working_hours_per_day(((time(7), time(10, 30)), (time(13), time(16, 30)))) == 7


def test_steps_matching_legal_time_pass():
    rules.check_step_hours([D(3), D(15), D(3), D(3)], 3, "d")
    rules.check_step_hours([D("0.5"), D(7), D("0.5")], 0, "d")  # same day: one working day
    rules.check_step_hours([D("1.5"), D("2.5")], 4, "h")


def test_steps_not_adding_up_name_total_and_expected():
    with pytest.raises(rules.WorkflowRuleError) as exc:
        rules.check_step_hours([D(4), D(20), D(4), D(2)], 3, "d")
    message = str(exc.value)
    assert "30 giờ làm việc" in message
    assert "3 ngày làm việc (24 giờ làm việc)" in message


def test_same_day_message_says_trong_ngay():
    with pytest.raises(rules.WorkflowRuleError, match=r"trong ngày \(8 giờ làm việc\)"):
        rules.check_step_hours([D(4), D(5)], 0, "d")


@pytest.mark.parametrize("bad", [D(0), D("-1"), D("0.3")])
def test_step_hours_must_be_positive_half_hours(bad):
    with pytest.raises(rules.WorkflowRuleError, match="Bước 2"):
        rules.check_step_hours([D(1), bad, D(7) - bad], 1, "d")


def test_a_workflow_needs_steps():
    with pytest.raises(rules.WorkflowRuleError, match="ít nhất một bước"):
        rules.check_step_hours([], 1, "d")


@pytest.mark.parametrize(
    ("amount", "unit", "shares"),
    [
        (0, "d", [1, 5, 1, 1]),
        (3, "d", [3, 15, 3, 3]),
        (5, "d", [5, 25, 5, 5]),
        (15, "d", [15, 75, 15, 15]),
        (20, "d", [20, 100, 20, 20]),
        (2, "h", [D("0.5"), D("0.5"), D("0.5"), D("0.5")]),
        (7, "h", [1, 4, 1, 1]),
        (5, "h", [D("0.5"), D("3.5"), D("0.5"), D("0.5")]),
    ],
)
def test_default_steps_sum_exactly(amount, unit, shares):
    steps = rules.default_workflow_steps(amount, unit)
    assert [s.role for s in steps] == ["reception", "specialist", "leader", "return"]
    assert [s.allotted_hours for s in steps] == [D(x) for x in shares]
    rules.check_step_hours([s.allotted_hours for s in steps], amount, unit)
    assert steps[0].performer == steps[3].performer == "receiving"


def test_default_steps_refuse_too_short_time():
    with pytest.raises(rules.WorkflowRuleError, match="quá ngắn"):
        rules.default_workflow_steps(1, "h")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3.000333?", ("3.000333", True)),
        ("?", ("", True)),
        ("0", ("0", False)),
        (" 20? ", ("20", True)),
    ],
)
def test_split_unconfirmed(raw, expected):
    assert rules.split_unconfirmed(raw) == expected


def test_split_documents_keeps_semicolons_inside_parentheses():
    text = (
        "Tờ khai (mẫu); Văn bản ủy quyền (nếu ủy quyền; được chứng thực trừ trường hợp …); "
        "Quyết định phê duyệt dự án; văn bản thông báo"
    )
    assert rules.split_documents(text) == [
        "Tờ khai (mẫu)",
        "Văn bản ủy quyền (nếu ủy quyền; được chứng thực trừ trường hợp …)",
        "Quyết định phê duyệt dự án",
        "văn bản thông báo",
    ]


def test_parse_document_conventions():
    shown = rules.parse_document(
        "Giấy tờ tùy thân (CMND/CCCD/hộ chiếu) của người yêu cầu (xuất trình)"
    )
    assert shown.present_only and shown.mandatory
    assert shown.name == "Giấy tờ tùy thân (CMND/CCCD/hộ chiếu) của người yêu cầu"

    optional_shown = rules.parse_document("Giấy chứng nhận kết hôn của cha mẹ (nếu có, xuất trình)")
    assert optional_shown.present_only and not optional_shown.mandatory
    assert optional_shown.name == "Giấy chứng nhận kết hôn của cha mẹ (nếu có)"

    copy = rules.parse_document("Bản sao CMND/CCCD (xuất trình bản chính để đối chiếu)")
    assert (copy.originals, copy.copies, copy.present_only) == (0, 1, False)

    drawings = rules.parse_document("02 bộ bản vẽ thiết kế xây dựng")
    assert (drawings.originals, drawings.copies) == (2, 0)

    nested = rules.parse_document("Danh sách cổ đông sáng lập (và cổ đông nước ngoài, nếu có)")
    assert nested.mandatory
