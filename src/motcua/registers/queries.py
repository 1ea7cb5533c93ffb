"""Read paths of the registers: scoped, filtered lists for the desk pages and exports, and the
counts and sums the bulletin's figures are made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.registers import permissions as perm
from motcua.registers.registry import BOOL, CHOICE, Register
from motcua.registers.values import coerce


@dataclass(frozen=True)
class ListFilter:
    start: dt.date | None = None
    end: dt.date | None = None
    active_on: dt.date | None = None  # autonomy: units under the mechanism on that day
    agency: Agency | None = None  # that agency and those under it
    exact: dict[str, object] = field(default_factory=dict)  # choice/bool/key fields

    def as_query(self) -> dict[str, str]:
        """The filter as the list page's query parameters (for export links)."""
        out: dict[str, str] = {}
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        if self.active_on:
            out["active_on"] = self.active_on.isoformat()
        if self.agency:
            out["agency"] = self.agency.code
        for name, value in self.exact.items():
            out[name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return out


def parse_exact(register: Register, params) -> tuple[dict[str, object], list[str]]:
    """The choice/bool/key filters a request asks for; bad values are reported, not applied."""
    exact: dict[str, object] = {}
    errors: list[str] = []
    for f in register.filters:
        raw = params.get(f.name, "")
        if raw == "" or raw is None:
            continue
        try:
            value = coerce(f, raw) if f.type in (CHOICE, BOOL) else str(raw)[: f.max_length]
        except ValueError as exc:
            errors.append(f"{f.label}: {exc}")
            continue
        exact[f.name] = value
    return exact, errors


def subtree(queryset: QuerySet, agency: Agency) -> QuerySet:
    return queryset.filter(agency__path__startswith=agency.path)


def entries(user: User, register: Register, flt: ListFilter) -> QuerySet:
    qs = perm.visible(user, register.model.objects.select_related("agency"))
    return apply_filter(qs, flt)


def apply_filter(qs: QuerySet, flt: ListFilter) -> QuerySet:
    if flt.start:
        qs = qs.filter(date__gte=flt.start)
    if flt.end:
        qs = qs.filter(date__lte=flt.end)
    if flt.active_on:
        qs = qs.filter(date__lte=flt.active_on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=flt.active_on)
        )
    if flt.agency:
        qs = subtree(qs, flt.agency)
    if flt.exact:
        qs = qs.filter(**flt.exact)
    return qs.order_by("-date", "-pk")


# -- figures --------------------------------------------------------------------------------


def count_or_sum(qs: QuerySet, total: str | tuple[str, ...] | None) -> int:
    """COUNT(*) when ``total`` is None, else the SUM of the field(s)."""
    if total is None:
        return qs.count()
    names = (total,) if isinstance(total, str) else total
    sums = qs.aggregate(**{n: Sum(n) for n in names})
    return sum(int(v or 0) for v in sums.values())


def latest(qs: QuerySet, end: dt.date):
    """The latest snapshot at or before ``end`` (the last one filed that day)."""
    return qs.filter(date__lte=end).order_by("-date", "-pk").first()


def as_number(value: Decimal | int | None) -> int | Decimal | None:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value
