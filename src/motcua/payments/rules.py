"""Pure rules bounding the fees a desk may ask for (no database, no settings)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from motcua.core.text import normalize_search


@dataclass(frozen=True)
class ScheduleLine:
    """A fee line of the procedure's schedule (catalog ``FeeLine``)."""

    name: str
    amount_vnd: int | None  # None: not known yet
    unconfirmed: bool = False


def ceiling_for(name: str, schedule: Iterable[ScheduleLine], maximum: int) -> int:
    """The largest amount a fee called ``name`` may have: the schedule's amount for the line of
    that name when the schedule gives it (confirmed), else the absolute ``maximum``."""
    key = normalize_search(name)
    for line in schedule:
        if normalize_search(line.name) == key and line.amount_vnd and not line.unconfirmed:
            return min(line.amount_vnd, maximum)
    return maximum


def amount_errors(
    fees: Sequence[tuple[str, int]], schedule: Sequence[ScheduleLine], maximum: int
) -> list[str]:
    """Vietnamese messages for each requested fee line out of bounds (empty: all fine)."""
    errors = []
    for name, amount in fees:
        if not name.strip():
            errors.append("Cần nêu tên khoản phải nộp.")
        elif amount <= 0:
            errors.append(f"“{name}”: số tiền phải lớn hơn 0.")
        elif amount > (ceiling := ceiling_for(name, schedule, maximum)):
            errors.append(
                f"“{name}”: số tiền {amount:,} đ vượt mức tối đa {ceiling:,} đ.".replace(",", ".")
            )
    return errors
