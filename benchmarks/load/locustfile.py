"""The mixed profile: one kind of user whose tasks are weighted like a city's day — mostly
anonymous portal and tracking requests, some citizens (their dossiers, an online submission
with an upload), desk officers and an agency administrator (queues, dossier pages, receive
and hand over), the commune's leader (dashboard, approve), API clients (catalog, dossier list,
a receive task). Run by ``mixed.py`` (``locust --headless``, 8 users, no wait: a closed loop
like wrk's 8 connections).

Every request checks its answer (status and marker; a redirect where a page is expected is an
error); actions check the redirect back to the dossier (desk forms) or the API's 200. Each
request is recorded (name, time, ok) and written to ``$LOADTEST_SAMPLES`` at exit, so that
``mixed.py`` can compute percentiles per request and per group. Settings come from
``$LOADTEST_WORLD`` (the world of ``gen_dossiers.py --world`` plus the sessions).
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from locust import FastHttpUser, constant, events, task

WORLD = json.loads(Path(os.environ["LOADTEST_WORLD"]).read_text())
SESSIONS = WORLD["sessions"]
USERS = WORLD["users"]
POOLS = {name: list(codes) for name, codes in WORLD["pools"].items()}
CSRF = "LoadTest" * 8  # 64 characters: Django accepts a cookie and form token pair like this
SAMPLES: list[tuple[str, float, bool, str]] = []
STATE = {"started": 0.0, "stopped": 0.0, "pool_empty": {}, "writes_done": False}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PAGE_MARKERS = {
    "home": "<h1>Dịch vụ công",
    "search": 'id="result-count"',
    "procedure": 'id="procedure-title"',
    "tracking": 'id="track-found"',
    "public stats": "<h1>Thống kê giải quyết thủ tục hành chính</h1>",
    "citizen: my dossiers": "<h1>Hồ sơ của tôi</h1>",
    "citizen: dossier page": 'id="dossier-code"',
    "desk: queue": "<h1>Hàng đợi hồ sơ</h1>",
    "desk: dossier page": "<h1>Hồ sơ ",
    "leader: dashboard": "<h1>Thống kê, điều hành</h1>",
    "api: catalog": '"items"',
    "api: dossier list": '"items"',
}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kw):
    SAMPLES.append(
        (name, response_time, exception is None, "" if exception is None else str(exception)[:160])
    )


@events.test_start.add_listener
def _started(**kw):
    STATE["started"] = time.time()


@events.test_stop.add_listener
def _stopped(**kw):
    STATE["stopped"] = time.time()


@events.quitting.add_listener
def _dump(**kw):
    out = {
        "samples": SAMPLES,
        "seconds": (STATE["stopped"] or time.time()) - STATE["started"],
        "pool_empty": STATE["pool_empty"],
    }
    Path(os.environ["LOADTEST_SAMPLES"]).write_text(json.dumps(out))


def cookie(user: str) -> str:
    return f"{SESSIONS['cookie']}={SESSIONS['sessions'][USERS[user]]}; csrftoken={CSRF}"


def hidden_fields(page: str, action_path: str) -> dict[str, str] | None:
    """The hidden fields of the form posting to ``action_path`` (CSRF, once token, version)."""
    start = page.find(f'action="{action_path}"')
    if start < 0:
        return None
    form = page[start : page.find("</form>", start)]
    return dict(re.findall(r'name="(_once|expected_version)"[^>]*?value="([^"]*)"', form))


def multipart(boundary: str, fields: dict[str, str], upload: tuple[str, str, str, bytes]):
    """A multipart/form-data body, as a browser sends a form with a file."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    name, filename, mime, data = upload
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'
    )
    return b"".join(parts) + head.encode() + data + f"\r\n--{boundary}--\r\n".encode()


