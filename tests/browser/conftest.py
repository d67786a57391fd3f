"""Browser tests: Debian's Chromium (``/usr/bin/chromium``, or ``CHROMIUM``) driven by
Playwright against Django's live server; never a browser Playwright downloads.

Without Chromium these tests are skipped, so the README's test command works on a fresh
machine; CI installs Chromium and sets ``REQUIRE_BROWSER=1``, which turns a missing
browser into a failure. Screenshots go to ``test-artifacts/screenshots/``.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Chromium's own traffic (updates, sync, metrics) is refused on a closed network; keep it quiet.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is not at {CHROMIUM} (REQUIRE_BROWSER is set): apt-get install chromium")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); CI runs these")
    # Playwright's sync API runs an event loop; Django refuses database access from a thread
    # with one unless told this is fine (the tests' own queries run outside it).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(path, width=1366)``: a new tab of that width on the live server."""
    contexts = []

    def open_(path: str, *, width: int = 1366, height: int = 900, storage_state=None):
        context = browser.new_context(viewport={"width": width, "height": height}, storage_state=storage_state)
        contexts.append(context)
        tab = context.new_page()
        tab.goto(f"{live_server.url}{path}")
        return tab

    yield open_
    for context in contexts:
        context.close()


def screenshot(tab, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(tab) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scroll)."""
    return tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def log_in(tab, live_server, username: str, password: str) -> None:
    tab.goto(f"{live_server.url}/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    tab.click("input[type=submit]")
    tab.wait_for_url(f"{live_server.url}/admin/")
