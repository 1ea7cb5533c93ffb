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


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """``with sending(): …``: commit-time callbacks run at the end of the block (the jobs are
    handed to the task engine), then the queued background sends run in this process."""
    from contextlib import contextmanager

    from motcua.jobs.worker import drain

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        drain()

    return run
