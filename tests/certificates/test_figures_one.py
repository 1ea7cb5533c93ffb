"""Adding or revoking one certificate through the services moves the right figure by one."""

from __future__ import annotations

import datetime as dt

from motcua.certificates import services
from motcua.certificates.rules import Kind
from tests.certificates.conftest import add
from tests.certificates.test_figures import values


def test_adding_one_certificate_changes_the_right_figure_by_one(world):
    before = values()
    add(world.justice, "f001", kind=Kind.ORGANISATION, valid_from=dt.date(2021, 5, 1))
    after = values()
    assert (
        after["certificates.organisation.issued"] == before["certificates.organisation.issued"] + 1
    )
    assert (
        after["certificates.organisation.active"] == before["certificates.organisation.active"] + 1
    )
    assert {k: v for k, v in after.items() if "organisation" not in k} == {
        k: v for k, v in before.items() if "organisation" not in k
    }
    token = add(world.justice, "f002", token_serial="TK9", valid_from=dt.date(2021, 5, 1))
    third = values()
    for key in (
        "certificates.personal.issued",
        "certificates.personal.active",
        "certificates.tokens",
    ):
        assert third[key] == after[key] + 1
    services.revoke(world.office, token.pk, on=dt.date(2021, 9, 30), reason="x")
    fourth = values()
    assert fourth["certificates.personal.active"] == third["certificates.personal.active"] - 1
    assert fourth["certificates.tokens"] == third["certificates.tokens"]  # still issued
    # revoked after the period's end: still active at its end
    late = add(world.justice, "f003", valid_from=dt.date(2021, 5, 1))
    services.revoke(world.office, late.pk, on=dt.date(2021, 10, 1), reason="x")
    assert values()["certificates.personal.active"] == fourth["certificates.personal.active"] + 1
    # issued after the end: not counted
    add(world.justice, "f004", valid_from=dt.date(2021, 10, 1))
    assert values()["certificates.personal.issued"] == fourth["certificates.personal.issued"] + 1
