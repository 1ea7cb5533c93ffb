"""Fill a benchmark database with N dossiers (default 1,000,000) over the Cần Thơ agency tree.

    python scripts/with_postgres.py -- .venv/bin/python benchmarks/gen_dossiers.py [N] [--fresh]
        [--db NAME] [--world FILE] [--pool N]

Never touches the configured database itself: on the server of ``DATABASE_URL`` it creates (or
reuses) a separate database (``--db``, default ``motcua_bench``; the load test uses
``motcua_load_1m`` …); on SQLite it uses ``var/<name>.sqlite3``. It migrates it, imports
``agencies_cantho_2021.csv``, creates a few procedures with the default workflow and the
benchmark officers, then loads the dossiers fast — not through the services: rows built in
Python (seeded, so the same for the same day) and written by psycopg ``COPY`` in text format on
PostgreSQL, where from ``BARE_COPY_MIN`` rows the table's secondary indexes and unique and
foreign-key constraints are dropped before the COPY and rebuilt after it, in the same
transaction (``executemany`` on SQLite). It prints the rows per second. Only the
``dossiers_dossier`` table is filled (the queue benchmark reads nothing else). Re-running with
the same N does nothing; ``--fresh`` drops the database first.

``--world FILE`` adds what the load test's scenarios need (``make_load_world``: a leader, a
citizen owning some of the dossiers, an API token, the 2021 catalog, a procedure open to online
submission, and pools of actionable dossiers made through the services) and writes it as JSON.

Also the shared set-up of ``bench_queue.py`` and ``bench_intake.py`` (``use_database``,
``make_world``).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import os
import random
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BENCH_DB = "motcua_bench"
DEFAULT_N = 1_000_000
AGENCIES_CSV = ROOT / "src/motcua/agencies/data/agencies_cantho_2021.csv"


def use_database(name: str = BENCH_DB, *, fresh: bool = False) -> str:
    """Point Django at a dedicated database next to ``DATABASE_URL``'s, migrate it, and return
    the vendor ("postgresql" or "sqlite")."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as admin:
            admin.autocommit = True
            if fresh:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        path = ROOT / "var" / f"{name}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory: never while measuring
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    return connection.vendor


def say(text: str) -> None:
    print(text, flush=True)


def describe_database() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        name = connection.settings_dict["NAME"]
        return f"PostgreSQL {version // 10000}.{version % 10000} (database {name})"
    return f"SQLite (file {connection.settings_dict['NAME']})"


# -- the world: agencies, procedures, officers ------------------------------------------------

PROCEDURES = (  # (code, name, legal working days, fee)
    ("1.004884", "Thủ tục đăng ký lại khai sinh", 5, 8000),
    ("1.001193", "Thủ tục đăng ký kết hôn", 3, 0),
    ("1.003583", "Thủ tục chứng thực bản sao từ bản chính", 0, 2000),
    ("1.000894", "Thủ tục đăng ký khai tử", 3, 0),
    ("2.000815", "Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ", 15, 75000),
    ("1.004227", "Thủ tục đăng ký hộ kinh doanh", 3, 100000),
)


@dataclass
class World:
    communes: list  # Agency rows of level commune
    districts: list
    departments: list
    procedures: list
    desk_commune: object  # the commune of the benchmark desk officer
    district: object  # the district of the benchmark agency admin
    desk: object  # User: desk officer of ``desk_commune`` (restricted)
    admin: object  # User: agency admin of ``district`` (subtree scope)


