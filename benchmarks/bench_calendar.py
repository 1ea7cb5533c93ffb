"""Due-date throughput of the working calendar against a naive day-by-day loop.

    .venv/bin/python benchmarks/bench_calendar.py [N]

Uses the pure module and the ``holidays`` package only (no database). Inputs: N seeded random
reception instants over 2020–2030 (any minute of any day) and durations 0–60 working days.
Goal: ≥ 100,000 ``due()`` per second and ≥ 20× the naive loop, measured in the same run.
"""

from __future__ import annotations

import random
import sys
import time as clock
from datetime import date, datetime, time, timedelta

from motcua.workcalendar.rules import LOCAL_TZ, Duration, WorkingCalendar
from motcua.workcalendar.vnholidays import vn_year


def naive_calendar(years: range):
    """``due()`` for day durations, walking one calendar day at a time over plain sets."""
    off: set[date] = set()
    working: set[date] = set()
    for year in years:
        data = vn_year(year)
        off |= set(data.off) - set(data.working)
        working |= set(data.working)
    hours = ((time(7), time(11, 30)), (time(13, 30), time(17)))
    cutoff = time(15)

    def is_working(d: date) -> bool:
        return d in working or (d.weekday() < 5 and d not in off)

    def step(d: date, sign: int = 1) -> date:
        d += timedelta(days=sign)
        while not is_working(d):
            d += timedelta(days=sign)
        return d

    def due(received: datetime, days: int) -> datetime:
        local = received.astimezone(LOCAL_TZ)
        d, t = local.date(), local.time()
        if days == 0:
            if not is_working(d) or t > cutoff:
                d = step(d)
            return datetime.combine(d, hours[-1][1], tzinfo=LOCAL_TZ)
        if not is_working(d) or t >= hours[-1][1]:
            d, t = (d if not is_working(d) else step(d)), hours[0][0]
            while not is_working(d):
                d += timedelta(days=1)
        elif hours[0][1] <= t < hours[1][0]:
            t = hours[1][0]
        elif t < hours[0][0]:
            t = hours[0][0]
        for _ in range(days):
            d = step(d)
        if t == hours[0][0]:  # a whole number of days from an opening: the previous close
            return datetime.combine(step(d, -1), hours[-1][1], tzinfo=LOCAL_TZ)
        if t == hours[1][0]:  # from the afternoon opening: the morning's close
            return datetime.combine(d, hours[0][1], tzinfo=LOCAL_TZ)
        return datetime.combine(d, t, tzinfo=LOCAL_TZ)

    return due


def rate(func, inputs) -> float:
    began = clock.perf_counter()
    for received, duration in inputs:
        func(received, duration)
    return len(inputs) / (clock.perf_counter() - began)


def best_rates(fast, fast_inputs, slow, slow_inputs, repeats: int = 5) -> tuple[float, float]:
    """Best of interleaved repeats, so a busy machine slows both sides alike."""
    fast_best = slow_best = 0.0
    for _ in range(repeats):
        fast_best = max(fast_best, rate(fast, fast_inputs))
        slow_best = max(slow_best, rate(slow, slow_inputs))
    return fast_best, slow_best


def main(n: int = 200_000) -> int:
    rng = random.Random(20250124)
    origin = datetime(2020, 1, 1, tzinfo=LOCAL_TZ)
    minutes = (datetime(2031, 1, 1, tzinfo=LOCAL_TZ) - origin) // timedelta(minutes=1)
    starts = [origin + timedelta(minutes=rng.randrange(minutes)) for _ in range(n)]
    days = [rng.randrange(61) for _ in range(n)]
    durations = [Duration(d, "d") for d in days]

    calendar = WorkingCalendar(source=vn_year)
    naive = naive_calendar(range(2019, 2033))
    for received, d, duration in list(zip(starts, days, durations, strict=True))[:5000]:
        assert calendar.due(received, duration) == naive(received, d), (received, d)

    calendar.due(starts[0], durations[0])  # build the table outside the timing
    sample = max(1, n // 10)  # the naive loop is slow: time it on a tenth of the inputs
    fast, slow = best_rates(
        calendar.due,
        list(zip(starts, durations, strict=True)),
        naive,
        list(zip(starts[:sample], days[:sample], strict=True)),
    )
    print(f"due():          {fast:12,.0f} per second ({n:,} inputs, best of 5)")
    print(f"naive day loop: {slow:12,.0f} per second ({sample:,} inputs, best of 5)")
    print(f"ratio:          {fast / slow:12.1f}x")
    ok = fast >= 100_000 and fast / slow >= 20
    print("goal (>= 100,000/s and >= 20x):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000))
