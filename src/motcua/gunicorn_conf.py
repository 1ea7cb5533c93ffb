"""Gunicorn settings shared by ``make run`` (``scripts/serve.py``) and the systemd unit.

Use: ``gunicorn --config python:motcua.gunicorn_conf --bind HOST:PORT``. Site-specific values
(the address, and ``--workers``/``--threads`` if the defaults do not fit) come from the command
line or gunicorn's ``GUNICORN_CMD_ARGS`` environment variable, both of which win over this file.

Why the process settings (issue 15 §4): killing only the master (``kill -9``, the OOM killer)
left its workers serving and holding the port for about 30 s, because a worker only notices its
parent's death between two polls and then waits up to ``graceful_timeout`` for its open
connections with the listening socket still open; a restart failed with "Connection in use"
meanwhile. Here the kernel kills every worker the moment its master dies
(``PR_SET_PDEATHSIG``), so the port is free at once and a new master binds it. A worker cut
this way loses its in-flight requests exactly as a crashed worker would: every write is one
transaction, and API clients retry with their ``Idempotency-Key``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Any

wsgi_app = "motcua.wsgi:application"
proc_name = "motcua-web"


def _cores() -> int:
    """The cores this process may run on (a container's CPU set), not the host's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Processes, one request at a time each (gunicorn's sync worker; nginx in front buffers slow
# clients, docs/deployment.md), as many as gunicorn's own rule of thumb: 2 × cores + 1.
# Not threads: a signed-in page runs a dozen short queries, and after each one a thread that
# gave up the GIL to wait for PostgreSQL waits again, up to the 5 ms switch interval, for
# whichever thread holds it. With 2 workers × 4 threads, signed-in pages served half the
# requests per second that 5 single-threaded workers serve on the same 2 cores
# (docs/benchmarks.md, "Processes, not threads"). A slow request (a PDF form) still holds
# one process of five, as it held one thread of eight before.
workers = 2 * _cores() + 1
threads = 1
# A worker silent this long is killed and replaced by the master.
timeout = 30
# On SIGTERM (systemctl stop/restart, make's SIGTERM) in-flight requests get this long, then
# the master kills what is left; systemd's TimeoutStopSec is above it (deploy/systemd/).
graceful_timeout = 10
accesslog = "-"  # stdout: the terminal under make, the journal under systemd
errorlog = "-"
# Deliberately NOT reuse_port: with SO_REUSEPORT a new server would share the port with
# orphaned workers and the kernel would keep handing them connections. Gunicorn always sets
# SO_REUSEADDR, which is what lets a restart bind at once despite connections in TIME_WAIT.
reuse_port = False

# Gunicorn >= 25's control socket (``gunicornc``) defaults to one path per user
# ($HOME/.gunicorn/gunicorn.ctl), which a second server of the same user (a test, another
# instance) would take over: only under systemd, in the unit's own runtime directory.
_runtime_dir = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
if _runtime_dir:
    worker_tmp_dir = _runtime_dir  # heartbeat files on tmpfs, not on disk
    control_socket = os.path.join(_runtime_dir, "gunicorn.ctl")
else:
    control_socket_disable = True

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent dies (Linux only).

    Returns False where unsupported; gunicorn's own parent-pid check then remains the only
    (slower) safeguard.
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)  # the C library Python runs on
    return libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker: die with the master."""
    die_with_parent(signal.SIGKILL)
    if os.getppid() != worker.ppid:
        os._exit(1)  # the master died before the request above took effect
