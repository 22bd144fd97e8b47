"""A clerk corrects an institution of the register in headless Chromium, each page scanned by axe-core (WCAG 2.1 AA),
the refusal too."""

from __future__ import annotations

import pytest

from tests.support.apps import service_app
from tests.support.browser import accessible, new_page, served, sign_in, submit


@pytest.fixture(scope="module")
def site(databases):
    with served(service_app("applications", databases.create("apps_corrections_browser"))[1]) as url:
        yield url


@pytest.fixture
def page(browser, site):
    page = new_page(browser)
    sign_in(page, site, "anna.kowalska", "/institutions")
    yield page
    page.context.close()


def test_a_clerk_corrects_an_institution_and_a_blank_name_is_refused_at_the_field(page):
    page.fill("#name", "Biblioteka Publiczna Ochota")
    page.select_option("#kind", "library")
    page.select_option("#district", "Ochota")
    submit(page, "Zarejestruj")
    page.get_by_role("link", name="Popraw dane: Biblioteka Publiczna Ochota").click()
    accessible(page, "Popraw dane instytucji")
    assert page.get_by_label("Nazwa instytucji").input_value() == "Biblioteka Publiczna Ochota"
    page.get_by_label("Nazwa instytucji").fill("   ")
    submit(page, "Zapisz poprawkę")
    accessible(page, "Popraw dane instytucji")
    assert "Podaj tekst" in page.locator("#name-errors").inner_text()
    assert page.get_by_label("Nazwa instytucji").get_attribute("aria-invalid") == "true"
    page.get_by_label("Nazwa instytucji").fill("Biblioteka Publiczna „Pod Skrzydłami”")
    page.get_by_label("Dzielnica").select_option("Włochy")
    page.get_by_label("Działa w niej Miejsce Aktywności Lokalnej (MAL)").check()
    submit(page, "Zapisz poprawkę")
    accessible(page, "Rejestr instytucji")
    assert "Poprawiono dane instytucji" in page.locator(".notice-success").inner_text()
    row = page.get_by_role("row", name="Biblioteka Publiczna „Pod Skrzydłami”")
    assert "Włochy" in row.inner_text() and "tak" in row.inner_text()
