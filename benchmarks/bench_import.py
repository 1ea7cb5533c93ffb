"""History import rate: dossiers per second from a CSV file to committed rows.

    python scripts/with_postgres.py -- .venv/bin/python benchmarks/bench_import.py [N]

A fresh database ``motcua_bench_import`` next to ``DATABASE_URL``'s (SQLite:
``var/motcua_bench_import.sqlite3``) with the Cần Thơ agency tree and the benchmark
procedures (``gen_dossiers.make_world``). Writes a CSV of N dossiers (default 200,000) in the
documented columns — 88 % returned, the rest open, withdrawn, stopped; 10 % with a supplement
round; fees paid online, digitised components, VNeID, national-portal sync times — then runs
``history.services.import_file`` on it once (read + validate + COPY/executemany + audit, one
transaction) and prints the phases and the overall dossiers/s. Goal: ≥ 20,000 dossiers/s on
PostgreSQL. A second import of the same file must add nothing (checked and timed).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from gen_dossiers import ROOT, describe_database, make_world, say, use_database

GOAL = 20_000.0
DB_NAME = "motcua_bench_import"
HEADER = [
    *("code", "procedure", "agency", "channel", "state", "submitted_at", "received_at"),
    *("due_at", "pauses", "ended_at", "returned_at", "outcome", "applicant_name"),
    *("applicant_id_number", "vneid", "paid_online", "paid_at", "fee_vnd", "digitised"),
    *("from_national_db", "result_electronic", "national_synced_at"),
]
STATES = (("returned", 88), ("in_process", 5), ("withdrawn", 2), ("stopped", 1),
          ("received", 2), ("decided", 2))  # fmt: skip
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Cường", "Phạm Ngọc Dung", "Võ Thanh Giang")


def write_file(path: Path, n: int, world, seed: int = 766) -> None:
    rng = random.Random(seed)
    agencies = [a.code for a in world.communes + world.districts]
    procedures = [(p.code, p.processing_amount or 1) for p in world.procedures]
    states, weights = zip(*STATES, strict=True)
    fmt = "%Y-%m-%d %H:%M"
    start = dt.datetime(2021, 1, 4, 8, 0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(n):
            code, days = rng.choice(procedures)
            state = rng.choices(states, weights)[0]
            submitted = start + dt.timedelta(days=rng.randrange(330), minutes=rng.randrange(480))
            received = submitted + dt.timedelta(minutes=rng.randrange(5, 120))
            due = received + dt.timedelta(days=days * 1.4 + 1)
            pauses = ended = returned = outcome = ""
            if rng.random() < 0.1:
                p0 = received + dt.timedelta(hours=3)
                pauses = f"{p0:{fmt}}/{p0 + dt.timedelta(days=2):{fmt}}"
            if state in ("returned", "withdrawn", "stopped", "decided"):
                ended = f"{received + dt.timedelta(days=days + 3, hours=2):{fmt}}"
            if state in ("returned", "decided"):
                outcome = "approved" if rng.random() < 0.97 else "refused"
            if state == "returned":
                returned = f"{received + dt.timedelta(days=days + 3, hours=5):{fmt}}"
            online = rng.random() < 0.4
            out.writerow(
                [
                    f"OLD-{i:08d}", code, rng.choice(agencies), "2" if online else "1", state,
                    f"{submitted:{fmt}}", f"{received:{fmt}}", f"{due:{fmt}}", pauses, ended,
                    returned, outcome, rng.choice(NAMES), f"0921{i:08d}",
                    "1" if rng.random() < 0.3 else "0", "1" if online else "0",
                    f"{submitted + dt.timedelta(minutes=3):{fmt}}" if online else "",
                    "8000" if online else "", "1" if online else "0",
                    "1" if rng.random() < 0.2 else "0", "1" if online else "0",
                    f"{received + dt.timedelta(hours=1):{fmt}}",
                ]
            )  # fmt: skip


def _server_cpu() -> float | None:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far, read
    from /proc (the temporary server runs on this machine); None elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def floor(n: int) -> None:
    """The server's floor: the dossier rows just imported, copied out as COPY text and
    copied back into a new table like ``dossiers_dossier`` — with all its indexes, then with
    none — without any validation, foreign key or child table. Rolled back."""
    from django.db import connection, transaction

    with connection.cursor() as outer:
        raw = outer.cursor
        data = bytearray()
        with raw.copy("COPY dossiers_dossier TO STDOUT") as copy:
            for block in copy:
                data += block
    for including, label in (("INCLUDING ALL", "all indexes"), ("INCLUDING DEFAULTS", "no index")):
        with transaction.atomic():
            with connection.cursor() as outer:
                outer.execute(f"CREATE TABLE bench_floor (LIKE dossiers_dossier {including})")
                server = _server_cpu()
                t = time.perf_counter()
                with outer.cursor.copy("COPY bench_floor FROM STDIN") as copy:
                    for start in range(0, len(data), 1 << 20):
                        copy.write(data[start : start + (1 << 20)])
                wall = time.perf_counter() - t
                server = _server_cpu() - server
                outer.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'bench_floor'")
                indexes = outer.fetchone()[0]
            transaction.set_rollback(True)
        say(f"  floor, bare COPY of the same {n:,} dossier rows into a copy of the table "
            f"({label}: {indexes}): {wall:.2f} s wall, backend CPU {server:.2f} s = "
            f"{server / n * 1e6:.0f} µs/row, {n / max(server, 1e-9):,.0f} rows/s")  # fmt: skip
    per_index(data)


def per_index(data: bytearray, rows: int = 50_000) -> None:
    """Backend CPU of each index of ``dossiers_dossier`` alone: the first ``rows`` rows
    copied into an index-less copy of the table with just that index, minus with none."""
    import re

    from django.db import connection, transaction

    cut = 0
    for _ in range(rows):
        cut = data.index(b"\n", cut) + 1
    sample = bytes(data[:cut])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossiers_dossier'"
        )
        indexes = cursor.fetchall()

    def cost(indexdef: str | None) -> float:
        with transaction.atomic():
            with connection.cursor() as outer:
                outer.execute("CREATE TABLE bench_floor (LIKE dossiers_dossier INCLUDING DEFAULTS)")
                if indexdef:
                    outer.execute(
                        re.sub(r" INDEX \S+ ON \S+", " INDEX ON bench_floor", indexdef, count=1)
                    )
                server = _server_cpu()
                with outer.cursor.copy("COPY bench_floor FROM STDIN") as copy:
                    copy.write(sample)
                server = _server_cpu() - server
            transaction.set_rollback(True)
        return server

    bare = min(cost(None) for _ in range(2))
    costs = sorted(((cost(d) - bare, name) for name, d in indexes), reverse=True)
    say(f"  each index alone ({rows:,} rows; backend CPU above the bare {bare / rows * 1e6:.0f}"
        f" µs/row): " + ", ".join(f"{name} {c / rows * 1e6:.0f}" for c, name in costs)
        + f"; sum {sum(c for c, _ in costs) / rows * 1e6:.0f} µs/row")  # fmt: skip


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 200_000
    vendor = use_database(DB_NAME, fresh=True)
    say(f"database: {describe_database()}")
    if vendor != "postgresql":
        say("NOTE: SQLite run — the goal is set for PostgreSQL; numbers are indicative.")
    world = make_world()
    from motcua.dossiers.models import Dossier, DossierDocument, FeeCharge, Pause
    from motcua.history import dossiers as importer
    from motcua.history import services
    from motcua.history.parsing import read_table

    path = ROOT / "var" / f"bench_import_{n}.csv"
    t = time.perf_counter()
    write_file(path, n, world)
    say(f"file: {n:,} rows, {path.stat().st_size / 1e6:.1f} MB, written in "
        f"{time.perf_counter() - t:.1f} s")  # fmt: skip

    # the phases, measured apart on the same file (nothing written)
    t = time.perf_counter()
    table = read_table(path, importer.COLUMNS)
    read_s = time.perf_counter() - t
    from django.utils import timezone

    t = time.perf_counter()
    prepared = importer.prepare(table, now=timezone.now())
    prepare_s = time.perf_counter() - t
    assert not prepared.problems, prepared.problems[:5]
    say(f"  read (csv):        {read_s:6.2f} s  ({n / read_s:,.0f} rows/s)")
    say(f"  validate + build:  {prepare_s:6.2f} s  ({n / prepare_s:,.0f} rows/s)")
    del table, prepared

    server = _server_cpu()
    client = time.process_time()
    t = time.perf_counter()
    result = services.import_file("dossiers", path)
    total = time.perf_counter() - t
    client = time.process_time() - client
    server = _server_cpu() - server if server is not None else None
    write_s = result.phases["write"]
    assert result.created == n == Dossier.objects.filter(imported=True).count()
    say(f"  in the import: read {result.phases['read']:.2f} s, validate "
        f"{result.phases['validate']:.2f} s")  # fmt: skip
    say(f"  write (COPY/executemany, commit): {write_s:6.2f} s "
        f"({n / max(write_s, 1e-9):,.0f} dossiers/s)")  # fmt: skip
    say(
        f"  rows: {Dossier.objects.count():,} dossiers, {Pause.objects.count():,} pauses, "
        f"{FeeCharge.objects.count():,} fees, {DossierDocument.objects.count():,} components"
    )
    rate = n / total
    say(f"import: {n:,} dossiers in {total:.2f} s = {rate:,.0f} dossiers/s (file to commit)")
    load = Path("/proc/loadavg").read_text().split()[:3]
    say(f"  CPU: this process {client:.2f} s" + (
        f", PostgreSQL backend {server:.2f} s" if server is not None else ""
    ) + f"; load average {' '.join(load)} on {os.cpu_count()} cores")  # fmt: skip
    if server is not None:
        busy = client + server
        say(f"  CPU-bound rate (wall time if both ran uncontended, one after the other): "
            f"{n / busy:,.0f} dossiers/s")  # fmt: skip
    if vendor == "postgresql":
        floor(n)
    t = time.perf_counter()
    again = services.import_file("dossiers", path)
    say(f"re-import of the same file: {again.created} added, {again.skipped:,} skipped, "
        f"{time.perf_counter() - t:.2f} s")  # fmt: skip
    assert again.created == 0
    if vendor == "postgresql":
        verdict = "MET" if rate >= GOAL else "NOT MET"
        say(f"goal ≥ {GOAL:,.0f} dossiers/s on PostgreSQL: {verdict}")
    path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
