"""Shared fixtures. The suite runs twice: on SQLite, then on a temporary PostgreSQL server
(``scripts/with_postgres.py`` sets DATABASE_URL); ``postgres_only`` tests run in the second pass."""

from __future__ import annotations

import pytest
from django.db import connection


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