class CityDay(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.client.cookiejar = None  # every request carries exactly its own cookies
        self.tracking = 0
        if not STATE["writes_done"]:
            # the first user takes every write path once, so that each run (even a short
            # smoke run) measures and checks the online submission and each officer action
            STATE["writes_done"] = True
            self.online_submission()
            self.receive()
            self.hand_over()
            self.approve()
            self.api_receive()

    # -- helpers -----------------------------------------------------------------------------
    def page(self, path: str, name: str, *, user: str | None = None, headers=None) -> str | None:
        h = {"Accept-Language": "vi", **(headers or {})}
        if user:
            h["Cookie"] = cookie(user)
        with self.client.get(
            path, name=name, headers=h, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code} {r.headers.get('Location', '')}")
                return None
            text = r.text or ""
            if PAGE_MARKERS[name] not in text:
                r.failure("marker missing")
                return None
            r.success()
            return text

    def post(self, path: str, name: str, *, user: str, data, expect: str, **kw) -> str | None:
        """A form post that must answer with a redirect whose Location contains ``expect``."""
        headers = {"Cookie": cookie(user), "Accept-Language": "vi", **kw.pop("headers", {})}
        with self.client.post(
            path,
            name=name,
            data=data,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            **kw,
        ) as r:
            location = r.headers.get("Location", "") if r.headers else ""
            if r.status_code != 302 or expect not in location:
                r.failure(f"HTTP {r.status_code} {location} {(r.text or '')[:120]}")
                return None
            r.success()
            return location

    def take(self, pool: str) -> str | None:
        if not POOLS[pool]:
            STATE["pool_empty"][pool] = STATE["pool_empty"].get(pool, 0) + 1
            return None
        return POOLS[pool].pop()

    # -- anonymous citizens ----------------------------------------------------------------------
    @task(12)
    def home(self) -> None:
        self.page("/", "home")

    @task(10)
    def search(self) -> None:
        self.page("/?q=khai+sinh", "search")

    @task(12)
    def procedure(self) -> None:
        codes = WORLD["catalog"] or [WORLD["procedure"]["code"]]
        self.page(f"/thu-tuc/{quote(codes[int(time.time() * 1000) % len(codes)])}/", "procedure")

    @task(16)
    def tracking_page(self) -> None:
        code, digits = WORLD["tracking"][self.tracking % len(WORLD["tracking"])]
        self.page(
            f"/tra-cuu/?code={quote(code)}&digits={digits}",
            "tracking",
            headers={"X-Forwarded-For": self.address()},
        )

    def address(self) -> str:
        """A new client address per anonymous request (tracking and the public API are rate
        limited per address; the harness's app trusts 127.0.0.1 as its proxy)."""
        self.tracking += 1
        n = self.tracking
        return f"10.{200 + id(self) % 50}.{n // 250 % 250}.{n % 250 + 1}"

    @task(3)
    def public_stats(self) -> None:
        self.page("/thong-ke/", "public stats")

    # -- logged-in citizens ------------------------------------------------------------------------
    @task(5)
    def my_dossiers(self) -> None:
        self.page("/ho-so/", "citizen: my dossiers", user="citizen")

    @task(6)
    def citizen_dossier(self) -> None:
        codes = WORLD["citizen_dossiers"]
        code = codes[int(time.time() * 1000) % len(codes)]
        self.page(f"/ho-so/{quote(code)}/", "citizen: dossier page", user="citizen")

    @task(2)
    def online_submission(self) -> None:
        """Start a draft, upload the declaration (PDF), fill in the applicant, submit."""
        proc = WORLD["procedure"]
        draft = self.post(
            f"/thu-tuc/{quote(proc['code'])}/nop/",
            "submit: start",
            user="citizen",
            data={"csrfmiddlewaretoken": CSRF},
            expect="/nop-ho-so/",
        )
        if draft is None:
            return
        key = draft.rstrip("/").rsplit("/", 1)[-1]
        boundary = uuid.uuid4().hex
        body = multipart(
            boundary,
            {"csrfmiddlewaretoken": CSRF, "document": str(proc["document"])},
            ("file", "to-khai.pdf", "application/pdf", PDF),
        )
        with self.client.post(
            f"/nop-ho-so/{key}/tep/",
            name="submit: upload",
            data=body,
            headers={
                "Cookie": cookie("citizen"),
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "HX-Request": "true",  # the page's own HTMX upload: the file list comes back
            },
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 200 or "to-khai" not in (r.text or ""):
                r.failure(f"HTTP {r.status_code} {(r.text or '')[:120]}")
                return
            r.success()
        applicant = {
            "csrfmiddlewaretoken": CSRF,
            "kind": "individual",
            "name": "Nguyễn Thị Dân",
            "id_number": "092190001234",
            "phone": "0912345678",
            "agency": str(WORLD["commune"]["pk"]),
            "review": "1",
        }
        if self.post(
            f"/nop-ho-so/{key}/",
            "submit: applicant",
            user="citizen",
            data=applicant,
            expect="/xem-lai/",
        ):
            self.post(
                f"/nop-ho-so/{key}/nop/",
                "submit: send",
                user="citizen",
                data={"csrfmiddlewaretoken": CSRF},
                expect="/ho-so/",
            )

    # -- desk officers ----------------------------------------------------------------------------
    @task(5)
    def queue_desk(self) -> None:
        self.page("/desk/", "desk: queue", user="desk")

    @task(3)
    def queue_desk_filtered(self) -> None:
        self.page(self.filtered(), "desk: queue", user="desk")

    @task(3)
    def queue_admin(self) -> None:
        self.page("/desk/", "desk: queue", user="admin")

    @task(2)
    def queue_admin_filtered(self) -> None:
        self.page(self.filtered(), "desk: queue", user="admin")

    def filtered(self) -> str:
        return f"/desk/?state=in_process&procedure={WORLD['procedure']['pk']}"

    @task(4)
    def desk_dossier(self) -> None:
        codes = WORLD["desk_dossiers"] or WORLD["citizen_dossiers"]
        code = codes[int(time.time() * 1000) % len(codes)]
        self.page(f"/desk/dossiers/{quote(code)}/", "desk: dossier page", user="desk")

    def act(self, pool: str, action: str, user: str, name: str, fields: dict) -> None:
        code = self.take(pool)
        if code is None:
            return
        url = f"/desk/dossiers/{quote(code)}/"
        page = self.page(url, "desk: dossier page", user=user)
        if page is None:
            return
        hidden = hidden_fields(page, f"{url}actions/{action}/")
        if not hidden:
            events.request.fire(
                request_type="POST",
                name=name,
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"no {action} form on {code}"),
            )
            return
        data = {"csrfmiddlewaretoken": CSRF, **hidden, **fields}
        self.post(f"{url}actions/{action}/", name, user=user, data=data, expect=url)

    @task(1)
    def receive(self) -> None:
        self.act("receive", "receive", "desk", "desk: receive", {})

    @task(1)
    def hand_over(self) -> None:
        self.act("hand_over", "hand_over", "desk", "desk: hand over", {"note": "Chuyển xử lý"})

    # -- leaders ---------------------------------------------------------------------------------
    @task(3)
    def dashboard(self) -> None:
        self.page("/desk/thong-ke/", "leader: dashboard", user="leader")

    @task(1)
    def approve(self) -> None:
        self.act(
            "approve",
            "approve",
            "leader",
            "leader: approve",
            {"result_documents": "Trích lục khai sinh", "note": ""},
        )

    # -- API clients ----------------------------------------------------------------------------
    def api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {WORLD['token']}"}

    @task(4)
    def api_catalog(self) -> None:
        self.page(
            "/api/v1/catalog/procedures",
            "api: catalog",
            headers={"X-Forwarded-For": self.address()},
        )

    @task(4)
    def api_dossiers(self) -> None:
        self.page("/api/v1/dossiers?limit=20", "api: dossier list", headers=self.api_headers())

    @task(1)
    def api_receive(self) -> None:
        code = self.take("api_receive")
        if code is None:
            return
        with self.client.post(
            f"/api/v1/dossiers/{quote(code)}/receive",
            name="api: receive",
            json={"expected_version": 1},
            headers={**self.api_headers(), "Idempotency-Key": uuid.uuid4().hex},
            catch_response=True,
        ) as r:
            if r.status_code != 200 or '"state"' not in (r.text or ""):
                r.failure(f"HTTP {r.status_code} {(r.text or '')[:160]}")
            else:
                r.success()
