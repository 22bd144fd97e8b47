"""A clerk runs a partnership round's applications in headless Chromium, from pages only, scanned by axe-core.

Opens an edition requiring a MAL, registers institutions, proposes a partnership over the cap (refused at the
amount) and then within it, and verifies its MAL from the worklist; every page visited passes WCAG 2.1 AA.
"""

from __future__ import annotations

import pytest

from tests.support.apps import service_app
from tests.support.browser import accessible, new_page, served, sign_in, submit


@pytest.fixture(scope="module")
def site(databases):
    with served(service_app("applications", databases.create("apps_browser"))[1]) as url:
        yield url


@pytest.fixture
def page(browser, site):
    page = new_page(browser)
    sign_in(page, site, "anna.kowalska", "/")
    yield page
    page.context.close()


def test_a_clerk_opens_an_edition_proposes_and_verifies_a_mal(page, site):
    accessible(page, "Pulpit")
    page.get_by_role("link", name="Otwórz nową edycję programu").click()
    accessible(page, "Otwórz edycję programu")
    page.select_option("#programme", "partnerships")
    page.select_option("#kind", "partnership")
    page.fill("#name", "Partnerstwa 2021 – tura jesienna")
    page.fill("#year", "2021")
    page.select_option("#round", "autumn")
    page.check("#mal_required")
    page.fill("#opens_on", "2021-09-01")
    page.fill("#closes_on", "2021-10-31")
    page.fill("#budget", "90 000,00 zł")
    for row, (low, high, cap) in enumerate((("2", "3", "6 000,00"), ("4", "", "10 000,00"))):
        page.fill(f"#grant_caps-{row}-min_institutions", low)
        page.fill(f"#grant_caps-{row}-max_institutions", high)
        page.fill(f"#grant_caps-{row}-cap", cap)
    submit(page, "Otwórz edycję")
    accessible(page, "Partnerstwa 2021 – tura jesienna")
    assert "Otwarto edycję" in page.locator(".notice-success").inner_text()
    edition = page.url

    page.get_by_role("link", name="Rejestr instytucji").click()
    for name, kind, district in (("Biblioteka Publiczna Ochota", "library", "Ochota"),
                                 ("MAL Szczęśliwice", "mal", "Ochota"), ("Dom Kultury Wola", "culture_house", "Wola")):
        page.fill("#name", name)
        page.select_option("#kind", kind)
        page.select_option("#district", district)
        submit(page, "Zarejestruj")
    accessible(page, "Rejestr instytucji")

    page.goto(edition)
    page.get_by_role("link", name="Złóż wniosek partnerstwa").click()
    accessible(page, "Złóż wniosek partnerstwa")
    page.fill("#title", "Sąsiedzi razem")
    for name in ("Biblioteka Publiczna Ochota (Ochota)", "MAL Szczęśliwice (Ochota)", "Dom Kultury Wola (Wola)"):
        page.get_by_label(name).check()
    page.select_option("#lead_institution_id", label="Biblioteka Publiczna Ochota (Ochota)")
    page.fill("#requested_amount", "7 500,00 zł")
    submit(page, "Złóż wniosek")
    accessible(page, "Złóż wniosek partnerstwa")  # refused, at the amount
    assert "przekracza limit 6 000,00 zł" in page.locator("#requested_amount-errors").inner_text()
    assert page.get_by_label("MAL Szczęśliwice (Ochota)").is_checked()  # what was picked stays picked
    page.fill("#requested_amount", "6 000,00 zł")
    submit(page, "Złóż wniosek")
    accessible(page, "Sąsiedzi razem")

    page.get_by_role("link", name="MAL do weryfikacji").click()
    accessible(page, "MAL do weryfikacji")
    page.get_by_role("link", name="Weryfikuj MAL: Sąsiedzi razem").click()
    accessible(page, "Sąsiedzi razem")
    page.get_by_label("MAL potwierdzony").check()
    submit(page, "Zapisz wynik weryfikacji")
    accessible(page, "MAL do weryfikacji")
    assert "Nic nie czeka na weryfikację MAL." in page.locator("table").inner_text()
    page.get_by_role("link", name="Pulpit").click()
    accessible(page, "Pulpit")
