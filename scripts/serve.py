"""Serve motcua for `make run`, and stop everything it started on Ctrl-C, SIGTERM or make's death.

    python scripts/serve.py --bind HOST:PORT [--background CMD [--background-log FILE]]...
                            [-- extra gunicorn arguments]

Runs gunicorn (settings: ``src/motcua/gunicorn_conf.py``) and each ``--background`` shell
command (e.g. a demo loader) in a process group of its own, and stays their parent. Why not let
the shell run them: a non-interactive shell starts ``cmd &`` with SIGINT ignored, so Ctrl-C
left such a loader running; GNU make passes its SIGTERM only to its direct child; and nothing
at all reaches the children when make itself is killed. So:

- the Makefile ``exec``s this script, making it make's direct child: make's SIGTERM reaches it,
  and Ctrl-C (SIGINT to the terminal's foreground group: make and this script) as well;
- it forwards SIGINT (quick stop) or SIGTERM/SIGHUP (graceful stop) to gunicorn's group and
  SIGTERM to the background groups, waits up to ``--grace`` seconds, then kills what is left;
- it is a child subreaper, so any descendant orphaned on the way is reparented to it and
  killed too: when it exits, no child of `make run` remains and the port is free;
- the kernel sends it SIGTERM if make dies (``PR_SET_PDEATHSIG``), even by ``kill -9``.

It ends as the signal that stopped it (so make reports an interrupt), or with gunicorn's exit
status when gunicorn stopped on its own.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PR_SET_CHILD_SUBREAPER = 36
POLL_SECONDS = 0.1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)  # the C library Python runs on
    return libc.prctl(option, value, 0, 0, 0) == 0


def _die_with_parent() -> None:
    """In each child before it runs: SIGTERM when serve.py dies, even by ``kill -9``, so that
    gunicorn's master (whose workers die with it) never outlives its supervisor.
    (serve.py runs no threads, so ``preexec_fn`` is safe here.)"""
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    def __init__(self, grace: float) -> None:
        self.grace = grace
        self.server: subprocess.Popen[bytes] | None = None
        self.background: list[subprocess.Popen[bytes]] = []
        self.exited: dict[int, int] = {}  # pid -> wait status, for the processes we started
        self.stop_signal: int | None = None
        self.signals_seen = 0

    # -- starting ----------------------------------------------------------------------------
    def start(self, server_cmd: list[str], background: list[tuple[str, Path | None]]) -> None:
        for command, log in background:
            out = open(log, "ab") if log else None  # noqa: SIM115 - the child keeps it open
            shell = ["/bin/sh", "-c", command]
            self.background.append(
                subprocess.Popen(
                    shell, stdout=out, stderr=out, process_group=0, preexec_fn=_die_with_parent
                )
            )
            if out:
                out.close()
        self.server = subprocess.Popen(server_cmd, process_group=0, preexec_fn=_die_with_parent)

    # -- signals -----------------------------------------------------------------------------
    def on_signal(self, signum: int, _frame: object) -> None:
        self.signals_seen += 1
        if self.stop_signal is None:
            self.stop_signal = signum

    def forward(self, signum: int) -> None:
        """Ask every group still running to stop: gunicorn gets the signal itself (SIGINT:
        quick, SIGTERM: graceful), background commands SIGTERM (their shell may ignore SIGINT).
        """
        assert self.server is not None
        server_sig = signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM
        self._signal_group(self.server, server_sig)
        for proc in self.background:
            self._signal_group(proc, signal.SIGTERM)

    def _signal_group(self, proc: subprocess.Popen[bytes], sig: int) -> None:
        # Only while the group leader is unreaped (alive or zombie): its pid, which is the
        # group's id, cannot have been reused for another process.
        if proc.pid not in self.exited:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, sig)

    # -- waiting -----------------------------------------------------------------------------
    def reap(self) -> None:
        """Collect every exited child: ours, and orphans reparented to us (subreaper)."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self._started_pids():
                self.exited[pid] = status  # orphans reparented to us need no record

    def _started_pids(self) -> set[int]:
        pids = {proc.pid for proc in self.background}
        if self.server is not None:
            pids.add(self.server.pid)
        return pids

    def children(self) -> list[int]:
        """Our direct children (alive or zombie), from /proc (Linux)."""
        pids: list[int] = []
        for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
            with contextlib.suppress(OSError):
                pids += [int(pid) for pid in (task / "children").read_text().split()]
        return pids

    def kill_all(self) -> None:
        """SIGKILL every process left, group by group then child by child, until none."""
        for proc in [self.server, *self.background]:
            if proc is not None:
                self._signal_group(proc, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            self.reap()
            left = self.children()
            if not left:
                return
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(POLL_SECONDS)

    def run(self) -> int:
        assert self.server is not None
        stop_deadline: float | None = None
        while True:
            self.reap()
            server_done = self.server.pid in self.exited
            if self.stop_signal is not None and stop_deadline is None:
                self.forward(self.stop_signal)
                stop_deadline = time.monotonic() + self.grace
            elif server_done and stop_deadline is None:
                # gunicorn stopped by itself (failed to boot, port taken): stop the rest too
                self.forward(signal.SIGTERM)
                stop_deadline = time.monotonic() + self.grace
            if stop_deadline is not None:
                everyone_done = not self.children()
                if everyone_done or time.monotonic() > stop_deadline or self.signals_seen > 1:
                    break
            time.sleep(POLL_SECONDS)
        self.kill_all()
        if self.server.pid not in self.exited:
            return 1
        code = os.waitstatus_to_exitcode(self.exited[self.server.pid])
        return code if code >= 0 else 128 - code  # killed by a signal: the shell's convention


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument(
        "--background", action="append", default=[], help="shell command run beside the server"
    )
    parser.add_argument(
        "--background-log",
        action="append",
        default=[],
        type=Path,
        help="file receiving the output of the --background command of the same rank",
    )
    parser.add_argument(
        "--grace", type=float, default=15.0, help="seconds the children get to stop"
    )
    parser.add_argument("gunicorn_args", nargs="*", help="after --: more gunicorn arguments")
    args = parser.parse_args(argv)

    parent = os.getppid()
    supervisor = Supervisor(args.grace)
    for sig in STOP_SIGNALS:
        signal.signal(sig, supervisor.on_signal)
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # make died before the request above took effect
        return 1
    _prctl(PR_SET_CHILD_SUBREAPER, 1)

    logs: list[Path | None] = list(args.background_log)
    logs += [None] * (len(args.background) - len(logs))
    server_cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:motcua.gunicorn_conf",
        "--bind",
        args.bind,
        *args.gunicorn_args,
    ]
    supervisor.start(server_cmd, list(zip(args.background, logs, strict=True)))
    code = supervisor.run()
    if supervisor.stop_signal is not None:
        # end as the signal did, so that make (and a shell) report an interruption
        signal.signal(supervisor.stop_signal, signal.SIG_DFL)
        os.kill(os.getpid(), supervisor.stop_signal)
    return code


if __name__ == "__main__":
    sys.exit(main())
