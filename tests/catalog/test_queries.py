"""Search and the administrator's to-do list, on the real reference catalog."""

from __future__ import annotations

import pytest

from motcua.catalog import services
from motcua.catalog.models import Field, Procedure
from motcua.catalog.queries import (
    attention_reasons,
    procedures_needing_attention,
    search_procedures,
)

pytestmark = pytest.mark.django_db


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_accent_insensitive_search_needs_every_word(reference_catalog):
    found = codes(search_procedures("dang ky ket hon"))
    # plain, foreign-element and re-registration ("đăng ký lại kết hôn": every word is there)
    assert found == {"1.000894", "2.000806", "1.004746"}
    assert codes(search_procedures("giay phep xay dung")) == {"1.013225", "1.013236"}
    assert codes(search_procedures("Giấy phép XÂY DỰNG")) == {"1.013225", "1.013236"}
    chung_thuc = search_procedures("CHUNG THUC")
    # 7 of the 8 "Chứng thực" rows say it in their name ("cấp bản sao từ sổ gốc" does not)
    assert chung_thuc.count() == 7
    assert "2.000908" not in codes(chung_thuc)
    assert all("chung thuc" in p.name_search for p in chung_thuc)
    assert not search_procedures("ket hon xay dung").exists()


def test_search_by_code(reference_catalog):
    assert codes(search_procedures("2.000815")) == {"2.000815"}


def test_filters(reference_catalog):
    civil = Field.objects.get(name_vi="Hộ tịch")
    assert codes(search_procedures("ket hon", level="commune")) == {"1.000894", "1.004746"}
    assert codes(search_procedures("ket hon", level="district")) == {"2.000806"}
    assert search_procedures("", field=civil).count() == 17
    full = search_procedures(online_mode="full")
    assert full.count() == 5 and all(p.online_mode == "full" for p in full)
    with pytest.raises(ValueError):
        search_procedures("x", level="ward")


def test_inactive_procedures_are_hidden_unless_asked(reference_catalog):
    Procedure.objects.filter(code="1.000894").update(is_active=False)
    assert codes(search_procedures("dang ky ket hon")) == {"2.000806", "1.004746"}
    assert codes(search_procedures("dang ky ket hon", active_only=False)) == {
        "1.000894",
        "2.000806",
        "1.004746",
    }


def test_needing_attention_lists_unconfirmed_and_missing_workflows(reference_catalog):
    # every reference row has an unconfirmed online mode, so all 46 need a look at first
    assert procedures_needing_attention().count() == 46
    Procedure.objects.update(online_mode_unconfirmed=False)
    listed = {p.code: p for p in procedures_needing_attention()}
    assert "1.001193" not in listed  # birth registration: everything confirmed
    assert "3.000333" in listed and "mã TTHC chưa xác nhận" in attention_reasons(listed["3.000333"])
    assert "1.004884" in listed  # unknown fee
    assert "phí, lệ phí chưa xác nhận" in attention_reasons(listed["1.004884"])
    social = listed["1.001776"]  # time "?"
    assert attention_reasons(social) == [
        "chưa có thời hạn giải quyết",
        "chưa có quy trình nội bộ đang áp dụng",
    ]


def test_changed_time_lists_the_mismatching_workflow(reference_catalog):
    Procedure.objects.update(online_mode_unconfirmed=False)
    birth = Procedure.objects.get(code="1.001193")
    assert birth not in procedures_needing_attention()
    birth = services.set_processing_time(birth, 1)
    assert birth in procedures_needing_attention()
    assert attention_reasons(birth) == ["quy trình không khớp thời hạn hiện hành"]
    services.activate_workflow(services.create_default_workflow(birth, activate=False))
    assert birth not in procedures_needing_attention()