def make_world() -> World:
    """Idempotent: agencies from the Cần Thơ CSV, procedures with the default workflow, and
    two restricted officers (never superusers)."""
    from django.db.models import Count

    from motcua.accounts.models import Membership, Role
    from motcua.agencies.importers import import_agencies_csv
    from motcua.agencies.models import Agency
    from motcua.catalog.models import FeeLine, Field, Procedure
    from motcua.catalog.services import create_default_workflow

    if not Agency.objects.exists():
        import_agencies_csv(AGENCIES_CSV)
    field, _ = Field.objects.get_or_create(name_vi="Hộ tịch")
    procedures = []
    for code, name, days, fee in PROCEDURES:
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            procedure = Procedure.objects.create(
                code=code,
                name_vi=name,
                field=field,
                at_commune=True,
                at_district=True,
                processing_amount=days,
                processing_unit="d",
            )
            if fee:
                FeeLine.objects.create(procedure=procedure, name="Lệ phí", amount_vnd=fee)
            create_default_workflow(procedure)
        procedures.append(procedure)
    by_level = lambda level: list(Agency.objects.filter(level=level).order_by("code"))  # noqa: E731
    communes, districts = by_level("commune"), by_level("district")
    # the district with the most communes, and its first commune
    district = (
        Agency.objects.filter(level="district")
        .annotate(n=Count("children"))
        .order_by("-n", "code")
        .first()
    )
    commune = Agency.objects.filter(parent=district, level="commune").order_by("code").first()
    desk = _officer("bench_desk", commune, Role.DESK_OFFICER)
    admin = _officer("bench_admin", district, Role.AGENCY_ADMIN)
    assert not (desk.is_superuser or admin.is_superuser)
    assert Membership.objects.filter(user__in=[desk, admin]).count() == 2
    return World(
        communes, districts, by_level("department"), procedures, commune, district, desk, admin
    )


def _officer(username: str, agency, role):
    from motcua.accounts.models import Membership, User

    user, created = User.objects.get_or_create(username=username, defaults={"full_name": username})
    if created:
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


# -- the dossiers -----------------------------------------------------------------------------

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng")
MIDDLE = ("Văn", "Thị", "Thị Hồng", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Kim", "Đức")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Khoa", "Lan", "Nhung", "Phúc", "Quân")
GIVEN += ("Sơn", "Thảo", "Tú", "Uyên", "Vy", "Xuân", "Yến", "Hiếu", "Trinh", "Đạt", "Toàn")
# (state, share): most dossiers of past years are closed; about 6 % are open today
STATES = (
    ("returned", 0.885),
    ("withdrawn", 0.010),
    ("stopped", 0.004),
    ("not_received", 0.015),
    ("decided", 0.020),
    ("awaiting_payment", 0.004),
    ("in_process", 0.030),
    ("supplement_requested", 0.006),
    ("received", 0.010),
    ("registered", 0.012),
    ("completion_requested", 0.004),
)
OPEN_RECENT = {
    "decided",
    "awaiting_payment",
    "in_process",
    "supplement_requested",
    "received",
    "registered",
    "completion_requested",
}
COLUMNS = [
    *("code", "version", "state", "procedure_id", "workflow_id", "receiving_agency_id"),
    *("deciding_agency_id", "current_agency_id", "current_step", "channel", "applicant_kind"),
    *("applicant_name", "applicant_name_search", "applicant_id_number", "applicant_tax_code"),
    *("applicant_representative", "applicant_phone", "applicant_email", "applicant_address"),
    *("applicant_vneid", "submitted_at", "received_at", "due_at", "effective_due_at"),
    *("paused_total", "paused_working_seconds", "supplement_count", "ended_at", "returned_at"),
    *("outcome", "decision_note", "result_electronic", "result_delivery", "created_at"),
    *("updated_at", "field_values"),
]
CHANNELS = ("desk",) * 5 + ("city_portal",) * 3 + ("national_portal", "post")


def dossier_rows(n: int, world: World, now: dt.datetime, seed: int = 20250124) -> Iterator[tuple]:
    """Yield ``n`` dossier rows (tuples in ``COLUMNS`` order) with realistic states and dates:
    receptions weighted towards communes and districts, closed ones over the last four years,
    open ones over the last six weeks; due dates 0–15 working days (approximated as calendar
    days × 1.4) after reception. Deterministic for a given ``seed`` and ``now``.

    Timestamps are UTC text ``YYYY-MM-DD HH:MM:SS`` (what Django stores on SQLite, and what
    PostgreSQL reads in the UTC session Django opens); everything is computed on integer epoch
    seconds, because datetime arithmetic and time-zone conversion were most of the generator's
    time (Vietnam has kept UTC+7 without daylight saving since 1975)."""
    from django.db import connection

    from motcua.catalog.models import Workflow
    from motcua.core.text import normalize_search

    # every query runs here, before the first row: the rows are consumed inside a COPY
    plans = [(p, Workflow.objects.get(procedure=p, status="active")) for p in world.procedures]
    agencies = world.communes * 3 + world.districts * 20 + world.departments * 2
    return _rows(
        n,
        int(now.timestamp()),
        plans,
        agencies,
        random.Random(seed),
        normalize_search,
        copy_text=connection.vendor == "postgresql",
    )


