"""The demo loader: everything through the services, and a second run changes nothing."""

from __future__ import annotations

from django.core.management import call_command

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import AuditEvent, Dossier
from motcua.dossiers.rules import State
from motcua.feedback.models import FeedbackItem
from motcua.history.demo import load_ratings
from motcua.ratings.models import Rating


def counts() -> tuple[int, ...]:
    return (
        Agency.objects.count(),
        Procedure.objects.count(),
        User.objects.count(),
        Dossier.objects.count(),
        AuditEvent.objects.count(),
        FeedbackItem.objects.count(),
    )


# enough for every outcome the demo forces on its first dossiers (dossiers/demo.OUTCOMES) and
# for random ones after them; `make run` loads the default size, which only takes longer
DOSSIERS = 40


def test_demo_is_complete_and_idempotent(db, capsys):
    """The whole demo, twice: complete the first time, unchanged the second. Its ratings go
    through the history bulk path with their own dates (after the result, in 2021)."""
    call_command("demo", dossiers=DOSSIERS, feedback=30)
    first = counts()
    assert first[:2] == (113, 46)
    # every lifecycle state is represented, and every dossier has its submission event
    assert set(Dossier.objects.values_list("state", flat=True)) == {s.value for s in State}
    assert AuditEvent.objects.filter(action="submit").count() == Dossier.objects.count() == DOSSIERS
    assert FeedbackItem.objects.count() == 30
    out = capsys.readouterr().out
    assert "motcua.caikhe" in out and "congdan" in out
    ratings = list(Rating.objects.select_related("dossier"))
    assert 0 < len(ratings) <= Dossier.objects.filter(state="returned").count()
    for rating in ratings:
        assert rating.dossier.state == "returned" and rating.imported
        assert rating.created_at > rating.dossier.returned_at  # its own date, not "now"
        assert rating.created_at.year == 2021
        assert rating.agency_id == rating.dossier.receiving_agency_id
    assert load_ratings() == 0
    call_command("demo", dossiers=DOSSIERS, feedback=30)
    assert counts() == first
    assert Rating.objects.count() == len(ratings)


def test_each_app_declares_its_demo_data_and_core_imports_none():
    import ast
    import inspect

    from motcua.core import demo

    labels = [c.label for c in demo.ordered_configs()]
    assert set(labels) == {
        "agencies",
        "catalog",
        "accounts",
        "dossiers",
        "feedback",
        "history",
        "reform",
        "registers",
        "certificates",
        "edoc",
    }
    for config in demo.ordered_configs():  # every app after the apps it needs
        for needed in config.demo_after:
            assert labels.index(needed) < labels.index(config.label)
    tree = ast.parse(inspect.getsource(demo))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m and m.startswith("motcua.")}


def test_a_cycle_in_demo_after_is_refused(monkeypatch):
    import pytest
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    from motcua.core import demo

    monkeypatch.setattr(apps.get_app_config("agencies"), "demo_after", ("feedback",))
    with pytest.raises(ImproperlyConfigured, match="cycle"):
        demo.ordered_configs()


def test_reference_first_then_history_in_the_background_is_the_same_demo(db, capsys):
    """`make run` loads the reference data, serves, and loads the history beside it."""
    call_command("demo", part="reference", dossiers=20, feedback=10)
    assert (Dossier.objects.count(), FeedbackItem.objects.count()) == (0, 0)
    assert "congdan" in capsys.readouterr().out  # the logins are printed before serving
    call_command("demo", part="history", dossiers=20, feedback=10)
    assert (Dossier.objects.count(), FeedbackItem.objects.count()) == (20, 10)
    before = counts()
    call_command("demo", dossiers=20, feedback=10)
    assert counts() == before


def test_only_one_history_loader_runs_at_a_time(db, capsys, settings, tmp_path):
    import fcntl

    from motcua.core.management.commands.demo import history_lock_path

    settings.MEDIA_ROOT = tmp_path / "media"
    with history_lock_path().open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another loader is running
        call_command("demo", part="history", dossiers=5, feedback=5)
    assert "đang nạp" in capsys.readouterr().out
    assert not Dossier.objects.exists()


def test_an_interrupted_dossier_load_resumes_where_it_stopped(db):
    from motcua.core.demo import DemoRun
    from motcua.dossiers import demo as dossiers_demo

    run = DemoRun(log=lambda _: None)
    call_command("demo", part="reference")
    assert dossiers_demo.load_dossiers(6, run) == 6  # stopped after 6 of 15
    first_six = list(Dossier.objects.order_by("pk").values_list("idempotency_key", "state"))
    assert dossiers_demo.load_dossiers(15, run) == 9
    assert dossiers_demo.load_dossiers(15, run) == 0
    assert Dossier.objects.count() == 15
    # each dossier has its own random generator: the first six are those a full run makes
    assert list(Dossier.objects.order_by("pk").values_list("idempotency_key", "state"))[:6] == (
        first_six
    )


def test_demo_static_serves_first_and_compresses_later(settings, tmp_path):
    """make run collects the hashed files at once and compresses them in the background."""
    from motcua.core.management.commands.demo_static import COMPRESSED

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": COMPRESSED}}
    settings.STATIC_ROOT = tmp_path
    call_command("demo_static")
    assert (tmp_path / "staticfiles.json").exists()
    assert not list(tmp_path.rglob("*.gz"))
    call_command("demo_static", compress=True)
    assert list(tmp_path.rglob("*.gz"))
