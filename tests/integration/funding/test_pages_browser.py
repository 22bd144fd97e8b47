"""A clerk decides an edition's cases in Chromium: the worklist, a grant over the cap, a grant, a rejection."""

from __future__ import annotations

from tests.integration.funding.support import apply, uid
from tests.support.browser import accessibility_violations, new_page, served, sign_in


def test_a_clerk_grants_one_case_and_rejects_another_from_the_worklist(funding, browser, feed):
    service, app = funding
    edition_id, ready, refused = uid(), uid(), uid()
    apply(service, feed.edition_opened(edition_id, budget="30000.00", name="Partnerstwa 2031 – tura jesienna"),
          feed.proposed(ready, edition_id, size=5, requested="12000.00", title="Bielany czytają razem"),
          feed.mal_verified(ready, edition_id),
          feed.proposed(refused, edition_id, title="Praga gra w szachy"),
          feed.mal_failed(refused, edition_id, reason="MAL nie bierze udziału"))
    with served(app) as site:
        page = new_page(browser)
        sign_in(page, site, "anna.kowalska", f"/?edycja={edition_id}")
        assert page.locator("h1").inner_text() == "Sprawy dofinansowania"
        assert "30 000,00 zł" in page.locator("#h-budzet + .figures").inner_text()
        assert accessibility_violations(page) == []

        page.click("text=Bielany czytają razem")
        assert page.input_value("#amount") == "10 000,00"  # the cap, under the 12 000,00 zł asked for
        assert accessibility_violations(page) == []
        page.fill("#amount", "12 000,00 zł")
        page.click("form[action$='/grant'] button[type=submit]")
        assert "przekracza limit 10 000,00 zł" in page.locator("#amount-errors").inner_text()
        assert page.get_attribute("#amount", "aria-invalid") == "true"
        assert accessibility_violations(page) == []

        page.fill("#amount", "10 000,00")
        page.click("form[action$='/grant'] button[type=submit]")
        assert "Przyznano dofinansowanie partnerstwu „Bielany czytają razem”: 10 000,00 zł." in page.locator(".notice-success").inner_text()
        assert "20 000,00 zł" in page.locator("#h-budzet + .figures").inner_text()
        assert accessibility_violations(page) == []

        page.click("text=Praga gra w szachy")
        assert page.locator("form[action$='/grant']").count() == 0  # MAL failed: it cannot be granted
        assert "Weryfikacja MAL zakończyła się negatywnie" in page.locator("main").inner_text()
        page.fill("#reason", "Miejsce Aktywności Lokalnej nie bierze udziału w partnerstwie.")
        page.click("form[action$='/reject'] button[type=submit]")
        assert "Odmówiono dofinansowania partnerstwu „Praga gra w szachy”." in page.locator(".notice-success").inner_text()
        assert "Żadna sprawa tej edycji nie czeka na decyzję." in page.locator("table.data").inner_text()
        assert accessibility_violations(page) == []

        page.select_option("#status", "rejected")
        page.click("form[role=search] button[type=submit]")
        page.click("text=Praga gra w szachy")
        assert "Odmówiono dofinansowania – Miejsce Aktywności Lokalnej" in page.locator("#h-historia + .tablewrap").inner_text()
        assert accessibility_violations(page) == []
        page.problems = [p for p in page.problems if "422" not in p]  # the refused grant answered 422, as it should
        assert page.problems == []