VN_OFFSET = 7 * 3600
DAY = 86400


class _Clock:
    """Epoch seconds to the texts a row needs: one date formatting per day, and the 86,400
    times of day formatted once."""

    def __init__(self) -> None:
        self.utc_days: dict[int, str] = {}
        self.vn_days: dict[int, str] = {}
        self.times = [f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}" for t in range(DAY)]

    def text(self, seconds: int | None, null: str | None = None) -> str | None:
        if seconds is None:
            return null
        day, rest = divmod(seconds, DAY)
        prefix = self.utc_days.get(day)
        if prefix is None:
            prefix = dt.datetime.fromtimestamp(day * DAY, dt.UTC).strftime("%Y-%m-%d ")
            self.utc_days[day] = prefix
        return prefix + self.times[rest]

    def vn_day(self, seconds: int) -> str:
        """``yymmdd`` of the local (Asia/Ho_Chi_Minh) day, as dossier codes write it."""
        day = (seconds + VN_OFFSET) // DAY
        text = self.vn_days.get(day)
        if text is None:
            text = dt.datetime.fromtimestamp(day * DAY, dt.UTC).strftime("%y%m%d")
            self.vn_days[day] = text
        return text


def _rows(n, now, plans, agencies, rng, normalize_search, *, copy_text: bool = False):
    """The rows; with ``copy_text``, every value already as COPY's text format writes it
    (``\\N``, ``t``/``f``), so that ``load`` only joins them: a function call per value was a
    third of the generator's time. Every draw is ``rng.random()`` scaled (``choice`` and
    ``randrange`` cost five times as much in Python)."""
    null, true, false = ("\\N", "t", "f") if copy_text else (None, True, False)
    states, weights = zip(*STATES, strict=True)
    cumulative = list(itertools.accumulate(weights))
    state_of = [states[bisect.bisect_right(cumulative, k / 10000)] for k in range(10000)]
    names: dict[str, str] = {}
    sequence: dict[tuple[int, str], int] = {}
    clock = _Clock()
    text, vn_day = clock.text, clock.vn_day
    four_years = 4 * 365 * DAY
    six_weeks = 42 * DAY
    places = [(a.pk, a.code, a.name_vi) for a in agencies]
    plans = [(p.pk, w.pk, int((w.legal_amount or 0.5) * 1.4 * DAY)) for p, w in plans]
    rnd = rng.random

    def pick(seq):
        return seq[int(rnd() * len(seq))]

    deliveries = ("desk", "desk", "post", "online")
    for i in range(n):
        agency, code, agency_name = pick(places)
        procedure, workflow, due_span = pick(plans)
        state = state_of[int(rnd() * 10000)]
        submitted = now - int(rnd() * (six_weeks if state in OPEN_RECENT else four_years))
        local_hour = (submitted + VN_OFFSET) % DAY // 3600
        if not 7 <= local_hour < 17:  # move to office hours, same day
            submitted += (7 + int(rnd() * 10) - local_hour) * 3600
        day = vn_day(submitted)
        key = (agency, day)
        sequence[key] = seq = sequence.get(key, 0) + 1
        name = f"{pick(FAMILY)} {pick(MIDDLE)} {pick(GIVEN)}"
        search = names.get(name) or names.setdefault(name, normalize_search(name))
        received = due = ended = returned = None
        outcome = delivery = ""
        supplements = 0
        if state not in ("registered", "completion_requested"):
            received = submitted + 60 * (5 + int(rnd() * 235))
            due = received + due_span
        if state == "supplement_requested" or rnd() < 0.05:
            supplements = 1
        if state in ("returned", "decided", "awaiting_payment"):
            outcome = "approved" if rnd() < 0.97 else "refused"
        if state not in OPEN_RECENT or state in ("decided", "awaiting_payment"):
            if received:  # ended: mostly on time, ~4 % late
                ended = received + int(due_span * rnd() * (1.3 if rnd() < 0.04 else 0.95))
            else:
                ended = submitted + 7200
        if state == "returned":
            returned = ended + 3600 * (1 + int(rnd() * 71))
            delivery = pick(deliveries)
        if state == "not_received":
            received = due = None
        submitted_text, due_text = text(submitted), text(due, null)
        ended_text = text(ended, null)
        yield (
            f"{code}-{day}-{seq:04d}",
            1,
            state,
            procedure,
            workflow,
            agency,
            agency,
            agency,
            0 if received is None else 1,
            pick(CHANNELS),
            "individual",
            name,
            search,
            f"0921{i:08d}",
            "",
            "",
            f"09{int(rnd() * 10**8):08d}",
            "",
            f"{1 + int(rnd() * 299)} đường 30/4, {agency_name}",
            true if rnd() < 0.3 else false,
            submitted_text,
            text(received, null),
            due_text,
            due_text,
            0,  # paused_total: no pause
            0,
            supplements,
            ended_text,
            text(returned, null),
            outcome,
            "",
            true if outcome == "approved" and rnd() < 0.4 else false,
            delivery,
            submitted_text,
            ended_text if ended else submitted_text,
            "{}",  # no declaration fields
        )


