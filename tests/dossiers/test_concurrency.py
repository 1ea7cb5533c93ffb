"""Concurrency on PostgreSQL: row locks, unique codes under parallel intake, idempotency."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from motcua.dossiers import services as S
from motcua.dossiers.errors import ConflictError
from motcua.dossiers.models import AuditEvent, Dossier

from .conftest import APPLICANT, at, make_world, submit

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def run_parallel(n: int, fn: Callable[[int], object]) -> list[object]:
    """Run ``fn(i)`` in ``n`` threads released together; results or raised exceptions."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # the test inspects what each worker got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_runs_on_postgres():
    assert connection.vendor == "postgresql"


def test_two_officers_one_dossier_exactly_one_wins():
    world = make_world()
    for _ in range(5):  # repeat: the race must never let both through
        pk = submit(world)
        results = run_parallel(
            2,
            lambda i, pk=pk: S.receive(
                pk, by=world.desk_officer_a, expected_version=1, now=at(2025, 1, 24, 9)
            ),
        )
        wins = [r for r in results if isinstance(r, Dossier)]
        conflicts = [r for r in results if isinstance(r, ConflictError)]
        assert len(wins) == 1 and len(conflicts) == 1, results
        assert AuditEvent.objects.filter(dossier_id=pk, action="receive").count() == 1
        assert Dossier.objects.get(pk=pk).version == 2


def test_parallel_intake_gives_unique_sequential_codes():
    world = make_world()
    n = 12
    results = run_parallel(
        n,
        lambda i: S.submit(
            by=world.citizen1,
            procedure=world.procedure,
            receiving_agency=world.a,
            applicant=APPLICANT,
            now=at(2025, 1, 24, 9),
        ),
    )
    codes = sorted(r.code for r in results if isinstance(r, Dossier))
    assert len(codes) == n, results
    assert codes == [f"000.01.21.H13-250124-{i:04d}" for i in range(1, n + 1)]


def test_parallel_submissions_with_one_idempotency_key_make_one_dossier():
    world = make_world()
    results = run_parallel(
        6,
        lambda i: S.submit(
            by=world.citizen1,
            procedure=world.procedure,
            receiving_agency=world.a,
            applicant=APPLICANT,
            idempotency_key="same-key",
            now=at(2025, 1, 24, 9),
        ),
    )
    assert all(isinstance(r, Dossier) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Dossier.objects.count() == 1
