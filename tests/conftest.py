"""Shared fixtures. The suite runs twice: on SQLite, then on a temporary PostgreSQL server
(``scripts/with_postgres.py`` sets DATABASE_URL); ``postgres_only`` tests run in the second pass."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

# No per-example deadline anywhere: the suite runs its two passes side by side on a shared
# machine, where one example of a pure function took 935 ms under load against hypothesis's
# default 200 ms deadline (a "flaky" failure that depends on the clock, not on the code). The
# example counts stay each test's own.
hypothesis_settings.register_profile("motcua", deadline=None)
hypothesis_settings.load_profile("motcua")


@pytest.fixture(scope="session", autouse=True)
def _flush_restores_what_post_migrate_made():
    """Transactional tests' teardown: see tests/reseed.py."""
    from tests import reseed

    reseed.install()


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_report_header(config):
    from django.conf import settings

    return f"motcua database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests creating dozens of users use a fast hasher.
    (tests/core/test_security.py checks that production settings use Argon2.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _calendar_rechecks_every_call(monkeypatch):
    """Each test rolls its database back, overrides included; the calendar cache must not carry
    a rolled-back override into the next test (production re-checks every second)."""
    from motcua.workcalendar import queries

    monkeypatch.setattr(queries, "RECHECK_SECONDS", 0.0)


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread (Django activates a language
    per request and never deactivates it): every test starts in the default language, so a
    Vietnamese assertion does not depend on which test ran before."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test rolls its database back, the catalogue version row (core.pagecache) included:
    a page cached by an earlier test must not be served under the same version again."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    """A SQLite file migrated once per session by ``motcua migrate`` in its own process; tests
    copy it with ``tests.migrated.copy_database`` (see tests/migrated.py)."""
    from tests.migrated import migrate_template

    return migrate_template(tmp_path_factory.mktemp("migrated"))


@pytest.fixture
def migrated_sqlite(migrated_sqlite_template, tmp_path):
    """This test's own copy of the migrated SQLite file."""
    from tests.migrated import copy_database

    return copy_database(migrated_sqlite_template, tmp_path / "db.sqlite3")


# -- `make test`: database-free tests run in one pass only ------------------------------------
# in a test's fixture closure: it can reach the test database
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
    | {"live_server"}
)
# pytest-django puts these in every test's closure: only a test asking for one by name counts
DATABASE_ACCESS = frozenset({"django_db_setup", "django_db_blocker"})


def uses_the_test_database(item) -> bool:
    """Whether ``item`` can reach the pass's test database. pytest-django refuses database
    access to a test without the django_db mark or a database fixture, so a test without them
    runs the same whatever DATABASE_URL says (the real-process tests that need a database give
    their children a SQLite file of their own: tests/migrated.py)."""
    import inspect

    asked = set(inspect.signature(item.obj).parameters) if hasattr(item, "obj") else set()
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("postgres_only") is not None
        or not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
        or not DATABASE_ACCESS.isdisjoint(asked)
    )


def database_free_wanted(spec: str, nodeid: str) -> bool:
    """``MOTCUA_DATABASE_FREE_TESTS``: unset or ``all`` runs every database-free test;
    ``only:<prefix>,…`` those whose node id starts with one of the prefixes, ``except:<prefix>,…``
    the others. scripts/test_both.py gives the PostgreSQL pass ``only:P`` and the SQLite pass
    ``except:P``: each database-free test runs once, each database test in both passes."""
    if spec in ("", "all"):
        return True
    mode, _, prefixes = spec.partition(":")
    matched = nodeid.startswith(tuple(p for p in prefixes.split(",") if p))
    if mode == "only":
        return matched
    if mode == "except":
        return not matched
    raise pytest.UsageError(f"MOTCUA_DATABASE_FREE_TESTS: all, only:… or except:…, not {spec!r}")


def pytest_collection_modifyitems(config, items):
    import os

    spec = os.environ.get("MOTCUA_DATABASE_FREE_TESTS", "")
    if spec in ("", "all"):
        return
    kept, dropped = [], []
    for item in items:
        wanted = uses_the_test_database(item) or database_free_wanted(spec, item.nodeid)
        (kept if wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
