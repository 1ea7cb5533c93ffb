from __future__ import annotations

from datetime import date

import pytest

from motcua.agencies import queries
from motcua.agencies.models import Agency
from motcua.agencies.services import reparent_agency

from .conftest import JUL_1, JUN_30, make


def codes(qs) -> set[str]:
    return {a.code for a in qs}


def test_subtree_with_and_without_self(tiny_tree):
    d1 = tiny_tree["d1"]
    assert codes(queries.subtree(d1)) == {"000.00.21.H99", "000.01.21.H99", "000.02.21.H99"}
    assert codes(queries.subtree(d1, include_self=False)) == {"000.01.21.H99", "000.02.21.H99"}
    assert queries.subtree(tiny_tree["p"]).count() == 7


def test_subtree_filter_several_roots_in_one_q(tiny_tree):
    q = queries.subtree_filter("", [tiny_tree["c11"], tiny_tree["d2"]])
    assert codes(Agency.objects.filter(q)) == {
        "000.01.21.H99", "000.00.22.H99", "000.01.22.H99", "000.02.22.H99",
    }  # fmt: skip
    assert not Agency.objects.filter(queries.subtree_filter("", [])).exists()


def test_subtree_filter_through_a_foreign_key(tiny_tree):
    # Agency.parent is a foreign key to Agency: "rows whose parent lies under d2"
    q = queries.subtree_filter("parent", [tiny_tree["d2"].path])
    assert codes(Agency.objects.filter(q)) == {"000.01.22.H99", "000.02.22.H99"}


def test_subtree_filter_drops_nested_roots(tiny_tree):
    q = queries.subtree_filter("", [tiny_tree["c11"], tiny_tree["p"]])
    assert q == queries.subtree_filter("", [tiny_tree["p"]])


def test_reparented_subtree_paths_follow(tiny_tree):
    d1, d2, c11, p = tiny_tree["d1"], tiny_tree["d2"], tiny_tree["c11"], tiny_tree["p"]
    grandchild = make("000.001.01.21.H99", "Ấp Một", "other", c11)
    reparent_agency(c11, d2)
    grandchild.refresh_from_db()
    assert grandchild.path == f"{p.path}{d2.pk}/{c11.pk}/{grandchild.pk}/"
    assert codes(queries.subtree(d1)) == {"000.00.21.H99", "000.02.21.H99"}
    assert "000.001.01.21.H99" in codes(queries.subtree(d2))
    assert [a.code for a in queries.ancestors(grandchild)] == [p.code, d2.code, c11.code]


def test_reparent_refuses_a_cycle(tiny_tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cấp dưới"):
        reparent_agency(tiny_tree["d1"], tiny_tree["c11"])
    with pytest.raises(ValidationError):
        reparent_agency(tiny_tree["d1"], tiny_tree["d1"])


def test_tree_as_of_and_active_on(tiny_tree):
    new = make("000.03.21.H99", "Xã Mới", "commune", tiny_tree["d1"], valid_from=JUL_1)
    Agency.objects.filter(pk=tiny_tree["c22"].pk).update(valid_to=JUL_1)
    before, after = queries.tree_as_of(JUN_30), queries.tree_as_of(JUL_1)
    assert new not in before and tiny_tree["c22"] in before
    assert new in after and tiny_tree["c22"] not in after
    paths = [a.path for a in after]
    assert paths == sorted(paths)
    assert codes(queries.active_on(date(2030, 1, 1))) == codes(after)


def test_search_is_accent_insensitive(tiny_tree):
    assert codes(queries.search("cai khe")) == {"000.01.21.H99"}
    assert codes(queries.search("ĐÔNG HOA")) == {"000.02.21.H99"}
    assert codes(queries.search("xa tan loc")) == {"000.02.22.H99"}
    assert codes(queries.search("000.00.22")) == {"000.00.22.H99"}
    assert not queries.search("  ").exists()
    assert not queries.search("cai loc").exists()


def test_ancestors_of_root_is_empty(tiny_tree):
    assert not queries.ancestors(tiny_tree["p"]).exists()
