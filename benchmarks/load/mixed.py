"""The mixed profile: locust headless (8 users, no wait) with ``locustfile.py``, and its
figures overall, per request type and per group (online submission, officer actions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUBMISSION = ("submit: start", "submit: upload", "submit: applicant", "submit: send")
ACTIONS = ("desk: receive", "desk: hand over", "leader: approve", "api: receive")


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile (what wrk's histogram reports too)."""
    if not sorted_ms:
        return 0.0
    rank = max(1, min(len(sorted_ms), round(q / 100 * len(sorted_ms) + 0.4999)))
    return sorted_ms[rank - 1]


def figures(samples: list, seconds: float) -> dict:
    times = sorted(s[1] for s in samples)
    errors = [s for s in samples if not s[2]]
    return {
        "requests": len(samples),
        "rps": len(samples) / seconds if seconds else 0.0,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "max": times[-1] if times else 0.0,
        "errors": len(errors),
        "error_examples": sorted({e[3] for e in errors})[:5],
    }


def run(base_url: str, world_file: Path, *, duration: float, work: Path, users: int = 8) -> dict:
    samples_file = work / "locust-samples.json"
    samples_file.unlink(missing_ok=True)
    env = dict(os.environ, LOADTEST_WORLD=str(world_file), LOADTEST_SAMPLES=str(samples_file))
    seconds = max(1, round(duration))
    done = subprocess.run(
        [
            *(sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless"),
            *("-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", base_url),
            *("--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"),
            "--exit-code-on-error",
            "0",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        cwd=work,
    )
    if not samples_file.exists():
        raise RuntimeError(f"locust failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    raw = json.loads(samples_file.read_text())
    samples, span = raw["samples"], raw["seconds"] or seconds
    by_name: dict[str, list] = {}
    for s in samples:
        by_name.setdefault(s[0], []).append(s)
    return {
        "overall": {**figures(samples, span), "tool": f"locust -u {users} -t {seconds}s"},
        "per_request": {name: figures(rows, span) for name, rows in sorted(by_name.items())},
        "submission": figures([s for s in samples if s[0] in SUBMISSION], span),
        "actions": figures([s for s in samples if s[0] in ACTIONS], span),
        "pool_empty": raw.get("pool_empty", {}),
        "seconds": span,
    }
