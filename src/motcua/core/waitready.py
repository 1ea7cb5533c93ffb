"""Wait until a URL answers 200 (systemd's readiness probe for the web unit).

    python -m motcua.core.waitready [--timeout SECONDS] URL

Exits 0 as soon as ``URL`` (``/healthz``: the server runs and reaches its database) answers
200, 1 when it has not within the timeout. ``deploy/systemd/motcua-web.service`` runs it as
``ExecStartPost``, so the unit is "active" only once the site really answers, and a start that
never gets there fails (and is retried by ``Restart=``) instead of being reported as running.
Standard library only: it must not need the site's configuration.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request

POLL_SECONDS = 0.5


def answers_ok(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - operator's URL
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def wait_ready(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if answers_ok(url, timeout=min(5.0, max(0.5, deadline - time.monotonic()))):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Wait until URL answers 200.")
    parser.add_argument("url")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    if wait_ready(args.url, args.timeout):
        return 0
    print(f"{args.url} did not answer 200 within {args.timeout:g} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