def load(rows, vendor: str, batch: int = 50_000) -> int:
    """Write generated rows into ``dossiers_dossier`` in one transaction: COPY (text format,
    written in blocks of ``batch`` lines) on PostgreSQL, ``executemany`` on SQLite."""
    from django.db import connection, transaction

    columns = ", ".join(COLUMNS)
    total = 0
    if vendor == "postgresql":
        raw = connection.cursor().connection  # the psycopg connection
        # the rows' timestamps are UTC texts without offset: the session must read them so
        assert raw.info.parameter_status("TimeZone") in ("UTC", "Etc/UTC"), "session not UTC"
        sql = f"COPY dossiers_dossier ({columns}) FROM STDIN"
        with transaction.atomic(), raw.cursor() as cur, cur.copy(sql) as copy:
            lines: list[str] = []
            for row in rows:
                lines.append("\t".join(map(str, row)))  # rows in COPY text already
                if len(lines) == batch:
                    copy.write(("\n".join(lines) + "\n").encode())
                    total += len(lines)
                    lines.clear()
                    if total % 500_000 == 0:
                        say(f"  {total:,} rows copied")
            if lines:
                copy.write(("\n".join(lines) + "\n").encode())
                total += len(lines)
        return total
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO dossiers_dossier ({columns}) VALUES ({marks})"
    chunk: list = []
    with connection.cursor() as cur:
        for row in rows:
            chunk.append(row)
            if len(chunk) == batch:
                with transaction.atomic():
                    cur.executemany(sql, chunk)
                total += len(chunk)
                chunk.clear()
                say(f"  {total:,} rows inserted")
        if chunk:
            with transaction.atomic():
                cur.executemany(sql, chunk)
            total += len(chunk)
    return total


# Above this many rows, COPY into a table stripped of its secondary indexes and of its unique
# and foreign-key constraints, then rebuild them: one sort per index instead of a B-tree
# insertion per row and index (the table has about a dozen), and one join per foreign key
# instead of a trigger per row.
BARE_COPY_MIN = 200_000


@contextlib.contextmanager
def bare_table(table: str) -> Iterator[None]:
    """Inside the caller's transaction: drop ``table``'s secondary indexes and its unique and
    foreign-key constraints, and recreate them (same names and definitions) on exit."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY conname",
            [table],
        )
        constraints = cur.fetchall()
        cur.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid "
            "AND c.conrelid = x.indrelid) ORDER BY i.relname",
            [table],
        )
        indexes = cur.fetchall()
        for name, _ in constraints:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    yield
    began = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cur.execute(definition)
        for name, definition in constraints:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    say(
        f"  {len(indexes)} indexes and {len(constraints)} constraints rebuilt in "
        f"{time.perf_counter() - began:.1f} s"
    )


def seed_code_counters(vendor: str) -> None:
    """Start today's daily code counters after the generated codes: a dossier submitted through
    the services later today (the load test's scenarios) must not draw a code COPY wrote."""
    from django.db import connection
    from django.utils import timezone

    day = timezone.localdate().strftime("%y%m%d")
    seq = "CAST(substr(d.code, length(d.code) - 3) AS integer)"
    key = "'dossier:' || d.receiving_agency_id || ':' || %s"
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO dossiers_counter (key, last) SELECT {key}, MAX({seq}) "
            "FROM dossiers_dossier d WHERE d.code LIKE %s GROUP BY d.receiving_agency_id "
            "ON CONFLICT (key) DO UPDATE SET last = "
            + ("GREATEST" if vendor == "postgresql" else "MAX")
            + "(dossiers_counter.last, excluded.last)",
            [day, f"%-{day}-%"],
        )


