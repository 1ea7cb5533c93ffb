"""Named sources of the PAR index's automatic sub-criteria: a scheme row names a source
("dossier_on_time_rate") and its points come from motcua's own figures, through the
statistics query layer (motcua.stats.queries.dossier_figures) — never computed twice.

A source maps (agency code, period) to a ratio in [0, 1], or None when there is nothing to
measure (no dossier settled): the sub-criterion is then left to the council. The registry is
plain data so a scheme import can check a source name, and a deployment may register more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

Ratio = Callable[[str, dt.date, dt.date], Decimal | None]


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    compute: Ratio


SOURCES: dict[str, Source] = {}


def register(name: str, label: str) -> Callable[[Ratio], Ratio]:
    def wrap(compute: Ratio) -> Ratio:
        SOURCES[name] = Source(name, str(label), compute)
        return compute

    return wrap


def _figures(agency_code: str, start: dt.date, end: dt.date):
    # imported on use: the statistics layer is another app, and a scheme import only needs names
    from motcua.stats.queries import dossier_figures
    from motcua.stats.types import Period, Scope

    return dossier_figures(Scope(agency_code, subtree=True), Period(start, end))


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


@register("dossier_on_time_rate", gettext_lazy("Tỷ lệ hồ sơ giải quyết đúng hạn"))
def dossier_on_time_rate(agency_code: str, start: dt.date, end: dt.date) -> Decimal | None:
    f = _figures(agency_code, start, end)
    return _share(f.settled_early + f.settled_on_time, f.settled)


@register("dossier_online_rate", gettext_lazy("Tỷ lệ hồ sơ nộp trực tuyến"))
def dossier_online_rate(agency_code: str, start: dt.date, end: dt.date) -> Decimal | None:
    f = _figures(agency_code, start, end)
    return _share(f.online_received, f.received)


@register("dossier_digitised_rate", gettext_lazy("Tỷ lệ hồ sơ được số hóa"))
def dossier_digitised_rate(agency_code: str, start: dt.date, end: dt.date) -> Decimal | None:
    f = _figures(agency_code, start, end)
    return _share(f.digitised, f.received)
