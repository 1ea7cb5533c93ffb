"""Connection pooling (issue 11 §3): DB_POOL_MAX_SIZE gives each app process a psycopg pool
(Django's ``pool`` option), here with DB_PREPARED_STATEMENTS off as behind a transaction-mode
pooler. An app server (gunicorn, one worker with 6 threads) under 12 concurrent clients doing
reads and writes holds at most its pool's connections, and every request succeeds."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.scale.conftest import AppServer, Browser, Pair, base_env, start_app, stop

pytestmark = pytest.mark.postgres_only

POOL = 3
APP_NAME = "motcua-pool-test"


@pytest.fixture(scope="module")
def pooled(pg_pair: Pair) -> Iterator[tuple[AppServer, Pair]]:
    tmp = Path(tempfile.mkdtemp(prefix="motcua-pool-"))
    env = base_env(
        tmp,
        f"{pg_pair.primary.url}?application_name={APP_NAME}",
        DB_POOL_MAX_SIZE=str(POOL),
        DB_PREPARED_STATEMENTS="false",
        TRACKING_PER_HOUR="1000",
    )
    server = start_app(env, tmp, "--threads", "6")
    try:
        yield server, pg_pair
    finally:
        stop(server.proc)
        shutil.rmtree(tmp, ignore_errors=True)


def _app_connections(pair: Pair) -> int:
    (count,) = pair.primary.sql(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", APP_NAME
    )[0]
    return int(count)


def test_a_pooled_server_serves_concurrent_reads_and_writes_within_its_pool(pooled):
    server, pair = pooled
    seen: list[int] = []

    def anonymous(i: int) -> int:
        browser = Browser()
        status = browser.get(server.url + "/thu-tuc/1.004884/").status
        # a write on every look-up: the tracking counter's upsert
        tracked = browser.get(
            server.url + f"/tra-cuu/?code=000.01.21.H13-250124-{i:04d}&digits=0000"
        )
        seen.append(_app_connections(pair))
        return status if tracked.status == 200 else tracked.status

    def citizen(i: int) -> int:
        browser = Browser()
        browser.login(server.url)  # writes: session, last log-in
        saved = browser.post_form(
            server.url + "/tai-khoan/",
            {"full_name": f"Trần Thị Dân {i}", "email": "dan.scale@example.vn", "phone": ""},
        )
        seen.append(_app_connections(pair))
        # (six citizens save the same account at once: the page may show another's name)
        return saved.status if "Đã lưu thông tin cá nhân." in saved.body else -saved.status

    with ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(anonymous, i) for i in range(24)]
        futures += [pool.submit(citizen, i) for i in range(6)]
        answers = [f.result() for f in futures]
    assert answers == [200] * 30
    assert 1 <= max(seen) <= POOL, seen
