"""CSV of one table: UTF-8 with a byte-order mark (so Excel reads the Vietnamese), one header
line (the header levels joined), numbers with a dot, empty for "no data" (never 0)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from .tables import Table


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.flat_header())
    for values in table.body():
        writer.writerow([_text(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
