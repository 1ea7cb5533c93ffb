"""End-to-end tests: Playwright drives Debian's Chromium (headless) against live_server.

Playwright's own browser download is never used: ``executable_path`` points at the system
Chromium that `.ci/run` installs. Screenshots for the README go to docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import traceback
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# scripts/test_both.py points the PostgreSQL pass elsewhere: one pass writes the README's copies.
SCREENSHOTS = Path(
    os.environ.get("MOTCUA_SCREENSHOTS_DIR")
    or Path(__file__).resolve().parents[2] / "docs" / "screenshots"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _no_browser_context_outlives_its_test(request):
    """A context left open keeps its keep-alive connections to the live server, each held by
    one of the server's request threads. Those threads outlived the session's live server and,
    when the browser finally closed, closed the shared in-memory SQLite connection from their own
    thread ("DatabaseWrapper objects created in a thread can only be used in that same thread",
    reported as PytestUnhandledThreadExceptionWarning on the last test). Each test closes the
    contexts it opens; one left open fails the test here (and is closed)."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    yield
    left = list(browser.contexts)
    for context in left:
        context.close()
    assert not left, f"{len(left)} browser context(s) left open: close them in the test"


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (Vietnamese, phone-sized viewport optional) per test."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    # generous: `make test` runs the SQLite and PostgreSQL passes side by side on two cores, and
    # a live server under that load once took over 15 s to answer one desk action's POST
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.base = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def thread_stacks() -> str:
    """Where every thread of this process is now: the live server's request threads included."""
    names = {t.ident: t.name for t in threading.enumerate()}
    return "\n".join(
        f"--- {names.get(ident, ident)}\n{''.join(traceback.format_stack(frame))}"
        for ident, frame in sys._current_frames().items()
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A browser that gave up waiting (a page or a POST over 30 s, seen twice under full load
    and never reproduced alone) gets the server threads' stacks in its report, taken at once,
    while a stuck request is still stuck."""
    report = yield
    if call.when == "call" and call.excinfo and call.excinfo.errisinstance(PlaywrightTimeoutError):
        report.sections.append(("threads when the browser gave up", thread_stacks()))
    return report
