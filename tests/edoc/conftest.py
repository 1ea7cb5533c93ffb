"""The dossier engine's two-commune world, with edXML organ ids and test keys installed."""

from __future__ import annotations

import pytest

from motcua.agencies.models import Agency
from motcua.edoc import keys
from tests.dossiers.conftest import make_world
from tests.edoc.keys import key_for


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    w = make_world()
    for agency in Agency.objects.all():
        agency.edxml_organ_id = agency.code
        agency.save(update_fields=["edxml_organ_id"])
    for agency in (w.a, w.b):
        agency.refresh_from_db()
        key = key_for(agency.code)
        keys.install_key(
            agency, private_key_pem=key.private_key_pem, certificate_pem=key.certificate_pem
        )
    return w


def run_due_jobs() -> None:
    """Run every job that is due, as a worker would (``jobs.services.run`` is what the engine's
    ``run_job`` calls), in this test's transaction: the engines' worker loops close the
    database connection between tasks, which would end a test transaction on PostgreSQL.
    Retries due at once are picked up by the next round."""
    from django.utils import timezone

    from motcua.jobs import rules, services
    from motcua.jobs.models import Job

    for _ in range(20):
        due = list(
            Job.objects.filter(
                state__in=rules.RUNNABLE, next_attempt_at__lte=timezone.now()
            ).values_list("pk", flat=True)
        )
        if not due:
            return
        for pk in due:
            services.run(pk)


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """``with sending(): …``: commit-time callbacks run at the end of the block (the jobs are
    handed to the task engine), then the queued background sends run."""
    from contextlib import contextmanager

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        run_due_jobs()

    return run
