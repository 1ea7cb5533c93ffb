"""Bad input never crashes: hostile dates, integers and strings at every GET route of the URL
conf and at every form the pages show, as anonymous, citizen, officer and administrator; no
answer may be a 5xx.

The routes come from walking the resolver (a new view is fuzzed without touching this file);
path parameters are replaced by real identifiers or hostile values, query and form fields by
hostile values under the names the code reads (found by scanning the source and the OpenAPI
schema) and the names the page's forms carry. Hypothesis draws the values; it runs
derandomized, so CI sees the same inputs every time, and ``SWEEPS`` full sweeps keep the run
to a few tens of seconds.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from motcua.dossiers.models import Attachment, Dossier, IssuedForm
from tests.desk.conftest import new_dossier
from tests.dossiers.conftest import make_world

SRC = Path(__file__).resolve().parents[2] / "src" / "motcua"
SWEEPS = 2  # full passes over every route × persona (each with fresh hypothesis values)

# Values that broke or could break a parser, a database or a date computation.
HOSTILE = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+00:00",
    "2025-02-30",
    "31/12/9999",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 40,
    "-1",
    "0",
    "1e308",
    "NaN",
    "-inf",
    "",
    " ",
    "%00",
    "khai\x00sinh",
    "ǅ🙂\u200b",
    "a" * 3000,
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "null",
    "[]",
    "{}",
]
# names the code reads besides the discovered ones
EXTRA_NAMES = ["start", "end", "start_date", "end_date", "due_before", "cursor", "limit", "offset"]

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**90), max_value=2**90).map(str),
    st.dates().map(dt.date.isoformat),
    st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=14))])).map(
        dt.datetime.isoformat
    ),
    st.text(string.printable, max_size=40),
    st.text(max_size=20).filter(lambda s: "\x00" not in s),
)


def _names_in_source() -> list[str]:
    found: set[str] = set()
    pattern = re.compile(r"(?:GET|POST|params|data|query)\.(?:get|getlist)\(\"([a-z_0-9]+)\"")
    for path in SRC.rglob("*.py"):
        found.update(pattern.findall(path.read_text(encoding="utf-8")))
    from motcua.api import api

    for item in api.get_openapi_schema()["paths"].values():
        for operation in item.values():
            found.update(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
    return sorted(found | set(EXTRA_NAMES))


@dataclass(frozen=True)
class Route:
    prefix: str  # literal part (RegexPattern) or the whole route (RoutePattern)
    pattern: object  # RoutePattern or RegexPattern of the last segment

    def __str__(self) -> str:
        return self.prefix + str(self.pattern)


def _walk(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield Route(prefix, p.pattern)


def _routes() -> list[Route]:
    routes = list(_walk(get_resolver().url_patterns))
    assert len(routes) > 150  # the walk found the site, not an empty conf
    return routes


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _path_strategy(route: Route, ids: dict[str, list]) -> st.SearchStrategy[str]:
    """A concrete path for ``route``: parameters from real identifiers or hostile values."""
    if isinstance(route.pattern, RegexPattern):
        regex = str(route.pattern).lstrip("^").rstrip("$")
        if regex == ".*":  # the API's catch-all
            return st.sampled_from(["nope", "v1/nope", "a" * 500]).map(
                lambda s: "/" + route.prefix + s
            )
        return st.from_regex(re.compile(regex, re.ASCII), fullmatch=True).map(
            lambda s: "/" + route.prefix + s
        )
    assert isinstance(route.pattern, RoutePattern)
    text = route.prefix + str(route.pattern)
    parts = _PARAM.split(text)
    # split() yields literal, conv, name, literal, conv, name, ..., literal
    pieces: list[st.SearchStrategy[str]] = []
    for i in range(0, len(parts), 3):
        pieces.append(st.just(parts[i]))
        if i + 2 < len(parts):
            conv = parts[i + 1] or "str"
            if conv == "int":
                pieces.append(
                    st.one_of(
                        st.sampled_from(ids["int"]),
                        st.sampled_from(["0", "9223372036854775808", "1" + "0" * 40]),
                        st.integers(min_value=0, max_value=2**70).map(str),
                    )
                )
            else:
                pieces.append(
                    st.one_of(
                        st.sampled_from(ids["str"]),
                        st.sampled_from(["x", "a" * 600, "ǅ🙂", "%00", "..", "0"]),
                        st.text(
                            string.ascii_letters + string.digits + ".-_", min_size=1, max_size=30
                        ),
                    )
                )
    return st.tuples(*pieces).map(lambda t: "/" + "".join(t))


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name → type or first option)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
            }
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea") and self._current is not None and a.get("name"):
            self._current["fields"][a["name"]] = (tag, a.get("type") or "", a.get("value") or "")
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._current is not None and self._select:
            kind, _typ, value = self._current["fields"].get(self._select, ("select", "", ""))
            if not value and a.get("value"):  # the first real choice, kept on some draws
                self._current["fields"][self._select] = (kind, "select", a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


# never submitted: they end the persona's session or change the interface language
SKIPPED_ACTIONS = ("logout", "dang-xuat", "/i18n/")


def _post_forms(html: str, page_path: str) -> list[tuple[str, dict]]:
    parser = _Forms()
    parser.feed(html)
    found = []
    for form in parser.forms:
        if form["method"] != "post":
            continue
        action = urlsplit(form["action"]).path or page_path
        if any(s in action for s in SKIPPED_ACTIONS):
            continue
        found.append((action, form["fields"]))
    return found


def _fill(fields: dict, draw) -> dict:
    data = {}
    for name, (_tag, kind, value) in fields.items():
        if name == "csrfmiddlewaretoken":
            data[name] = value
        elif kind == "file":
            data[name] = SimpleUploadedFile(
                "a.pdf", draw(st.sampled_from([b"%PDF-1.4\n", b"MZ\x90", b""]))
            )
        elif kind in ("hidden", "checkbox", "radio", "select") and draw(st.booleans()):
            data[name] = value  # keep what the page put there (version, action, choice)
        else:
            data[name] = draw(values)
    return data


@pytest.fixture
def fuzz_world(db, settings, tmp_path):
    """The engine's two-agency world with dossiers in a few states, forms and attachments."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_FEEDBACK_CENTRE_CODE = ""  # the root agency is the 1022 centre
    world = make_world()
    from motcua.feedback.defaults import ensure_default_categories

    ensure_default_categories()
    citizen = world.citizen1
    dossiers = [
        new_dossier(world, state="registered"),
        new_dossier(world, state="received"),
        new_dossier(world, state="in_process"),
    ]
    return world, citizen, dossiers


