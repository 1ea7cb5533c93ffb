"""PostgreSQL: parallel payment starts for the same fees give one open payment."""

from __future__ import annotations

import pytest

from motcua.payments import services
from motcua.payments.models import Payment
from motcua.payments.providers import SandboxProvider
from tests.dossiers.conftest import make_world
from tests.dossiers.test_concurrency import run_parallel
from tests.portal.conftest import dossier_for, open_online

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_starts_share_one_open_payment():
    world = open_online(make_world())
    for _ in range(3):  # repeat: the race must never create two
        d = dossier_for(world)
        results = run_parallel(
            4,
            lambda i, code=d.code: (
                services.start_payment(
                    code, by=world.citizen1, return_url="/r/", provider=SandboxProvider()
                )[0].ref
            ),
        )
        assert all(isinstance(r, str) for r in results), results
        assert len(set(results)) == 1
        assert Payment.objects.filter(dossier=d, status="pending").count() == 1
