"""The layout filled with the providers' figures: values formatted the Vietnamese way, a
missing figure printed "—" and listed, a failing provider never breaks the bulletin."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.bulletin import compose, layout, outputs
from motcua.core import figures
from motcua.core.figures import FigureQuery

from .conftest import END, START


def _bulletin(language: str = "vi") -> compose.Bulletin:
    return compose.compose(
        FigureQuery(START, END),
        title="Bản tin thử",
        period_label="9 tháng đầu năm 2021",
        scope_name="Thành phố",
        narrative={"institutions": "Đoạn văn của biên tập viên."},
        language=language,
    )


def test_layout_is_the_seeds_sections_in_order_with_english_twins():
    layout.check()
    assert [s.key for s in layout.SECTIONS] == [
        "direction",
        "institutions",
        "procedures",
        "apparatus",
        "civil_service",
        "public_finance",
        "modernisation",
    ]
    keys = layout.all_keys()
    for key in ("reform.plan.progress_pct", "catalog.procedures.total", "feedback.received"):
        assert key in keys
    assert "registers.legal.appraised_resolution_drafts" in layout.BY_KEY["institutions"].keys


@pytest.mark.parametrize(
    ("raw", "unit", "vi", "en"),
    [
        ("1915", "", "1.915", "1,915"),
        ("38699", "", "38.699", "38,699"),
        ("78.8", "%", "78,8%", "78.8%"),
        ("45", "điểm", "45 điểm", "45 points"),
        ("", "", "—", "—"),
    ],
)
def test_values_are_printed_as_the_seed_prints_them(raw, unit, vi, en):
    assert compose.format_value("x.y", raw, unit, "vi") == vi
    assert compose.format_value("x.y", raw, unit, "en") == en
    assert compose.format_value("reform.index.departments.year", "2020", "", "vi") == "2020"


def test_fake_provider_figures_fill_their_sentences(db, world, fake_registers):
    b = _bulletin()
    institutions = next(s for s in b.sections if s.key == "institutions")
    text = compose.plain_line(b, institutions.lines[0])
    assert text.startswith("Đã thẩm định 12 dự thảo nghị quyết")
    assert "23 dự thảo quyết định" in text
    assert institutions.narrative == "Đoạn văn của biên tập viên."
    assert b.values["registers.legal.appraised_resolution_drafts"].source == "sổ đăng ký thử"
    html = outputs.html_document(b)
    assert 'Đã thẩm định <span class="fig"' in html
    assert ">534<" in html and ">2.114<" in html and ">539<" in html


def test_a_missing_figure_prints_a_dash_and_is_listed(db, world, fake_registers):
    b = _bulletin()
    # None from its provider, and keys no provider gives (the registers app is not installed)
    assert "registers.training.classes" in b.missing
    assert "registers.legal.commented_central" in b.missing
    assert b.values["registers.training.classes"].shown() == "—"
    civil = next(s for s in b.sections if s.key == "civil_service")
    assert "Tổ chức — lớp bồi dưỡng" in compose.plain_line(b, civil.lines[1])
    assert "registers.legal.appraised_resolution_drafts" not in b.missing


def test_a_failing_provider_leaves_its_figures_missing_not_a_crash(db, world, monkeypatch):
    def broken(query):
        raise RuntimeError("register database unreachable")

    monkeypatch.setitem(figures._providers, "broken", broken)
    b = _bulletin()
    assert "reform.plan.tasks_total" in b.values  # the other providers still answer
    assert b.values["catalog.procedures.total"].value == "0"


def test_a_bulletin_survives_its_json_snapshot(db, world, fake_registers):
    b = _bulletin("en")
    again = compose.Bulletin.from_json(b.to_json())
    assert again == b
    assert again.values["registers.meetings.total"].shown("en") == "534"
    assert Decimal(again.values["registers.finance.autonomous_public_units"].value) == 539


def test_the_one_stop_figures_come_from_the_reporting_layer_with_their_link(db, world):
    b = _bulletin()
    received = b.values["stats.dossiers.received"]
    assert received.value == "0" and received.source == "stats.queries.dossier_figures"
    assert received.drill_url == (
        f"/desk/thong-ke/?period=2021-01-01..2021-09-30&agency={world.city.code}"
    )
    assert b.values["stats.dossiers.on_time_pct"].shown() == "—"  # nothing settled: no rate


def test_an_agency_without_a_plan_has_no_plan_figures(db, world):
    b = compose.compose(
        FigureQuery(START, END, world.justice.code), title="t", period_label="p", scope_name="s"
    )
    assert "reform.plan.tasks_total" in b.missing
    assert b.values["reform.inspections.periodic"].value == "0"  # none inspected it
    assert b.values["catalog.procedures.total"].value == "0"
