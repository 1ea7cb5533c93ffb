"""The figure registry the bulletin reads (core/figures.py)."""

from datetime import date

import pytest

from motcua.core import figures

QUERY = figures.FigureQuery(start=date(2021, 1, 1), end=date(2021, 9, 30))


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(figures, "_providers", {})
    return figures


def test_collect_gathers_every_provider_by_key(registry):
    registry.register("a", lambda q: [figures.Figure("a.one", "Một", 1)])
    registry.register("b", lambda q: [figures.Figure("b.two", "Hai", q.end.month)])
    found = registry.collect(QUERY)
    assert {k: f.value for k, f in found.items()} == {"a.one": 1, "b.two": 9}
    assert set(registry.collect(QUERY, names=["b"])) == {"b.two"}


def test_a_key_provided_twice_is_an_error(registry):
    registry.register("a", lambda q: [figures.Figure("x", "X", 1)])
    registry.register("b", lambda q: [figures.Figure("x", "X", 2)])
    with pytest.raises(ValueError, match="provided twice"):
        registry.collect(QUERY)


def test_registering_again_replaces(registry):
    registry.register("a", lambda q: [figures.Figure("a.one", "Một", 1)])
    registry.register("a", lambda q: [figures.Figure("a.one", "Một", 2)])
    assert registry.collect(QUERY)["a.one"].value == 2
