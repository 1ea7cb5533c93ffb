"""A bulk writer's queue entry stays locked until it commits (PostgreSQL): a refresh running
meanwhile must not drain a dossier that was already queued, or it would apply the dossier's
old state and forget the writer's uncommitted change."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from motcua.stats import services
from motcua.stats.models import DirtyDossier

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

QUEUED = 424242  # no dossier needed: the queue row is what is being locked


def test_refresh_skips_a_queue_row_a_bulk_writer_holds():
    services.mark_dirty([QUEUED])  # queued by an earlier, committed write
    written, release = threading.Event(), threading.Event()

    def bulk_writer():
        try:
            with transaction.atomic():
                services.mark_dirty([QUEUED])  # the writer's change is not committed yet
                written.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=bulk_writer)
    writer.start()
    try:
        assert written.wait(timeout=30)
        services.refresh()  # must skip the locked row, not drain it
        assert DirtyDossier.objects.filter(dossier_id=QUEUED).exists()
    finally:
        release.set()
        writer.join(timeout=30)
    services.refresh()  # after the commit, the next refresh takes it
    assert not DirtyDossier.objects.filter(dossier_id=QUEUED).exists()