def _ids(dossiers: list[Dossier]) -> dict[str, list]:
    strings = [d.code for d in Dossier.objects.all()] + ["1.004884", "000.00.31.H13", "01", "02"]
    ints = [str(pk) for pk in IssuedForm.objects.values_list("pk", flat=True)]
    ints += [str(pk) for pk in Attachment.objects.values_list("pk", flat=True)] + ["1", "2"]
    return {"str": sorted(set(strings)), "int": sorted(set(ints))}


def _clients(world, citizen) -> dict[str, Client]:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name, user in (
        ("citizen", citizen),
        ("officer", world.desk_officer_a),
        ("administrator", world.root),
    ):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[name] = client
    return clients


def _personas(route: Route) -> set[str]:
    """Who requests the route: the admin and the (slow, parameterless) schema need fewer."""
    if str(route).startswith("admin/"):
        return {"anonymous", "administrator"}  # citizens and officers get the admin's login
    if str(route) == "api/v1/openapi.json":
        return {"anonymous"}
    return {"anonymous", "citizen", "officer", "administrator"}


def _check(response, method: str, path: str, who: str, failures: list[str]) -> None:
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {method} {path[:200]} as {who}")


def test_no_route_or_form_answers_5xx_to_hostile_input(fuzz_world):
    world, citizen, dossiers = fuzz_world
    routes = _routes()
    names = _names_in_source()
    ids = _ids(dossiers)
    clients = _clients(world, citizen)
    strategies = [(route, _path_strategy(route, ids)) for route in routes]
    query = st.dictionaries(st.sampled_from(names), values, min_size=1, max_size=4)

    @settings(
        max_examples=SWEEPS,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is a full sweep
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def sweep(data):
        failures: list[str] = []
        posted: set[tuple[str, str]] = set()
        for route, path_strategy in strategies:
            path = data.draw(path_strategy)
            params = data.draw(query)
            for who, client in clients.items():
                if who not in _personas(route):
                    continue
                response = client.get(path, params)
                _check(response, "GET", f"{path}?{params}", who, failures)
                if response.status_code != 200 or "text/html" not in response.get(
                    "Content-Type", ""
                ):
                    continue
                for action, fields in _post_forms(response.content.decode(), path):
                    if (action, who) in posted:
                        continue
                    posted.add((action, who))
                    body = _fill(fields, data.draw)
                    _check(client.post(action, body), "POST", f"{action} {body}", who, failures)
        assert not failures, "\n".join(failures)
        # the sweep reached the forms, not only redirects and 404s
        assert len(posted) >= 15, posted

    sweep()
