"""Two processes needing a fresh Zalo OA access token at the same moment: the refresh token is
single-use and rotates, so exactly one refresh may reach Zalo; the other waits on the token
row's lock and takes the token the first one stored (PostgreSQL: real row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from motcua.notifications.channels import zalo as zalo_channel
from motcua.notifications.models import ZaloToken
from tests.notifications.conftest import use_zalo
from tests.notifications.fakes import Zalo


@pytest.mark.postgres_only
def test_two_concurrent_refreshes_spend_the_refresh_token_once(transactional_db, settings):
    server = Zalo().start()
    server.refresh_delay = 0.5  # both callers are inside access_token() while Zalo answers
    try:
        use_zalo(settings, server)
        ZaloToken.objects.create(pk=1, refresh_token="refresh-0")
        results: list[str] = []
        errors: list[BaseException] = []
        start = threading.Barrier(2)

        def refresh() -> None:
            try:
                start.wait()
                results.append(zalo_channel.access_token())
            except BaseException as exc:  # surfaced below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=refresh) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert errors == []
        assert results == ["access-1", "access-1"]
        assert server.refresh_calls == ["refresh-0"]  # one call, the token spent once
        assert server.refused_refreshes == []
        assert ZaloToken.objects.get().refresh_token == "refresh-1"
    finally:
        server.stop()


def test_a_refused_refresh_token_is_reported_not_retried_forever(db, settings):
    from motcua.notifications.channels import Permanent

    server = Zalo(first_refresh_token="refresh-9").start()
    try:
        use_zalo(settings, server)
        ZaloToken.objects.create(pk=1, refresh_token="refresh-0")  # already spent elsewhere
        with pytest.raises(Permanent, match="refresh token is invalid"):
            zalo_channel.access_token()
    finally:
        server.stop()
