from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.agencies import queries
from motcua.agencies.models import Agency
from motcua.agencies.services import merge_agencies, rename_agency
from motcua.agencies.signals import agencies_merged

from .conftest import JUL_1, JUN_30, make


@pytest.fixture
def received():
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    agencies_merged.connect(receiver)
    yield calls
    agencies_merged.disconnect(receiver)


@pytest.fixture
def new_commune(tiny_tree) -> Agency:
    return make("000.03.21.H99", "Ủy ban nhân dân xã Hợp Nhất", "commune", tiny_tree["d1"],
                valid_from=JUL_1)  # fmt: skip


def test_merge_two_communes_into_a_new_one(tiny_tree, new_commune, received):
    c11, c12 = tiny_tree["c11"], tiny_tree["c12"]
    result = merge_agencies([c11, c12], new_commune, JUL_1, actor="admin")
    assert result.into == new_commune and result.effective == JUL_1
    for old in (c11, c12):
        old.refresh_from_db()
        assert (old.valid_to, old.successor_id) == (JUL_1, new_commune.pk)
        assert queries.successor_chain(old) == new_commune
    before = {a.code for a in queries.tree_as_of(JUN_30)}
    after = {a.code for a in queries.tree_as_of(JUL_1)}
    assert {"000.01.21.H99", "000.02.21.H99"} <= before and "000.03.21.H99" not in before
    assert "000.03.21.H99" in after and not {"000.01.21.H99", "000.02.21.H99"} & after
    assert len(received) == 1
    call = received[0]
    assert [a.pk for a in call["sources"]] == [c11.pk, c12.pk]
    assert call["into"].pk == new_commune.pk
    assert (call["effective"], call["actor"]) == (JUL_1, "admin")


def test_receiver_failure_rolls_the_merger_back(tiny_tree, new_commune):
    def failing(sender, **kwargs):
        raise RuntimeError("dossiers could not move")

    agencies_merged.connect(failing)
    try:
        with pytest.raises(RuntimeError):
            merge_agencies([tiny_tree["c11"]], new_commune, JUL_1)
    finally:
        agencies_merged.disconnect(failing)
    tiny_tree["c11"].refresh_from_db()
    assert tiny_tree["c11"].valid_to is None


def test_merge_into_an_existing_open_unit(tiny_tree):
    merge_agencies([tiny_tree["c22"]], tiny_tree["c21"], JUL_1)
    assert queries.successor_chain(tiny_tree["c22"]) == tiny_tree["c21"]


def test_successor_chain_follows_several_steps(tiny_tree, new_commune):
    merge_agencies([tiny_tree["c11"]], tiny_tree["c12"], date(2024, 1, 1))
    merge_agencies([tiny_tree["c12"]], new_commune, JUL_1)
    assert queries.successor_chain(tiny_tree["c11"]) == new_commune
    assert queries.successor_chain(new_commune) == new_commune


def refused(sources, into, effective, fragment, received=None):
    with pytest.raises(ValidationError) as exc:
        merge_agencies(sources, into, effective)
    assert fragment in " ".join(exc.value.messages)
    if received is not None:
        assert received == []


def test_refuses_source_already_closed(tiny_tree, new_commune, received):
    merge_agencies([tiny_tree["c11"]], tiny_tree["c12"], date(2024, 1, 1))
    received.clear()
    refused([tiny_tree["c11"]], new_commune, JUL_1, "đã hết hiệu lực từ ngày 01/01/2024", received)


def test_refuses_into_among_sources(tiny_tree, received):
    refused([tiny_tree["c11"], tiny_tree["c12"]], tiny_tree["c11"], JUL_1, "đồng thời", received)


def test_refuses_into_below_a_source(tiny_tree):
    # d1 still has open communes too, but the descendant check must be reported
    refused([tiny_tree["d1"]], tiny_tree["c11"], JUL_1, "là đơn vị cấp dưới của 000.00.21.H99")


def test_refuses_source_with_open_children_and_lists_them(tiny_tree, received):
    with pytest.raises(ValidationError) as exc:
        merge_agencies([tiny_tree["d1"], tiny_tree["d2"]], tiny_tree["p"], JUL_1)
    message = " ".join(exc.value.messages)
    assert "Ủy ban nhân dân xã Cái Khế (000.01.21.H99)" in message
    assert "Ủy ban nhân dân xã Tân Lộc (000.02.22.H99)" in message
    assert received == []


def test_district_merges_once_its_communes_are_merged(tiny_tree, new_commune):
    merge_agencies([tiny_tree["c11"], tiny_tree["c12"]], new_commune, JUL_1)
    queries_before = {a.code for a in queries.tree_as_of(JUN_30)}
    # new_commune lives under d1 from JUL_1: d1 cannot close yet
    refused([tiny_tree["d1"]], tiny_tree["p"], JUL_1, "Ủy ban nhân dân xã Hợp Nhất")
    from motcua.agencies.services import reparent_agency

    reparent_agency(new_commune, tiny_tree["p"])
    merge_agencies([tiny_tree["d1"]], tiny_tree["p"], JUL_1)
    assert "000.00.21.H99" not in {a.code for a in queries.tree_as_of(JUL_1)}
    assert "000.00.21.H99" in queries_before


def test_refuses_into_not_yet_valid(tiny_tree, new_commune):
    refused([tiny_tree["c11"]], new_commune, JUN_30, "không có hiệu lực vào ngày 30/06/2025")


def test_refuses_empty_sources(tiny_tree):
    refused([], tiny_tree["p"], JUL_1, "ít nhất một")


def test_rename_keeps_history(tiny_tree):
    c11 = tiny_tree["c11"]
    grandchild = make("000.001.01.21.H99", "Ấp Một", "other", c11)
    new = rename_agency(c11, "Ủy ban nhân dân phường Cái Khế", "Cai Khe Ward", JUL_1)
    c11.refresh_from_db()
    assert new.code == "000.01.21.H99" and new.valid_from == JUL_1
    assert c11.code == "000.01.21.H99.R20250701"
    assert (c11.valid_to, c11.successor_id, c11.name_vi) == (
        JUL_1, new.pk, "Ủy ban nhân dân xã Cái Khế",
    )  # fmt: skip
    grandchild.refresh_from_db()
    assert grandchild.parent_id == new.pk and grandchild.path.startswith(new.path)
    assert c11 in queries.tree_as_of(JUN_30) and new not in queries.tree_as_of(JUN_30)
    assert queries.successor_chain(c11) == new


def test_rename_with_new_code(tiny_tree):
    new = rename_agency(tiny_tree["c21"], "Xã Bình Minh Mới", "", JUL_1, "000.05.22.H99")
    tiny_tree["c21"].refresh_from_db()
    assert tiny_tree["c21"].code == "000.01.22.H99"
    assert (new.code, new.is_demo_code) == ("000.05.22.H99", False)
    with pytest.raises(ValidationError, match="đã được dùng"):
        rename_agency(tiny_tree["c22"], "X", "", JUL_1, "000.05.22.H99")
