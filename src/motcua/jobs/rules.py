"""Pure rules of background jobs: states and the retry delay."""

from __future__ import annotations

PENDING = "pending"  # waiting for a worker (first attempt, or re-queued by an operator)
RUNNING = "running"  # a worker holds it (until its lease ends)
FAILED = "failed"  # the last attempt failed; a retry is scheduled at next_attempt_at
DONE = "done"
DEAD = "dead"  # out of attempts: kept with its error until an operator retries it

STATES = (PENDING, RUNNING, FAILED, DONE, DEAD)
RUNNABLE = (PENDING, FAILED)
RETRYABLE_BY_OPERATOR = (FAILED, DEAD)


def retry_delay(attempts: int, *, base: int, cap: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt: base, 2·base, 4·base, … ≤ cap.

    >>> [retry_delay(n, base=30, cap=300) for n in range(1, 7)]
    [30, 60, 120, 240, 300, 300]
    """
    if attempts < 1:
        return 0
    # the exponent is bounded so a large attempt count cannot build a huge integer
    return min(cap, base * 2 ** min(attempts - 1, 32))


def is_exhausted(attempts: int, max_attempts: int) -> bool:
    return attempts >= max_attempts