def ensure_dossiers(n: int, vendor: str, world: World) -> None:
    """Make the benchmark database hold exactly the generated ``n`` dossiers (idempotent)."""
    from django.db import connection, transaction

    from motcua.dossiers.models import Counter, Dossier

    marker = f"bench:generated:{n}"
    if Counter.objects.filter(key=marker).exists():
        say(f"{n:,} generated dossiers already present ({marker}).")
        return
    if Dossier.objects.exists():
        raise SystemExit(
            f"The benchmark database already holds other dossiers; re-run with --fresh "
            f"to regenerate {n:,}."
        )
    say(f"Generating {n:,} dossiers on {describe_database()} …")
    began = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    bare = vendor == "postgresql" and n >= BARE_COPY_MIN
    with transaction.atomic():
        with bare_table("dossiers_dossier") if bare else contextlib.nullcontext():
            total = load(dossier_rows(n, world, now), vendor)
            loaded = time.perf_counter() - began
            how = "COPY" if vendor == "postgresql" else "INSERT"
            say(f"  {how}: {total:,} rows in {loaded:.1f} s ({total / loaded:,.0f} rows/s)")
        seed_code_counters(vendor)
        Counter.objects.create(key=marker, last=total)
    built = time.perf_counter() - began
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    say(
        f"Loaded {total:,} dossiers in {built:.1f} s ({total / built:,.0f} rows/s with the "
        f"indexes), analysed in {time.perf_counter() - began - built:.1f} s."
    )


# -- the load test's world (benchmarks/load): users, a token, actionable dossiers ------------

CITIZEN = "load_citizen"
LEADER = "bench_leader"
PASSWORD = "Load-test-123"  # a throw-away local database's test accounts
CITIZEN_DOSSIERS = 30
ONLINE_PROCEDURE = PROCEDURES[0][0]  # accepts online submission with an upload
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# pools of open dossiers made through the services, each consumed by one scenario action
POOLS = ("receive", "hand_over", "approve", "api_receive")


def make_load_world(world: World, pool_size: int, tracking_codes: int = 1000) -> dict:
    """Idempotent: what the load scenarios need besides the COPY'd bulk (left as it is):

    - a leader of the desk officer's commune, and a citizen owning ``CITIZEN_DOSSIERS`` of the
      generated dossiers (``applicant_user``, as an online submission links them);
    - the province's 2021 catalog (so that the portal lists what a city's portal lists), the
      first benchmark procedure open to online submission at the commune with one required
      document (the upload);
    - an API token of the commune (desk officer role, read and task scopes): its secret is
      re-issued at each call, as only its hash is stored;
    - ``pool_size`` open dossiers per action (``POOLS``), topped up through the real services
      (submit, receive, hand over), so each is complete and actionable by its scenario;
    - ``tracking_codes`` (code, 4 digits) pairs of generated dossiers for the tracking page.

    Returns all of it as a JSON-able dict (the harness's ``world.json``)."""
    from motcua.accounts.models import Role, User
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier
    from motcua.restapi.models import ApiToken
    from motcua.restapi.tokens import TOKEN_PREFIX, create_token, hash_secret

    commune = world.desk_commune
    leader = _officer(LEADER, commune, Role.LEADER)
    citizen = User.objects.filter(username=CITIZEN).first()
    if citizen is None:
        citizen = User.objects.create_user(
            username=CITIZEN, password=PASSWORD, full_name="Nguyễn Thị Dân", phone="0912345678"
        )
    owned = Dossier.objects.filter(applicant_user=citizen).count()
    if owned < CITIZEN_DOSSIERS:
        ids = (
            Dossier.objects.filter(receiving_agency=commune, applicant_user__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)[: CITIZEN_DOSSIERS - owned]
        )
        Dossier.objects.filter(id__in=list(ids)).update(applicant_user=citizen)
    procedure = _online_procedure(world)
    document = procedure.required_documents.order_by("order").first()
    _stats_rebuilt()
    token = ApiToken.objects.filter(name="load-test", agency=commune).first()
    if token is None:
        issued = create_token(
            name="load-test", agency=commune, permissions=["dossiers:read", "tasks:*"]
        )
        token, secret = issued.token, issued.secret
    else:  # only the hash is stored: issue a new secret for this run
        secret = f"{TOKEN_PREFIX}_{token.prefix}_{secrets.token_urlsafe(32)}"
        ApiToken.objects.filter(pk=token.pk).update(token_hash=hash_secret(secret))
    pools = fill_pools(world, procedure, leader, pool_size)
    owned_codes = list(
        Dossier.objects.filter(applicant_user=citizen, imported=False)
        .exclude(channel="city_portal", state="registered")
        .order_by("id")
        .values_list("code", flat=True)[:CITIZEN_DOSSIERS]
    )
    return {
        "password": PASSWORD,
        "users": {
            "desk": world.desk.username,
            "admin": world.admin.username,
            "leader": leader.username,
            "citizen": citizen.username,
        },
        "commune": {"pk": commune.pk, "code": commune.code},
        "token": secret,
        "procedure": {"code": procedure.code, "pk": procedure.pk, "document": document.pk},
        "citizen_dossiers": owned_codes,
        "desk_dossiers": _desk_codes(commune),
        "catalog": list(
            Procedure.objects.filter(is_active=True)
            .exclude(code="")
            .order_by("code")
            .values_list("code", flat=True)[:40]
        ),
        "tracking": tracking_pairs(tracking_codes),
        "pools": pools,
    }


