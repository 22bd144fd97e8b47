"""The new pages in a real headless browser, checked by axe-core for WCAG 2.1 AA: /wyniki for residents (no sign-in),
an enrolment edition's course and paths, and a programme's totals; each screenshot kept with OCHOTNICY_SCREENSHOTS=<dir>."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.integration.reporting import library_story
from tests.integration.reporting.conftest import Feeder
from tests.support.browser import VIEWPORT, accessibility_violations, new_page, served, sign_in


@pytest.fixture(scope="module")
def library(service, world):
    story = library_story.story()
    Feeder(service).batch(story.events)
    return story


@pytest.fixture(scope="module")
def site(app, library):
    with served(app) as url:
        yield url


@pytest.fixture
def page(browser, site):
    page = new_page(browser)
    yield page
    page.context.close()


def text(locator) -> str:
    return " ".join(locator.inner_text().replace("\u00a0", " ").split())


def shot(page, tmp_path, name: str) -> None:
    """A full-page screenshot that fits the viewport's width, kept where OCHOTNICY_SCREENSHOTS asks."""
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], f"{name}: horizontal overflow"
    keep = os.environ.get("OCHOTNICY_SCREENSHOTS")
    if keep:
        shutil.copy(path, os.path.join(keep, f"{name}.png"))


def test_a_resident_reads_the_results_without_signing_in(page, site, world, library, tmp_path):
    page.goto(f"{site}/wyniki")
    assert page.url == f"{site}/wyniki"  # no sign-in asked
    assert text(page.locator("h1")) == "Wyniki programów wolontariatu"
    assert page.locator(f'#results-table tr[data-edition="{library.unopened}"]').count() == 0
    assert page.locator("a[href='/api/v1/public/partnerships.csv']").is_visible()
    assert accessibility_violations(page) == []
    shot(page, tmp_path, "wyniki")
    page.click(f'#results-table tr[data-edition="{world.edition_id}"] th a')
    page.wait_for_url(f"{site}/wyniki/{world.edition_id}")
    assert page.locator("#funded-table tbody tr").count() == 3
    assert text(page.locator("#funded-table tfoot .amount")) == "20 500,00 zł"
    assert accessibility_violations(page) == []
    shot(page, tmp_path, "wyniki-edycja")
    page.goto(f"{site}/wyniki/{library.editions[2017]}")
    assert page.locator("#institutions-table tbody tr").count() == 3
    assert accessibility_violations(page) == []
    shot(page, tmp_path, "wyniki-biblioteki")
    assert page.problems == []


def test_an_enrolment_editions_course_and_paths(page, site, library, tmp_path):
    sign_in(page, site, "ewa.wisniewska", f"/editions/{library.editions[2017]}")
    assert text(page.locator('[data-field="training.hours"] .figure-value')) == "10,5 godz."
    assert page.locator("#paths-table tbody tr").count() == 3
    assert text(page.locator('#steps-table tr[data-step="adopted"] td').nth(1)) == "1"
    assert accessibility_violations(page) == []
    shot(page, tmp_path, "edycja-bibliotek")
    page.fill("input[name=as_of]", "2017-04-30")
    page.click(".asof-form button[type=submit]")
    page.wait_for_url("**?as_of=2017-04-30")
    assert "wycofana" not in text(page.locator("#paths-table"))
    assert page.problems == []


def test_a_programmes_totals_beside_its_editions(page, site, library, tmp_path):
    sign_in(page, site, "ewa.wisniewska", "/editions")
    page.click("nav[aria-label=Programy] a:text('Rozwój wolontariatu w bibliotekach')")
    page.wait_for_url(f"{site}/programmes/libraries")
    page.select_option("#from_year", "2017")
    page.select_option("#to_year", "2018")
    page.click(".asof-form button[type=submit]")
    page.wait_for_url("**/programmes/libraries?from_year=2017&to_year=2018*")
    assert page.locator("#programme-table tbody tr").count() == 2
    assert text(page.locator('tr[data-row="total"] td[data-field="institutions.count"]')) == "4"
    assert text(page.locator('tr[data-row="added"] td[data-field="institutions.count"]')) == "5"
    assert page.locator("#why-not-added").is_visible()
    assert accessibility_violations(page) == []
    shot(page, tmp_path, "program")
    page.click('tr[data-row="total"] td[data-field="volunteers.joined"] a')
    assert text(page.locator("h1")) == "Skąd ta liczba: Wolontariusze, którzy dołączyli"
    assert accessibility_violations(page) == []
    assert page.problems == []
