"""Which dossiers each dossier-based indicator counts, decided for ONE dossier (pure).

This is the per-dossier definition of kpi-766.md's dossier-based inputs. The query layer
gets the same totals from the daily counters (``stats.queries``); the drill-down, the
``received_only`` mode and the tests evaluate this function dossier by dossier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.stats.facts import OVERDUE, SETTLED_KINDS, WITHIN, Fact

# dossier-based indicators whose universe is HANDLED (or RECEIVED with received_only)
HANDLED_CODES = ("2.1", "4.1", "4.2", "4.3", "4.4", "4.5b", "5.4")
# indicators on the dossiers received in the period
RECEIVED_CODES = ("1.4", "3.3", "3.6")
# indicators counting procedures with at least one such dossier received in the period
PROCEDURE_CODES = ("3.2", "3.5", "3.5b", "4.5a")
CODES = (*HANDLED_CODES, *RECEIVED_CODES, *PROCEDURE_CODES, "2.2")


@dataclass(frozen=True)
class Window:
    """A period as the engine evaluates it: [start, end], cut-off day ``cutoff`` (= end, or
    today while the period is open), and whether the HANDLED universe drops carry-over."""

    start: dt.date
    end: dt.date
    cutoff: dt.date
    received_only: bool = False


def received_in(f: Fact, w: Window) -> bool:
    return f.received_day is not None and w.start <= f.received_day <= w.end


def in_universe(f: Fact, w: Window) -> bool:
    """HANDLED(P): received by the cut-off and not ended before the period (carry-over
    included), or RECEIVED(P) when carry-over is switched off."""
    if f.received_day is None or f.received_day > w.cutoff:
        return False
    if w.received_only:
        return f.received_day >= w.start
    return f.ended_day is None or f.ended_day >= w.start


def on_time(f: Fact, w: Window) -> bool:
    """§2.1 numerator, as of the cut-off: ended on time by C, or open and within deadline."""
    status = f.status_on(w.cutoff)
    if status == "ended":
        return f.on_time_end
    return status == WITHIN


def overdue_open(f: Fact, day: dt.date) -> bool:
    return f.status_on(day) == OVERDUE


def membership(f: Fact, w: Window, code: str) -> tuple[bool, bool]:
    """(in the denominator, in the numerator) of ``code`` for this dossier. For the procedure
    indicators: (received in P, makes its procedure count)."""
    if code in HANDLED_CODES:
        if not in_universe(f, w):
            return False, False
        num = {
            "2.1": lambda: on_time(f, w),
            "4.1": lambda: f.e_result,
            "4.2": lambda: f.digitised,
            "4.3": lambda: f.reused,
            "4.4": lambda: False,  # not recorded by motcua (Counts.missing)
            "4.5b": lambda: f.popdata,
            "5.4": lambda: on_time(f, w) and not f.negative,
        }[code]()
        return True, num
    if not received_in(f, w):
        return False, False
    if code == "2.2":
        return f.end_kind in SETTLED_KINDS, f.end_kind in SETTLED_KINDS
    num = {
        "1.4": f.synced,
        "3.3": f.online_ok,
        "3.6": f.paid_online,
        "3.2": f.online,
        "3.5": f.fee_nonzero,
        "3.5b": f.paid_online,
        "4.5a": f.popdata,
    }[code]
    if code == "3.6":
        return f.fee_bearing, f.fee_bearing and num
    return True, num