def _stats_rebuilt() -> None:
    """The statistics aggregates over the COPY'd dossiers (the public statistics page and the
    leader's dashboard read them; COPY bypasses the hooks that keep them), once: afterwards
    the services' hooks keep them up to date."""
    from motcua.dossiers.models import Counter
    from motcua.stats import services

    if Counter.objects.filter(key="load:stats-rebuilt").exists():
        return
    began = time.perf_counter()
    read = services.rebuild()
    Counter.objects.create(key="load:stats-rebuilt", last=1)
    took = time.perf_counter() - began
    say(f"Statistics aggregates rebuilt from {read:,} dossiers in {took:.1f} s.")


def _online_procedure(world: World):
    """The province's 2021 catalog beside the benchmark procedures (codes already present are
    kept as they are), and the first benchmark procedure open online at the commune."""
    import csv
    import tempfile

    from motcua.agencies.models import Agency
    from motcua.catalog.importers import import_procedures_csv
    from motcua.catalog.models import OnlineMode, Procedure, RequiredDocument

    source = ROOT / "src/motcua/catalog/data/procedures_cantho_2021.csv"
    existing = set(Procedure.objects.values_list("code", flat=True))
    with open(source, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [r for r in reader if r["code"] not in existing]
        fieldnames = reader.fieldnames
    if rows:
        with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=fieldnames)
            writer.writeheader()
            writer.writerows(rows)
            out.flush()
            import_procedures_csv(out.name)
        for level in ("commune", "district"):
            agencies = list(Agency.objects.filter(level=level))
            for procedure in Procedure.objects.filter(
                **{f"at_{level}": True}, implementing_agencies__isnull=True
            ):
                procedure.implementing_agencies.add(*agencies)
    procedure = Procedure.objects.get(code=ONLINE_PROCEDURE)
    if procedure.online_mode != OnlineMode.FULL:
        Procedure.objects.filter(pk=procedure.pk).update(online_mode=OnlineMode.FULL)
        procedure.refresh_from_db()
    procedure.implementing_agencies.add(world.desk_commune)
    RequiredDocument.objects.get_or_create(
        procedure=procedure, order=1, defaults={"name": "Tờ khai đăng ký lại khai sinh"}
    )
    return procedure


