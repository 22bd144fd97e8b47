"""The workspace by keyboard alone and at 200 % zoom, in Chromium: WCAG 2.1's keyboard and reflow criteria."""

from __future__ import annotations

import pytest

from tests.support.apps import service_app
from tests.support.browser import accessibility_violations, new_page, served, sign_in

ZOOMED = {"width": 640, "height": 900}
"""A 1280-pixel-wide window at 200 %."""


@pytest.fixture(scope="module")
def applications(databases):
    return service_app("applications", databases.create("ws_keys"))[1]


def tab_to(page, selector: str, most: int = 40) -> None:
    """Presses Tab until `selector` has the focus, as a keyboard user moves through the page."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never got the focus by Tab")


def test_a_clerk_signs_in_and_registers_an_institution_by_keyboard_alone(applications, browser):
    with served(applications) as site:
        page = new_page(browser)
        page.goto(f"{site}/signin?next=/institutions")
        tab_to(page, "#login-anna-kowalska")
        page.keyboard.press("Space")
        tab_to(page, "form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == f"{site}/institutions"
        tab_to(page, "#name")
        page.keyboard.type("Biblioteka z klawiatury")
        tab_to(page, "#kind")
        page.keyboard.press("ArrowDown")  # the next kind: a culture house
        tab_to(page, "form.stack button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Zarejestrowano instytucję „Biblioteka z klawiatury”." in page.inner_text("body")
        assert "Dom kultury" in page.inner_text("table")
        assert page.problems == []


@pytest.mark.parametrize("service, path", [
    ("applications", "/institutions"), ("applications", "/editions/new"), ("applications", "/mal"),
    ("funding", "/"), ("volunteers", "/"), ("volunteers", "/volunteers/new"), ("reporting", "/editions"),
])
def test_every_kind_of_page_reflows_at_200_percent_without_scrolling_sideways(databases, browser, service, path):
    app = service_app(service, databases.create(f"ws_zoom_{service}"))[1]
    with served(app) as site:
        page = new_page(browser)
        page.set_viewport_size(ZOOMED)
        sign_in(page, site, "anna.kowalska", path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways"
        assert accessibility_violations(page) == []
