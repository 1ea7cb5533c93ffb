"""Fill a benchmark database with N dossiers (default 1,000,000) over the Cần Thơ agency tree.

    python scripts/with_postgres.py -- .venv/bin/python benchmarks/gen_dossiers.py [N] [--fresh]

Never touches the configured database itself: on the server of ``DATABASE_URL`` it creates (or
reuses) a separate database ``motcua_bench``; on SQLite it uses ``var/motcua_bench.sqlite3``.
It migrates it, imports ``agencies_cantho_2021.csv``, creates a few procedures with the default
workflow and the benchmark officers, then loads the dossiers fast (Python-built rows through
psycopg ``COPY`` on PostgreSQL, ``executemany`` on SQLite) — not through the services. Only the
``dossiers_dossier`` table is filled (the queue benchmark reads nothing else). Re-running with
the same N does nothing; ``--fresh`` drops the database first.

Also the shared set-up of ``bench_queue.py`` and ``bench_intake.py`` (``use_database``,
``make_world``).
"""

from __future__ import annotations

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
    days × 1.4) after reception."""
    from motcua.catalog.models import Workflow
    from motcua.core.text import normalize_search

    # every query runs here, before the first row: the rows are consumed inside a COPY
    plans = [(p, Workflow.objects.get(procedure=p, status="active")) for p in world.procedures]
    agencies = world.communes * 3 + world.districts * 20 + world.departments * 2
    return _rows(n, now, plans, agencies, random.Random(seed), normalize_search)


def _rows(n, now, plans, agencies, rng, normalize_search):
    states, weights = zip(*STATES, strict=True)
    cumulative = list(itertools.accumulate(weights))
    names: dict[str, str] = {}
    sequence: dict[tuple[int, str], int] = {}
    four_years = 4 * 365 * 86400
    six_weeks = 42 * 86400
    for i in range(n):
        agency = rng.choice(agencies)
        procedure, workflow = rng.choice(plans)
        state = rng.choices(states, cum_weights=cumulative)[0]
        back = rng.randrange(six_weeks if state in OPEN_RECENT else four_years)
        submitted = now - dt.timedelta(seconds=back)
        local = submitted.astimezone(VN)
        if not 7 <= local.hour < 17:  # move to office hours, same day
            submitted = local.replace(hour=7 + rng.randrange(10)).astimezone(dt.UTC)
        day = submitted.astimezone(VN).strftime("%y%m%d")
        key = (agency.pk, day)
        sequence[key] = seq = sequence.get(key, 0) + 1
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        search = names.get(name) or names.setdefault(name, normalize_search(name))
        received = due = ended = returned = None
        outcome = delivery = ""
        supplements = 0
        if state not in ("registered", "completion_requested"):
            received = submitted + dt.timedelta(minutes=rng.randrange(5, 240))
            days = workflow.legal_amount or 0.5
            due = received + dt.timedelta(days=days * 1.4)
        if state == "supplement_requested" or rng.random() < 0.05:
            supplements = 1
        if state in ("returned", "decided", "awaiting_payment"):
            outcome = "approved" if rng.random() < 0.97 else "refused"
        if state not in OPEN_RECENT or state in ("decided", "awaiting_payment"):
            if received:  # ended: mostly on time, ~4 % late
                span = (due - received) * (rng.random() * (1.3 if rng.random() < 0.04 else 0.95))
                ended = received + span
            else:
                ended = submitted + dt.timedelta(hours=2)
        if state == "returned":
            returned = ended + dt.timedelta(hours=rng.randrange(1, 72))
            delivery = rng.choice(("desk", "desk", "post", "online"))
        if state == "not_received":
            received = due = None
        yield (
            f"{agency.code}-{day}-{seq:04d}",
            1,
            state,
            procedure.pk,
            workflow.pk,
            agency.pk,
            agency.pk,
            agency.pk,
            0 if received is None else 1,
            rng.choice(CHANNELS),
            "individual",
            name,
            search,
            f"0921{i:08d}",
            "",
            "",
            f"09{rng.randrange(10**8):08d}",
            "",
            f"{rng.randrange(1, 300)} đường 30/4, {agency.name_vi}",
            rng.random() < 0.3,
            submitted,
            received,
            due,
            due,
            dt.timedelta(0),
            0,
            supplements,
            ended,
            returned,
            outcome,
            "",
            outcome == "approved" and rng.random() < 0.4,
            delivery,
            submitted,
            ended or submitted,
            "{}",  # no declaration fields
        )


def load(rows, vendor: str, batch: int = 50_000) -> int:
    from django.db import connection, transaction

    columns = ", ".join(COLUMNS)
    total = 0
    if vendor == "postgresql":
        raw = connection.cursor().connection  # the psycopg connection
        sql = f"COPY dossiers_dossier ({columns}) FROM STDIN"
        with transaction.atomic(), raw.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                total += 1
                if total % 100_000 == 0:
                    say(f"  {total:,} rows copied")
        return total
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO dossiers_dossier ({columns}) VALUES ({marks})"
    chunk: list = []
    with connection.cursor() as cur:
        for row in rows:
            chunk.append(tuple(_sqlite_value(v) for v in row))
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


def _sqlite_value(value):
    """What Django stores on SQLite: UTC datetimes as text, durations as microseconds."""
    from django.db import connection

    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.timedelta):
        return value // dt.timedelta(microseconds=1)
    return value


def ensure_dossiers(n: int, vendor: str, world: World) -> None:
    """Make the benchmark database hold exactly the generated ``n`` dossiers (idempotent)."""
    from django.db import connection

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
    total = load(dossier_rows(n, world, now), vendor)
    loaded = time.perf_counter() - began
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    Counter.objects.create(key=marker, last=total)
    say(
        f"Loaded {total:,} dossiers in {loaded:.1f} s ({total / loaded:,.0f} rows/s), "
        f"analysed in {time.perf_counter() - began - loaded:.1f} s."
    )


def main(argv: list[str]) -> int:
    fresh = "--fresh" in argv
    numbers = [a for a in argv if not a.startswith("--")]
    vendor = use_database(fresh=fresh)
    default = DEFAULT_N if vendor == "postgresql" else 100_000
    n = int(numbers[0].replace("_", "")) if numbers else default
    if vendor != "postgresql":
        say("NOTE: running on SQLite, not PostgreSQL (the 1,000,000-row goal is for PostgreSQL).")
    ensure_dossiers(n, vendor, make_world())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
