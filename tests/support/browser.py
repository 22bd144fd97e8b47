"""Pages in a real headless browser: Debian's chromium driven by Playwright, signed in as staff, scanned by axe-core."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""The levels Polish public bodies must meet (WCAG 2.1 AA)."""
SHOTS = os.environ.get("OCHOTNICY_SCREENSHOTS")
"""A folder where page tests keep a full-page screenshot of what they check, to be looked at (unset: none kept)."""


def chromium() -> str:
    """The browser's path; CI fails without it (make test installs it), elsewhere the test is skipped."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: run scripts/ensure-browser.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@contextmanager
def served(app) -> Iterator[str]:
    """A Flask app on a free local port, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def launched() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser):
    """A Polish page that records every console error, failed request and error answer in `page.problems`."""
    context = browser.new_context(viewport=VIEWPORT, locale="pl-PL", timezone_id="Europe/Warsaw")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: page.problems.append(f"request failed: {r.url}"))
    page.on("response", lambda r: page.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    return page


def sign_in(page, site: str, login: str = "anna.kowalska", next: str = "/") -> None:
    """Signs in through the workspace's local sign-in page, as a person would, and lands on `next`."""
    page.goto(f"{site}/signin?next={next}")
    page.check(f"#login-{login.replace('.', '-')}")
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it stands, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


def accessible(page, heading: str, shot: str | None = None) -> None:
    """The page has loaded with `heading` in its h1 and passes WCAG 2.1 AA; kept as `shot`.png where SHOTS asks."""
    page.wait_for_load_state()
    assert heading in page.locator("h1").inner_text(), page.url
    assert accessibility_violations(page) == [], page.url
    if SHOTS and shot:
        page.screenshot(path=os.path.join(SHOTS, f"{shot}.png"), full_page=True)


def submit(page, label: str) -> None:
    """Presses the button named `label` and waits for the page it brings."""
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state()
