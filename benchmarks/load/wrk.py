"""Single endpoints with wrk (``-t2 -c8``): a Lua script per scenario rotates the paths, sends
the session cookie or bearer token and, for tracking, a different ``X-Forwarded-For`` address
per request; it checks every answer (2xx and the marker) and its ``done()`` prints one JSON
line: requests, duration, p50/p95/p99 from wrk's own latency histogram, non-2xx answers,
answers without the marker and socket errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .scenarios import Scenario

LUA = r"""
local paths = {%(paths)s}
local marker = %(marker)s
local headers = {%(headers)s}
local forwarded = %(forwarded)s
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  n, bad, missing, statuses = 0, 0, 0, ""
  idx = (tid * 7919) %% #paths
  seq = 0
end

function request()
  idx = idx %% #paths + 1
  if forwarded then
    seq = seq + 1
    local hi, lo = math.floor(seq / 250) %% 250, seq %% 250 + 1
    headers["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d", tid, hi, lo)
  end
  return wrk.format("GET", paths[idx], headers)
end

function response(status, hdrs, body)
  n = n + 1
  if status < 200 or status > 299 then
    bad = bad + 1
    if #statuses < 60 then statuses = statuses .. status .. " " end
  elseif marker ~= "" and not string.find(body, marker, 1, true) then
    missing = missing + 1
  end
end

function done(summary, latency, requests)
  local b, m, c, st = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    b = b + t:get("bad"); m = m + t:get("missing"); c = c + t:get("n"); st = st .. t:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    '\nLOADTEST {"requests": %%d, "checked": %%d, "duration_us": %%d, ' ..
    '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, "non2xx": %%d, ' ..
    '"no_marker": %%d, "socket_errors": %%d, "statuses": "%%s"}\n',
    summary.requests, c, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, b, m, e.connect + e.read + e.write + e.timeout, st))
end
"""


def _lua_string(text: str) -> str:
    level = "=" * 4  # a long bracket no marker or path contains
    assert f"]{level}]" not in text
    return f"[{level}[{text}]{level}]"


def script(scenario: Scenario, *, cookie: str = "", token: str = "") -> str:
    headers = {"Accept-Language": "vi"}
    if cookie:
        headers["Cookie"] = cookie
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return LUA % {
        "paths": ", ".join(_lua_string(p) for p in scenario.paths),
        "marker": _lua_string(scenario.marker),
        "headers": ", ".join(f'["{k}"] = {_lua_string(v)}' for k, v in headers.items()),
        "forwarded": "true" if scenario.forwarded else "false",
    }


def run(
    scenario: Scenario,
    base_url: str,
    *,
    duration: float,
    work: Path,
    cookie: str = "",
    token: str = "",
    threads: int = 2,
    connections: int = 8,
) -> dict:
    """Run wrk against one scenario; the figures as a dict (latencies in ms)."""
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk not found (apt package wrk)")
    lua = work / f"{scenario.name}.lua"
    lua.write_text(script(scenario, cookie=cookie, token=token))
    seconds = max(1, round(duration))
    done = subprocess.run(
        [
            *(binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"),
            *("-s", str(lua), base_url),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("LOADTEST ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed on {scenario.name}:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("LOADTEST "))
    seconds_run = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds_run if seconds_run else 0.0,
        "p50": raw["p50_us"] / 1000,
        "p95": raw["p95_us"] / 1000,
        "p99": raw["p99_us"] / 1000,
        "max": raw["max_us"] / 1000,
        "errors": raw["non2xx"] + raw["no_marker"] + raw["socket_errors"],
        "non2xx": raw["non2xx"],
        "no_marker": raw["no_marker"],
        "socket_errors": raw["socket_errors"],
        "statuses": raw["statuses"].split(),
        "checked": raw["checked"],
        "tool": f"wrk -t{threads} -c{connections} -d{seconds}s",
    }
