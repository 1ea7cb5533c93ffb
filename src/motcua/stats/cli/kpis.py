"""``motcua stats kpis --agency CODE [--subtree] --from D --to D --format json|csv|xlsx
[--by agency|field|procedure|officer] [--output FILE]``: the §2 dossier figures of a unit for a
period (the same query layer as the pages, the API and the exports), with one row per
agency, field, procedure or officer. xlsx needs ``--output`` (a workbook is not text)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation

from motcua.stats import queries
from motcua.stats.cli.common import add_scope_arguments, scope_and_period
from motcua.stats.exports import csvout, reports, xlsx
from motcua.stats.scope_filter import scope_agency
from motcua.stats.types import DossierFigures

NAME = "kpis"
HELP = "Số liệu giải quyết hồ sơ (tiếp nhận, giải quyết, đúng hạn, trực tuyến…) của một đơn vị"
BREAKDOWNS = ("agency", "field", "procedure", "officer")


def add_arguments(parser) -> None:
    add_scope_arguments(parser)
    parser.add_argument(
        "--subtree", action="store_true", help="gộp cả các đơn vị cấp dưới của cơ quan"
    )
    parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    parser.add_argument(
        "--by",
        choices=BREAKDOWNS,
        default="agency",
        help="mỗi dòng một cơ quan (mặc định), lĩnh vực, thủ tục hoặc cán bộ",
    )
    parser.add_argument("--output", help="ghi vào tệp này thay vì ra màn hình")


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def figures_json(f: DossierFigures) -> dict:
    share = reports.kpis_values(f)[-5:-1]  # on-time, online, paid online, digitised (%)
    return {
        "received_by_channel": dict(f.received_by_channel),
        "received": f.received,
        "carried_over": f.carried_over,
        "settled": f.settled,
        "settled_early": f.settled_early,
        "settled_on_time": f.settled_on_time,
        "settled_late": f.settled_late,
        "refused": f.refused,
        "withdrawn": f.withdrawn,
        "stopped": f.stopped,
        "in_progress_within": f.in_progress_within,
        "in_progress_overdue": f.in_progress_overdue,
        "avg_processing_wd": _num(f.avg_processing_wd),
        "median_processing_wd": _num(f.median_processing_wd),
        "online_received": f.online_received,
        "paid_online": f.paid_online,
        "fee_bearing": f.fee_bearing,
        "digitised": f.digitised,
        "electronic_results": f.electronic_results,
        "on_time_rate_pct": _num(share[0]),
        "online_share_pct": _num(share[1]),
        "paid_online_share_pct": _num(share[2]),
        "digitised_share_pct": _num(share[3]),
    }


def run(options: dict, stdout) -> None:
    scope, period = scope_and_period(options, subtree=options["subtree"])
    fmt, output = options["format"], options.get("output")
    if fmt == "xlsx" and not output:
        raise CommandError("Định dạng xlsx cần --output TỆP.xlsx.", returncode=2)
    total = queries.dossier_figures(scope, period)
    rows = queries.dossier_breakdown(scope, period, options["by"])
    if fmt == "json":
        text = json.dumps(
            {
                "agency": scope.agency_code,
                "subtree": scope.subtree,
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "figures": figures_json(total),
                "by": options["by"],
                "rows": [
                    {
                        "key": r.key,
                        "name_vi": r.label_vi,
                        "name_en": r.label_en,
                        "figures": figures_json(r.figures),
                    }
                    for r in rows
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
        data = text.encode("utf-8")
    else:
        with translation.override("vi"):
            unit = scope_agency(scope).name_vi
            table = reports.kpis_table(
                rows, total, unit=unit, period_label=period.label or f"{period.start}..{period.end}"
            )
            data = csvout.csv_bytes(table) if fmt == "csv" else xlsx.workbook_bytes([table])
        text = data.decode("utf-8-sig") if fmt == "csv" else ""
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(
                f"Không ghi được tệp {output}: {exc.strerror}.", returncode=1
            ) from None
        stdout.write(f"Đã ghi {output}.")
    else:
        stdout.write(text)
