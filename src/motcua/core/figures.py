"""Named figures for the bulletin and periodic reports: who computes which number.

The bulletin (bản tin CCHC) and the ministry's periodic report print figures from many apps:
the one-stop figures from ``stats``, plan progress and the units' index from ``reform``, the
registers' counts, certificates, e-document exchange. Core never imports those apps, so each
app registers a *provider* in its ``AppConfig.ready()``::

    from motcua.core import figures
    figures.register("registers.legal", legal_figures)

A provider takes a :class:`FigureQuery` and returns the :class:`Figure` objects it knows,
each with a dotted ``key`` (``registers.legal.appraised_decision_drafts``), its label, the
value computed from records at call time, and where it comes from (``source`` text and a
``drill_url`` listing the records behind it). The bulletin lays its sections out by key.

Flow figures (legal drafts appraised, meetings held, ratings received) count what happened
inside ``[start, end]``; stock figures (procedures in the catalogue, active certificates,
agencies connected) are the state at ``end``. Each provider says which in ``Figure.kind``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

FLOW = "flow"  # counted inside the period
STOCK = "stock"  # the state at the period's end


@dataclass(frozen=True)
class FigureQuery:
    """The period and scope a figure is asked for; ``agency_code`` None is the whole province,
    otherwise that agency and the agencies under it."""

    start: date
    end: date
    agency_code: str | None = None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # Vietnamese, already translated for the active language
    value: int | Decimal | None  # None: no record covers this figure for the query
    unit: str = ""  # "" for a count, "%" for a percentage, "điểm" …
    kind: str = FLOW
    source: str = ""  # the register, query or import the figure is computed from
    drill_url: str = ""  # a page listing the records behind the figure ("" if none)


Provider = Callable[[FigureQuery], Iterable[Figure]]

_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Register (or replace, on a second ``ready()``) the provider called ``name``."""
    _providers[name] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


def collect(query: FigureQuery, names: Iterable[str] | None = None) -> dict[str, Figure]:
    """Every figure of the named providers (all when ``names`` is None), by key.

    Two providers returning the same key is a programming error: the bulletin would print
    one of them silently.
    """
    chosen = _providers if names is None else {n: _providers[n] for n in names}
    found: dict[str, Figure] = {}
    for name, provider in chosen.items():
        for figure in provider(query):
            if figure.key in found:
                raise ValueError(f"figure {figure.key!r} is provided twice (last by {name!r})")
            found[figure.key] = figure
    return found
