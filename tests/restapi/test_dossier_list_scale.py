"""The API dossier list's bounded read path (issue 11): per-agency keyset walks merged
(PostgreSQL), the same pages as the single scoped query, scope never crossed, pinned queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import scope_arms_by_agency, visible_dossiers
from motcua.restapi import cursor
from motcua.restapi.shapes import LIST_COLUMNS, with_list_columns, with_refs
from tests.desk.conftest import login, new_dossier
from tests.dossiers.conftest import at


@pytest.fixture
def spread(world):
    """Dossiers at A and B over several days, some crossing agencies (visible to an officer
    through two columns: they must come once), some finished."""
    made = []
    for day in range(1, 9):
        made.append(new_dossier(world, when=at(2025, 3, day)))
        made.append(new_dossier(world, agency=world.b, when=at(2025, 3, day)))
    made.append(new_dossier(world, state="registered"))
    Dossier.objects.filter(pk=made[1].pk).update(current_agency=world.a)  # B → A
    Dossier.objects.filter(pk=made[2].pk).update(deciding_agency=world.b)  # A, decided at B
    Dossier.objects.filter(pk=made[4].pk).update(state="returned")
    return made


def _walk(user, limit: int, *, use_arms: bool) -> list[str]:
    qs = with_list_columns(visible_dossiers(user))
    arms = scope_arms_by_agency(user) if use_arms else None
    fetch = with_list_columns(Dossier.objects.all()) if arms else None
    seen, after = [], None
    for _ in range(100):
        rows, after = cursor.page(qs, after, limit, arms=arms, fetch=fetch, columns=LIST_COLUMNS)
        seen += [d["code"] for d in rows]
        if not after:
            return seen
    raise AssertionError("no last page")


@pytest.mark.parametrize("who", ["desk_officer_a", "desk_officer_b", "admin_d", "specialist_a"])
@pytest.mark.parametrize("limit", [1, 3, 7, 100])
def test_keyset_walks_give_the_single_querys_pages(world, spread, who, limit):
    user = world.users[who]
    expected = list(
        visible_dossiers(user)
        .annotate(sort_at=cursor.SORT_AT)
        .order_by("sort_at", "code")
        .values_list("code", flat=True)
    )
    plain = _walk(user, limit, use_arms=False)
    merged = _walk(user, limit, use_arms=True)
    assert plain == expected
    assert merged == expected  # no duplicates (two columns in scope), no gaps
    assert len(merged) == len(set(merged))


def test_arms_cover_the_scope_exactly(world, spread):
    a_only = {d.code for d in spread} - set(
        visible_dossiers(world.desk_officer_a).values_list("code", flat=True)
    )
    walked = set(_walk(world.desk_officer_a, 4, use_arms=True))
    assert walked.isdisjoint(a_only)
    assert spread[1].code in walked  # received at B, now at A
    assert scope_arms_by_agency(world.root) is None  # unrestricted: one plain query


def test_api_list_over_http_is_scoped_and_query_count_pinned(world, spread):
    client = login(world.desk_officer_a)
    client.get("/api/v1/dossiers")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/dossiers", {"limit": 5}).json()
    codes = [d["code"] for d in body["items"]]
    visible = set(visible_dossiers(world.desk_officer_a).values_list("code", flat=True))
    assert len(codes) == 5 and set(codes) <= visible and body["next_cursor"]
    # (the working calendar's once-a-second freshness check is clock-dependent: left out)
    sql = [q["sql"] for q in ctx.captured_queries if "workcalendar_" not in q["sql"]]
    assert not any('COUNT(*) AS "__count"' in s for s in sql)
    # session, user, the officer check, memberships, then the page: one query (SQLite, or
    # the open-state path) or the merged walks plus the rows by id (PostgreSQL)
    expected = 6 if connection.vendor == "postgresql" else 5
    assert len(sql) == expected, "\n".join(sql)
    second = client.get("/api/v1/dossiers", {"limit": 5, "cursor": body["next_cursor"]}).json()
    assert not {d["code"] for d in second["items"]} & set(codes)
    only_open = client.get("/api/v1/dossiers", {"state": ["received", "registered"]}).json()
    assert {d["state"] for d in only_open["items"]} <= {"received", "registered"}


def test_token_list_pages_match(world, spread):
    from motcua.restapi.tokens import create_token

    secret = create_token(name="t", agency=world.a, permissions=["dossiers:read"]).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    seen, after = [], None
    while True:
        params = {"limit": 4} | ({"cursor": after} if after else {})
        body = client.get("/api/v1/dossiers", params).json()
        seen += [d["code"] for d in body["items"]]
        after = body["next_cursor"]
        if not after:
            break
    in_scope = set(
        Dossier.objects.filter(
            pk__in=[d.pk for d in spread if world.a.pk in _agencies(d.pk)]
        ).values_list("code", flat=True)
    )
    assert len(seen) == len(set(seen)) and set(seen) == in_scope


def _agencies(pk: int) -> set[int]:
    d = Dossier.objects.get(pk=pk)
    return {d.receiving_agency_id, d.deciding_agency_id, d.current_agency_id}


def test_list_rows_serialise_exactly_as_the_schema(world, spread):
    """The list renders plain dicts (no per-row pydantic model): same keys, order, values."""
    from motcua.restapi.shapes import dossier_dict, dossier_out

    rows = {r["code"]: r for r in with_list_columns(Dossier.objects.all()).values(*LIST_COLUMNS)}
    assert len(rows) == Dossier.objects.count() > 0
    for d in with_refs(Dossier.objects.all()):
        model = dossier_out(d).model_dump()
        plain = dossier_dict(rows[d.code])
        assert plain == model and list(plain) == list(model)
        assert list(plain["procedure"]) == list(model["procedure"])
