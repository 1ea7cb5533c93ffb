"""The replica router's rules, one by one (the real replica is in test_replicas.py): which
reads may go to a replica, and how a write makes its client sticky to the primary."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core import replicas
from motcua.core.ratelimit import client_ip


@pytest.fixture
def routed(monkeypatch, settings):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])
    settings.MOTCUA_REPLICA_STICKY_SECONDS = 10
    return replicas.ReplicaRouter()


def _through_middleware(request, view):
    """Run ``view`` inside ReplicaMiddleware; returns (response, where the view's read went)."""
    seen = {}

    def handler(req):
        seen["read"] = view()
        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(handler)(request)
    return response, seen["read"]


def test_reads_outside_a_request_and_writes_go_to_the_primary(routed):
    assert routed.db_for_read(Procedure) == "default"  # commands, workers, shell
    assert routed.db_for_write(Procedure) == "default"
    assert routed.allow_migrate("default", "catalog") and not routed.allow_migrate("replica1", "x")


def test_a_get_reads_from_a_replica_a_post_from_the_primary(routed, rf: RequestFactory):
    read = lambda: routed.db_for_read(Procedure)  # noqa: E731
    response, where = _through_middleware(rf.get("/"), read)
    assert where == "replica1" and replicas.COOKIE not in response.cookies
    response, where = _through_middleware(rf.post("/"), read)
    assert where == "default"
    assert response.cookies[replicas.COOKIE]["max-age"] == 10  # sticky from now on


def test_a_client_that_wrote_recently_reads_from_the_primary(routed, rf: RequestFactory):
    read = lambda: routed.db_for_read(Procedure)  # noqa: E731
    browser = rf.get("/")
    browser.COOKIES[replicas.COOKIE] = "1"
    assert _through_middleware(browser, read)[1] == "default"
    # an API client keeps no cookie: its Authorization header is remembered in the cache
    token = {"HTTP_AUTHORIZATION": "Bearer abc"}
    assert _through_middleware(rf.get("/api/", **token), read)[1] == "replica1"
    _through_middleware(rf.post("/api/", **token), read)
    assert _through_middleware(rf.get("/api/", **token), read)[1] == "default"
    other = {"HTTP_AUTHORIZATION": "Bearer xyz"}
    assert _through_middleware(rf.get("/api/", **other), read)[1] == "replica1"


def test_a_get_that_writes_reads_its_write_from_the_primary(routed, rf: RequestFactory):
    def view():
        before = routed.db_for_read(Procedure)
        routed.db_for_write(Procedure)
        return before, routed.db_for_read(Procedure)

    response, (before, after) = _through_middleware(rf.get("/"), view)
    assert (before, after) == ("replica1", "default")
    assert replicas.COOKIE in response.cookies


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_and_identity_reads_go_to_the_primary(routed, rf):
    def view():
        found = [routed.db_for_read(User), routed.db_for_read(Session)]
        with transaction.atomic():
            found.append(routed.db_for_read(Procedure))
        found.append(routed.db_for_read(Procedure))
        return found

    assert _through_middleware(rf.get("/"), view)[1] == [
        "default",
        "default",
        "default",
        "replica1",
    ]


def test_a_request_reads_from_one_replica_only(routed, monkeypatch, rf: RequestFactory):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1", "replica2"])
    chosen = set()
    for _ in range(10):
        reads = _through_middleware(
            rf.get("/"), lambda: {routed.db_for_read(Procedure) for _ in range(20)}
        )[1]
        assert len(reads) == 1  # a page's queries all see the same replica
        chosen |= reads
    assert chosen <= {"replica1", "replica2"}


def test_primary_block_overrides_a_read_only_request(routed, rf: RequestFactory):
    def view():
        with replicas.primary():
            return routed.db_for_read(Procedure)

    assert _through_middleware(rf.get("/"), view)[1] == "default"


def test_client_ip_behind_trusted_proxies(rf: RequestFactory, settings):
    forged = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", **forged)
    assert client_ip(request) == "10.0.0.2"  # no trusted proxy: the header is never read
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.2", "10.0.0.3"]
    assert client_ip(request) == "198.51.100.7"  # the address the proxy saw
    chained = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.3")
    assert client_ip(chained) == "198.51.100.7"  # two proxies in a row
    direct = rf.get("/", REMOTE_ADDR="192.0.2.1", **forged)
    assert client_ip(direct) == "192.0.2.1"  # not from a proxy: the header is ignored


@pytest.fixture
def replica_connection():
    """A second connection to the test database under the alias "replica1", standing for a
    replica (a real one: test_replicas.py). Registered as a connection only, not in the
    settings, so that the test's database isolation lets it connect."""
    from django.db import connections
    from django.db.utils import load_backend

    conf = {**connections.settings["default"]}
    connections["replica1"] = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, "replica1")
    try:
        yield connections
    finally:
        connections["replica1"].close()
        del connections["replica1"]


@pytest.mark.django_db(transaction=True)
def test_a_prepared_lookup_follows_the_router_at_every_call(
    routed, replica_connection, rf, settings
):
    """PreparedGet compiled its plan once, for the database of its first use: first used in a
    read-only request, the dossier engine's lookups inside writes went on reading a replica."""
    from django.test.utils import CaptureQueriesContext

    from motcua.agencies.models import Agency
    from motcua.core.prepared import PreparedGet

    settings.DATABASE_ROUTERS = ["motcua.core.replicas.ReplicaRouter"]
    agency = Agency.objects.create(
        code="000.00.00.H13", name_vi="Ủy ban nhân dân thành phố", level="province"
    )
    lookup = PreparedGet(lambda: Agency.objects.order_by("pk"))

    def where(request) -> list[str]:
        found = []
        with (
            CaptureQueriesContext(replica_connection["default"]) as primary,
            CaptureQueriesContext(replica_connection["replica1"]) as replica,
        ):
            _through_middleware(request, lambda: found.append(lookup.get(agency.pk)))
        assert found[0] is not None
        return ["default"] * len(primary) + ["replica1"] * len(replica)

    assert where(rf.get("/")) == ["replica1"]  # first use: a read-only request
    assert where(rf.post("/")) == ["default"]  # then a write: the primary
    assert where(rf.get("/")) == ["replica1"]
