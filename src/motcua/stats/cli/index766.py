"""``motcua stats index766 --agency CODE --from D --to D [--received-only] --format json|table``:
the Decision 766 index of a unit (pooling its subordinate units) for a period."""

from __future__ import annotations

import json
from decimal import Decimal

from motcua.stats import queries
from motcua.stats.cli.common import add_scope_arguments, scope_and_period
from motcua.stats.types import IndexResult

NAME = "index766"
HELP = "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) của một đơn vị"


def add_arguments(parser) -> None:
    add_scope_arguments(parser)
    parser.add_argument(
        "--received-only",
        action="store_true",
        help="chỉ hồ sơ tiếp nhận trong kỳ (không tính hồ sơ kỳ trước chuyển sang)",
    )
    parser.add_argument("--format", choices=("json", "table"), default="table")


def _num(value: Decimal | None) -> float | None:
    """A JSON number, as the REST API gives it (scores and ratios have at most 4 decimals,
    which a float carries exactly enough to print back the same digits)."""
    return None if value is None else float(value)


def as_json(r: IndexResult) -> dict:
    return {
        "agency": r.scope.agency_code,
        "from": r.period.start.isoformat(),
        "to": r.period.end.isoformat(),
        "received_only": r.received_only,
        "provisional": r.provisional,
        "total": _num(r.total),
        "max": _num(r.max),
        "groups": [
            {
                "key": g.key,
                "name_vi": g.name_vi,
                "name_en": g.name_en,
                "score": _num(g.score),
                "max": _num(g.max),
                "indicators": [
                    {
                        "code": i.code,
                        "key": i.key,
                        "name_vi": i.name_vi,
                        "name_en": i.name_en,
                        "numerator": i.numerator,
                        "denominator": i.denominator,
                        "ratio": _num(i.ratio),
                        "score": _num(i.score),
                        "max": _num(i.max),
                        "scored": i.scored,
                        "missing": list(i.missing),
                        "note": i.note,
                    }
                    for i in g.indicators
                ],
            }
            for g in r.groups
        ],
    }


def as_table(r: IndexResult) -> str:
    def cell(v) -> str:
        return "—" if v is None else str(v)

    lines = [
        f"Chỉ số 766 — {r.scope.agency_code} — {r.period.start:%d/%m/%Y}–{r.period.end:%d/%m/%Y}"
        + (" (tạm tính)" if r.provisional else "")
        + (" — chỉ hồ sơ tiếp nhận trong kỳ" if r.received_only else ""),
        f"{'mã':<6}{'tử số':>10}{'mẫu số':>10}{'điểm':>8}{'tối đa':>8}  chỉ tiêu",
    ]
    for g in r.groups:
        lines.append(f"[{g.name_vi}] {g.score} / {g.max}")
        for i in g.indicators:
            flag = " (thiếu dữ liệu)" if i.missing else ""
            lines.append(
                f"{i.code:<6}{cell(i.numerator):>10}{cell(i.denominator):>10}"
                f"{cell(i.score):>8}{cell(i.max):>8}  {i.name_vi}{flag}"
            )
    lines.append(f"Tổng điểm: {r.total} / {r.max}")
    return "\n".join(lines)


def run(options: dict, stdout) -> None:
    scope, period = scope_and_period(options)
    result = queries.index766(scope, period, received_only=options["received_only"])
    if options["format"] == "json":
        stdout.write(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        stdout.write(as_table(result))
