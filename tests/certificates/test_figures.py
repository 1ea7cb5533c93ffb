"""The bulletin's certificate figures: exactly the seed's numbers on the 2021 demo list
(loaded through the import), scoped by agency, and moved by one when one certificate is
added or revoked through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.certificates import demo
from motcua.certificates.models import Certificate
from motcua.core import figures
from motcua.core.demo import DemoRun
from motcua.core.figures import STOCK, FigureQuery
from tests.helpers import vacuum_after_rollback

Q2021 = FigureQuery(dt.date(2021, 1, 1), dt.date(2021, 9, 30))
SEED = {
    "certificates.organisation.issued": 454,
    "certificates.organisation.active": 298,
    "certificates.personal.issued": 2114,
    "certificates.personal.active": 1007,
    "certificates.tokens": 272,
}


def values(query: FigureQuery = Q2021) -> dict[str, int]:
    return {k: f.value for k, f in figures.collect(query, ["certificates"]).items()}


@pytest.fixture(scope="module")
def bulletin(django_db_setup, django_db_blocker):
    """The demo list loaded once for the module (2,568 rows through the import)."""
    from motcua.agencies.models import Agency

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            from tests.certificates.conftest import make_world

            w = make_world()
            for i in range(6):
                Agency.objects.create(
                    code=f"000.{i:02d}.20.H13",
                    name_vi=f"Đơn vị {i}",
                    level="department",
                    parent=w.justice if i % 2 else w.city,
                )
            log: list[str] = []
            demo.load_bulletin_2021(DemoRun(log=log.append))
            yield w, log
            transaction.set_rollback(True)
        vacuum_after_rollback(django_db_blocker)


def test_the_seed_figures_on_the_2021_list(bulletin, db):
    _w, log = bulletin
    assert "2568 mới" in log[0]
    assert values() == SEED
    fig = figures.collect(Q2021, ["certificates"])["certificates.tokens"]
    assert fig.kind == STOCK and fig.label
    assert fig.drill_url.startswith("/desk/certificates/?")
    assert "token=1" in fig.drill_url and "issued_by=2021-09-30" in fig.drill_url


def test_the_demo_is_idempotent(bulletin, db):
    log: list[str] = []
    demo.load_bulletin_2021(DemoRun(log=log.append))
    assert "0 mới, 0 cập nhật, 2568 không đổi" in log[0]
    assert values() == SEED


def test_the_drill_down_lists_as_many_as_the_figure_says(bulletin, db):
    from django.test import Client

    w, _ = bulletin
    c = Client()
    c.force_login(w.office)
    for key, fig in figures.collect(Q2021, ["certificates"]).items():
        page = c.get(fig.drill_url).content.decode()
        assert f'id="certificate-total">{fig.value:,} '.replace(",", ".") in page or (
            f'id="certificate-total">{fig.value} ' in page
        ), key


def test_scoped_by_agency_subtree(bulletin, db):
    w, _ = bulletin
    scoped = values(FigureQuery(Q2021.start, Q2021.end, w.justice.code))
    rows = Certificate.objects.filter(agency__path__startswith=w.justice.path)
    assert scoped["certificates.organisation.issued"] == rows.filter(kind="organisation").count()
    assert 0 < scoped["certificates.personal.issued"] < SEED["certificates.personal.issued"]
    unknown = values(FigureQuery(Q2021.start, Q2021.end, "no.such.code"))
    assert set(unknown.values()) == {None}


def test_stock_at_an_earlier_end(bulletin, db):
    early = values(FigureQuery(dt.date(2021, 1, 1), dt.date(2021, 3, 31)))
    assert 0 < early["certificates.personal.issued"] < SEED["certificates.personal.issued"]
    assert values(FigureQuery(dt.date(2020, 1, 1), dt.date(2020, 12, 31))) == dict.fromkeys(SEED, 0)
