"""From a dossier's Fact to its contributions to the daily counters (pure, no ORM).

A counter row is (agency, procedure, day) with three kinds of columns:

- EVENT columns on the reception day (``recv_*``) and on the end day (everything else that is
  not a delta): summed over the days of a period P = [s, e];
- DELTA columns (``d_*``): +1 / −1 on the days a dossier enters / leaves a status ("open",
  "open and past its deadline"), so that the number of dossiers in that status at the end of
  day C is the sum of the deltas of all days ≤ C.

Hence, with C the cut-off day of P:
    received(P)          = Σ recv_* over [s, e]
    open(C)              = Σ d_open over days ≤ C
    carried over into P  = open(s − 1)
    HANDLED(P)           = open(C) + ended in [s, C]          (received ≤ C, not ended before s)
    on time (2.1 num.)   = open(C) − overdue(C) + ended on time in [s, C]
(tests/stats/test_engine_identities.py checks these against a direct evaluation per dossier.)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from motcua.stats.facts import (
    APPROVED,
    CHANNELS,
    EARLY,
    LATE,
    ON_TIME,
    OVERDUE,
    REFUSED,
    SETTLED_KINDS,
    STOPPED,
    WITHDRAWN,
    Fact,
)

RECV_COLS = (
    *(f"recv_{c}" for c in CHANNELS),
    "recv_synced",
    "recv_online_ok",
    "recv_fee_bearing",
    "recv_fee_nonzero",
    "recv_paid_online",
    "recv_digitised",
    "recv_popdata",
    "recv_settled_cwd",  # 2.2: processing time of the settled among those received that day
    "recv_settled_n",
)
END_COLS = (
    "settled_early",
    "settled_on_time",
    "settled_late",
    "refused",
    "withdrawn",
    "stopped",
    "other_on_time",  # withdrawn / stopped by the due day (on time for 2.1)
    "settled_cwd",
    "settled_eresult",
    "end_eresult",
    "end_digitised",
    "end_reused",
    "end_popdata",
    "end_ontime_neg",
)
DELTA_COLS = (
    "d_open",
    "d_overdue",
    "d_open_eresult",
    "d_open_digitised",
    "d_open_reused",
    "d_open_popdata",
    "d_open_neg",
    "d_overdue_neg",
)
COLUMNS = RECV_COLS + END_COLS + DELTA_COLS

Key = tuple[int, int, dt.date]  # agency, procedure, day
Contrib = dict[tuple[Key, str], int]
Hist = dict[tuple[Key, int], int]  # (key, hundredths of a working day) → settled dossiers


def bucket(cwd: int) -> int:
    """The histogram's step: 0.1 working day (the median is exact to that)."""
    return (cwd + 5) // 10 * 10


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def monthly(contrib: Contrib, hist: Hist) -> tuple[Contrib, Hist]:
    """The same contributions keyed by the first day of their month."""
    mc: Contrib = defaultdict(int)
    mh: Hist = defaultdict(int)
    for ((a, p, d), col), n in contrib.items():
        mc[((a, p, month_of(d)), col)] += n
    for ((a, p, d), cwd), n in hist.items():
        mh[((a, p, month_of(d)), cwd)] += n
    return {k: v for k, v in mc.items() if v}, {k: v for k, v in mh.items() if v}


def contributions(f: Fact) -> tuple[Contrib, Hist]:
    out: Contrib = defaultdict(int)
    hist: Hist = defaultdict(int)
    if f.received_day is None:
        return out, hist

    def k(day: dt.date) -> Key:
        return (f.agency_id, f.procedure_id, day)

    r = k(f.received_day)
    out[(r, f"recv_{f.channel}")] += 1
    for flag in ("synced", "online_ok", "fee_bearing", "fee_nonzero", "paid_online"):
        if getattr(f, flag):
            out[(r, f"recv_{flag}")] += 1
    if f.digitised:
        out[(r, "recv_digitised")] += 1
    if f.popdata:
        out[(r, "recv_popdata")] += 1
    if f.end_kind in SETTLED_KINDS and f.processing_cwd is not None:
        out[(r, "recv_settled_cwd")] += f.processing_cwd
        out[(r, "recv_settled_n")] += 1

    flags = {
        "eresult": f.e_result,
        "digitised": f.digitised,
        "reused": f.reused,
        "popdata": f.popdata,
        "neg": f.negative,
    }
    # open from the reception day until the end day (exclusive)
    out[(r, "d_open")] += 1
    for name, on in flags.items():
        if on:
            out[(r, f"d_open_{name}")] += 1
    overdue = False
    for day, status in f.segments:
        now_overdue = status == OVERDUE
        if now_overdue != overdue:
            step = 1 if now_overdue else -1
            out[(k(day), "d_overdue")] += step
            if f.negative:
                out[(k(day), "d_overdue_neg")] += step
            overdue = now_overdue
    if f.ended_day is None:
        return out, hist
    e = k(f.ended_day)
    out[(e, "d_open")] -= 1
    for name, on in flags.items():
        if on:
            out[(e, f"d_open_{name}")] -= 1
    if overdue:
        out[(e, "d_overdue")] -= 1
        if f.negative:
            out[(e, "d_overdue_neg")] -= 1
    if f.end_kind in SETTLED_KINDS:
        col = {EARLY: "settled_early", ON_TIME: "settled_on_time", LATE: "settled_late"}
        out[(e, col[f.end_class])] += 1
        if f.end_kind == REFUSED:
            out[(e, "refused")] += 1
        if f.processing_cwd is not None:
            out[(e, "settled_cwd")] += f.processing_cwd
            hist[(e, bucket(f.processing_cwd))] += 1
        if f.end_kind == APPROVED and f.e_result:
            out[(e, "settled_eresult")] += 1
    else:
        out[(e, WITHDRAWN if f.end_kind == WITHDRAWN else STOPPED)] += 1
        if f.on_time_end:
            out[(e, "other_on_time")] += 1
    for name in ("eresult", "digitised", "reused", "popdata"):
        if flags[name]:
            out[(e, f"end_{name}")] += 1
    if f.negative and f.on_time_end:
        out[(e, "end_ontime_neg")] += 1
    return out, hist


def diff(old: list[Fact], new: list[Fact]) -> tuple[Contrib, Hist]:
    """new − old, zero entries dropped: what one refresh adds to the counters."""
    total: Contrib = defaultdict(int)
    hist: Hist = defaultdict(int)
    for facts, sign in ((old, -1), (new, 1)):
        for f in facts:
            c, h = contributions(f)
            for key, n in c.items():
                total[key] += sign * n
            for key, n in h.items():
                hist[key] += sign * n
    return (
        {k: v for k, v in total.items() if v},
        {k: v for k, v in hist.items() if v},
    )


def by_row(contrib: Contrib) -> dict[Key, dict[str, int]]:
    rows: dict[Key, dict[str, int]] = defaultdict(dict)
    for (key, col), n in contrib.items():
        rows[key][col] = rows[key].get(col, 0) + n
    return rows
