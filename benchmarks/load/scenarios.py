"""What the load test requests, who asks, what each answer must contain, and the goals of
issue 11 §2 (2 cores, 8 connections, 1M dossiers; at 10M within 2× the 1M figures).

Every single-endpoint scenario checks each answer: a 2xx status and its marker text (a page's
own heading or element id, absent from the login page and from error pages). A redirect — to
the login page or anywhere — counts as an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass(frozen=True)
class Goal:
    min_rps: float | None = None
    p50: float | None = None  # ms, upper bounds
    p95: float | None = None
    p99: float | None = None
    errors: int | None = None  # at most

    def text(self) -> str:
        parts = []
        if self.min_rps:
            parts.append(f"≥ {self.min_rps:g} req/s")
        for name in ("p50", "p95", "p99"):
            if getattr(self, name) is not None:
                parts.append(f"{name} < {getattr(self, name):g} ms")
        if self.errors is not None:
            parts.append(f"{self.errors} errors")
        return ", ".join(parts)


QUEUE = Goal(min_rps=100, p50=50, p99=150)
PORTAL = Goal(min_rps=500, p99=100)
TRACKING = Goal(min_rps=300, p99=100)
API = Goal(min_rps=400, p99=100)
MIXED = Goal(min_rps=300, p95=100, errors=0)
WRITES = Goal(p95=300)  # online submission and officer actions under the mixed load


@dataclass(frozen=True)
class Scenario:
    name: str  # for --only
    what: str  # the table's first column
    paths: tuple[str, ...]  # requested in turn (codes rotate)
    marker: str
    user: str | None = None  # a session of this user (world["users"] key)
    token: bool = False  # the API client's bearer token
    # a different client address per request (X-Forwarded-For through the trusted proxy):
    # tracking and the public API are rate limited per address, and a city's load comes
    # from many addresses
    forwarded: bool = False
    goal: Goal | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


def single(world: dict) -> list[Scenario]:
    """The single-endpoint scenarios (wrk), in the table's order."""
    proc = world["procedure"]
    queue_filter = f"?state=in_process&procedure={proc['pk']}"
    tracking = tuple(
        f"/tra-cuu/?code={quote(code)}&digits={digits}" for code, digits in world["tracking"]
    )
    catalog = tuple(f"/thu-tuc/{quote(code)}/" for code in world["catalog"]) or (
        f"/thu-tuc/{proc['code']}/",
    )
    return [
        Scenario("home", "portal home `/`", ("/",), "<h1>Dịch vụ công", goal=PORTAL),
        Scenario(
            "search",
            "portal search `/?q=khai+sinh`",
            ("/?q=khai+sinh",),
            'id="result-count"',
            goal=PORTAL,
        ),
        Scenario(
            "procedure",
            "procedure page `/thu-tuc/…/`",
            catalog,
            'id="procedure-title"',
            goal=PORTAL,
        ),
        Scenario(
            "tracking",
            "public tracking `/tra-cuu/?code=…&digits=…`",
            tracking,
            'id="track-found"',
            forwarded=True,
            goal=TRACKING,
        ),
        Scenario(
            "public_stats",
            "public statistics `/thong-ke/`",
            ("/thong-ke/",),
            "<h1>Thống kê giải quyết thủ tục hành chính</h1>",
        ),
        Scenario(
            "open311",
            "`/open311/v2/services.json`",
            ("/open311/v2/services.json",),
            "service_code",
        ),
        Scenario(
            "my_dossiers",
            "citizen: my dossiers `/ho-so/`",
            ("/ho-so/",),
            "<h1>Hồ sơ của tôi</h1>",
            user="citizen",
        ),
        Scenario(
            "citizen_dossier",
            "citizen: a dossier page `/ho-so/…/`",
            tuple(f"/ho-so/{quote(c)}/" for c in world["citizen_dossiers"]),
            'id="dossier-code"',
            user="citizen",
        ),
        Scenario(
            "queue_desk",
            "desk queue `/desk/` (commune desk officer)",
            ("/desk/",),
            "<h1>Hàng đợi hồ sơ</h1>",
            user="desk",
            goal=QUEUE,
        ),
        Scenario(
            "queue_desk_filtered",
            "desk queue filtered (state + procedure), desk officer",
            (f"/desk/{queue_filter}",),
            "<h1>Hàng đợi hồ sơ</h1>",
            user="desk",
            goal=QUEUE,
        ),
        Scenario(
            "queue_admin",
            "desk queue `/desk/` (district agency admin)",
            ("/desk/",),
            "<h1>Hàng đợi hồ sơ</h1>",
            user="admin",
            goal=QUEUE,
        ),
        Scenario(
            "queue_admin_filtered",
            "desk queue filtered (state + procedure), agency admin",
            (f"/desk/{queue_filter}",),
            "<h1>Hàng đợi hồ sơ</h1>",
            user="admin",
            goal=QUEUE,
        ),
        Scenario(
            "desk_dossier",
            "desk dossier page `/desk/dossiers/…/`",
            tuple(f"/desk/dossiers/{quote(c)}/" for c in world["desk_dossiers"]),
            "<h1>Hồ sơ ",
            user="desk",
        ),
        Scenario(
            "leader_dashboard",
            "leader: statistics dashboard `/desk/thong-ke/`",
            ("/desk/thong-ke/",),
            "<h1>Thống kê, điều hành</h1>",
            user="leader",
        ),
        Scenario(
            "api_catalog",
            "API `/api/v1/catalog/procedures`",
            ("/api/v1/catalog/procedures",),
            '"items"',
            forwarded=True,  # public and rate limited per client address, as tracking
            goal=API,
        ),
        Scenario(
            "api_dossiers",
            "API dossier list `/api/v1/dossiers?limit=20` (token)",
            ("/api/v1/dossiers?limit=20",),
            '"items"',
            token=True,
            goal=API,
        ),
    ]


MIXED_NAME = "mixed"
