"""The results: a markdown table per data size (what | req/s | p50 | p95 | p99 | errors |
goal), pgbench's rows beside the app's, written to ``<load dir>/results-<size>-<time>.md`` and
``.json``, and, with ``--docs``, into the marked block of ``docs/benchmarks.md``
(``<!-- load:1M -->`` … ``<!-- /load:1M -->``). A goal is judged in its row — ``met`` or
``MISSED`` with the figure that missed it — never left out."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .scenarios import Goal

DOCS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


@dataclass
class Row:
    what: str
    name: str
    rps: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    errors: int | None = None
    goal: Goal | None = None
    note: str = ""
    kind: str = "http"  # http | pgbench | check
    extra: dict = field(default_factory=dict)

    def judge(self, baseline: Row | None = None) -> str:
        """``met``, ``MISSED: …`` or ``—`` (no goal); ``baseline``: the same row at 1M (the
        10M goal: within 2× its 1M figure)."""
        missed = []
        g = self.goal
        if g is not None and self.rps is not None:
            if g.min_rps and self.rps < g.min_rps:
                missed.append(f"{self.rps:,.0f} req/s < {g.min_rps:g}")
            for name in ("p50", "p95", "p99"):
                limit, value = getattr(g, name), getattr(self, name)
                if limit is not None and value is not None and value >= limit:
                    missed.append(f"{name} {value:,.0f} ms ≥ {limit:g}")
        if self.errors:  # every answer must be the real page: an error is never a pass
            missed.append(f"{self.errors} errors")
        if baseline is not None and baseline.p50 and self.p50 is not None:
            if self.p50 > 2 * baseline.p50:
                missed.append(f"p50 {self.p50:,.0f} ms > 2× 1M ({baseline.p50:,.0f})")
            if baseline.rps and self.rps is not None and self.rps < baseline.rps / 2:
                missed.append(f"{self.rps:,.0f} req/s < ½ × 1M ({baseline.rps:,.0f})")
        if missed:
            return "MISSED: " + "; ".join(missed)
        if g is None and baseline is None:
            return "—"
        return "met"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f} ms" if value < 10 else f"{value:,.0f} ms"


def table(rows: list[Row], baselines: dict[str, Row] | None = None) -> str:
    lines = [
        "| what | req/s | p50 | p95 | p99 | errors | goal |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r.kind == "pgbench":
            lines.append(
                f"| {r.what} | {r.rps:,.0f} tps | {r.p50:,.2f} ms avg | | | {r.errors} | "
                f"(the floor) |"
            )
            continue
        if r.kind == "check":
            lines.append(f"| {r.what} | | | | | {r.errors or 0} | {r.note} |")
            continue
        verdict = r.judge((baselines or {}).get(r.name))
        goal = f"{verdict} ({r.goal.text()})" if r.goal and verdict == "met" else verdict
        rps = "—" if r.rps is None else f"{r.rps:,.1f}" if r.rps < 10 else f"{r.rps:,.0f}"
        note = f" {r.note}" if r.note else ""
        lines.append(
            f"| {r.what}{note} | {rps} | {_ms(r.p50)} | {_ms(r.p95)} | {_ms(r.p99)} | "
            f"{r.errors if r.errors is not None else '—'} | {goal} |"
        )
    return "\n".join(lines)


def header(size: str, meta: dict) -> str:
    load = meta["load_before"]
    return (
        f"**{size} dossiers** — {meta['date']} on {meta['machine']}; load average before the "
        f"run {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min), after "
        f"{meta['load_after'][0]:.2f}; {meta['duration']:g} s per scenario; "
        f"{meta['server']}; PostgreSQL {meta['postgres']} ({meta['pg_settings']}); "
        f"database {meta['database_size']}."
    )


def machine() -> str:
    cores = os.cpu_count() or 0
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return f"{cores} cores{memory}"


def write(load_dir: Path, size: str, rows: list[Row], meta: dict, baselines=None) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    md = f"{header(size, meta)}\n\n{table(rows, baselines)}\n"
    base = load_dir / f"results-{size}-{stamp}"
    Path(f"{base}.md").write_text(md)
    data = {
        "size": size,
        "meta": meta,
        "rows": [
            {
                **{k: v for k, v in asdict(r).items() if k != "goal"},
                "goal": r.goal.text() if r.goal else None,
                "verdict": r.judge((baselines or {}).get(r.name)) if r.kind == "http" else None,
            }
            for r in rows
        ],
    }
    Path(f"{base}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return Path(f"{base}.md")


def latest_rows(load_dir: Path, size: str) -> dict[str, Row]:
    """The rows of the newest results file of ``size`` (the 10M run's baseline)."""
    files = sorted(load_dir.glob(f"results-{size}-*.json"))
    if not files:
        return {}
    data = json.loads(files[-1].read_text())
    keep = {"what", "name", "rps", "p50", "p95", "p99", "errors", "kind"}
    return {
        r["name"]: Row(**{k: v for k, v in r.items() if k in keep})
        for r in data["rows"]
        if r.get("kind") == "http"
    }


def update_docs(size: str, text: str, docs: Path = DOCS) -> None:
    """Replace (or append) the block between ``<!-- load:SIZE -->`` and ``<!-- /load:SIZE -->``."""
    start, end = f"<!-- load:{size} -->", f"<!-- /load:{size} -->"
    content = docs.read_text() if docs.exists() else "# Benchmarks\n"
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in content and end in content:
        before, rest = content.split(start, 1)
        after = rest.split(end, 1)[1]
        content = before + block + after
    else:
        content = content.rstrip("\n") + "\n\n" + block + "\n"
    docs.write_text(content)