def fill_pools(world: World, procedure, leader, size: int) -> dict[str, list[str]]:
    """Top up each pool to ``size`` open dossiers of the desk commune, through the services:
    submitted online (to receive), received (to hand over), handed over to the leader's step
    (to approve); the API client's pool is a second set to receive. A pool's members are told
    apart by their applicant's name (``Tải thử <pool> …``)."""
    from motcua.catalog.models import StepRole, Workflow
    from motcua.catalog.queries import workflow_steps
    from motcua.dossiers import services as S
    from motcua.dossiers.models import Dossier

    commune, desk = world.desk_commune, world.desk
    document = procedure.required_documents.order_by("order").first()
    workflow = Workflow.objects.get(procedure=procedure, status="active")
    steps = [s for s in workflow_steps(workflow) if s.role != StepRole.RETURN]
    pools: dict[str, list[str]] = {}
    wanted = {  # pool -> (state, the step it waits at: None before reception)
        "receive": ("registered", None),
        "api_receive": ("registered", None),
        "hand_over": ("received", steps[0].order),  # just received
        "approve": ("in_process", steps[-1].order),  # at the leader's step
    }
    for pool, (state, step) in wanted.items():
        mine = Dossier.objects.filter(
            receiving_agency=commune, applicant_name__startswith=f"Tải thử {pool} ", state=state
        )
        if step is not None:
            mine = mine.filter(current_step=step)
        have = mine.count()
        serial = Dossier.objects.filter(applicant_name__startswith=f"Tải thử {pool} ").count()
        for i in range(serial, serial + size - have):
            d = S.submit(
                by=desk,
                procedure=procedure,
                receiving_agency=commune,
                applicant=S.ApplicantData(
                    name=f"Tải thử {pool} {i:05d}",
                    id_number=f"0922{i:08d}",
                    phone=f"09{i:08d}",
                ),
                documents=[S.DocumentInput(name=document.name, required_document_id=document.pk)],
                channel="desk",
            )
            if step is None:
                continue
            d = S.receive(d.pk, by=desk)
            while d.current_step != step:
                d = S.hand_over(d.pk, by=desk)
        pools[pool] = list(mine.order_by("id").values_list("code", flat=True)[:size])
    return pools


def _desk_codes(commune, limit: int = 200) -> list[str]:
    """Generated dossiers of the desk commune for its dossier page: the open ones (in
    process), or, in a tiny data set without any, its latest ones."""
    from motcua.dossiers.models import Dossier

    mine = Dossier.objects.filter(receiving_agency=commune).exclude(
        applicant_name__startswith="Tải thử "  # the pools' own
    )
    codes = list(
        mine.filter(state="in_process").order_by("id").values_list("code", flat=True)[:limit]
    )
    return codes or list(mine.order_by("-id").values_list("code", flat=True)[:limit])


def tracking_pairs(limit: int) -> list[list[str]]:
    """(code, last 4 digits of the applicant's phone) of generated dossiers, spread over the
    table (every k-th row), as citizens would type them on the tracking page."""
    from django.db.models import F

    from motcua.dossiers.models import Dossier

    total = Dossier.objects.count()
    step = max(1, total // max(1, limit))
    rows = (
        Dossier.objects.order_by()
        .alias(k=F("id") % step)
        .filter(k=0)
        .values_list("code", "applicant_phone")[:limit]
    )
    return [[code, phone[-4:]] for code, phone in rows if len(phone) >= 4]


def main(argv: list[str]) -> int:
    """``gen_dossiers.py [N] [--fresh] [--db NAME] [--world FILE] [--pool N]``: ``--db``
    names the database (default ``motcua_bench``); ``--world`` also makes the load test's
    world (``make_load_world``, pools of ``--pool`` dossiers, default 150) and writes it as
    JSON to FILE."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--db", default=BENCH_DB)
    parser.add_argument("--world", type=Path)
    parser.add_argument("--pool", type=int, default=150)
    args = parser.parse_args(argv)
    vendor = use_database(args.db, fresh=args.fresh)
    default = DEFAULT_N if vendor == "postgresql" else 100_000
    n = int(args.n.replace("_", "").replace(",", "")) if args.n else default
    if vendor != "postgresql":
        say("NOTE: running on SQLite, not PostgreSQL (the 1,000,000-row goal is for PostgreSQL).")
    world = make_world()
    ensure_dossiers(n, vendor, world)
    if args.world:
        began = time.perf_counter()
        data = make_load_world(world, args.pool)
        args.world.write_text(json.dumps(data, ensure_ascii=False, indent=1))
        say(f"Load-test world ready in {time.perf_counter() - began:.1f} s ({args.world}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
