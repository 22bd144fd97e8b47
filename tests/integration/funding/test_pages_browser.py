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


def test_a_clerk_returns_a_final_report_and_then_settles_the_grant(funding, browser, feed, staff):
    service, app = funding
    edition_id, partnership_id = uid(), uid()
    apply(service, feed.edition_opened(edition_id, budget="30000.00", name="Partnerstwa 2032 – tura jesienna"),
          feed.proposed(partnership_id, edition_id, title="Ursynów sadzi drzewa"), feed.mal_verified(partnership_id, edition_id))
    assert staff.post(f"/api/v1/cases/{partnership_id}/grant", json={"amount": "6000.00"}).status_code == 201
    with served(app) as site:
        page = new_page(browser)
        sign_in(page, site, "anna.kowalska", f"/cases/{partnership_id}")
        assert "czeka na sprawozdanie" in page.locator("#h-rozliczenie").locator("..").inner_text()
        page.fill("#spent_amount", "6 200,00")
        page.fill("#volunteers_engaged", "9")
        page.fill("#hours", "86,5")
        page.fill("#submitted_on", "2033-01-20")
        page.click("form[action$='/settlement'] button[type=submit]")
        assert "a przyznano 6 000,00 zł" in page.locator("#spent_amount-errors").inner_text()
        assert accessibility_violations(page) == []

        page.fill("#spent_amount", "5 850,00")
        page.click("form[action$='/settlement'] button[type=submit]")
        assert "Zapisano sprawozdanie końcowe" in page.locator(".notice-success").inner_text()
        page.fill("#return-reason", "Dołącz listę obecności wolontariuszy.")
        page.click("form[action$='/settlement/return'] button[type=submit]")
        assert "Zwrócono do poprawy" in page.locator(".notice-success").inner_text()
        assert accessibility_violations(page) == []

        page.fill("#spent_amount", "5 850,00")
        page.fill("#volunteers_engaged", "9")
        page.fill("#hours", "86,5")
        page.fill("#submitted_on", "2033-01-27")
        page.click("form[action$='/settlement'] button[type=submit]")
        page.click("form[action$='/settlement/accept'] button[type=submit]")
        section = page.locator("#h-rozliczenie").locator("..").inner_text()
        assert "rozliczono" in section and "150,00 zł" in section and "Dołącz listę obecności" in section
        assert accessibility_violations(page) == []
        page.screenshot(path="/tmp/funding-settlement.png", full_page=True)
        page.problems = [p for p in page.problems if "422" not in p]  # the refused report answered 422, as it should
        assert page.problems == []
