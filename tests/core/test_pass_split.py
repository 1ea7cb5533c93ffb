"""`make test`'s split (docs/testing.md): every database test runs in both passes, every
database-free test in exactly one, whichever prefixes scripts/test_both.py gives PostgreSQL."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import database_free_wanted, uses_the_test_database

ROOT = Path(__file__).resolve().parents[2]


def _test_both():
    spec = importlib.util.spec_from_file_location("test_both", ROOT / "scripts/test_both.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize(
    "nodeid",
    [
        "tests/scale/test_nginx.py::test_static_files_come_from_nginx_not_the_app_servers",
        "tests/core/test_supervision.py::test_units_pass_systemd_analyze_verify",
        "tests/workcalendar/test_rules.py::test_tet_2025_five_days",
        "tests/dossiers/test_cli.py::test_real_process_from_submit_to_return",
    ],
)
def test_each_database_free_test_runs_in_exactly_one_pass(nodeid):
    prefixes = ",".join(_test_both().DATABASE_FREE_ON_POSTGRES)
    runs = [database_free_wanted(f"{mode}:{prefixes}", nodeid) for mode in ("only", "except")]
    assert sorted(runs) == [False, True]
    assert database_free_wanted("", nodeid) and database_free_wanted("all", nodeid)


def test_a_bad_split_is_a_usage_error():
    with pytest.raises(pytest.UsageError, match="MOTCUA_DATABASE_FREE_TESTS"):
        database_free_wanted("some:tests/", "tests/x.py::test_y")


def test_a_test_without_database_fixtures_is_database_free(request):
    assert not uses_the_test_database(request.node)


def test_the_db_fixture_counts(db, request):
    assert uses_the_test_database(request.node)


@pytest.fixture
def world_like(transactional_db):
    return object()


def test_a_database_fixture_behind_another_fixture_counts(world_like, request):
    assert uses_the_test_database(request.node)


@pytest.mark.django_db
def test_the_django_db_mark_counts(request):
    assert uses_the_test_database(request.node)


def test_asking_for_the_blocker_by_name_counts(django_db_blocker, request):
    assert uses_the_test_database(request.node)
