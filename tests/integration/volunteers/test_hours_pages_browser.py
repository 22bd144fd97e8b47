"""A coordinator in Chromium: a minor joins with the guardian's consent, the missing agreement is mended, hours are
recorded, declined with a reason and approved on the worklist, the list shows what is missing, and personal data is
corrected; axe-core finds no WCAG 2.1 AA violation on any page on the way, refusals included."""

from __future__ import annotations

import datetime
import os
import uuid

from services.volunteers import clock
from tests.integration.volunteers.api import join, register
from tests.support.browser import accessibility_violations, new_page, served, sign_in

SHOTS = os.environ.get("OCHOTNICY_SCREENSHOTS")
"""A folder to save each page's screenshot to (to look at them), or nothing."""


def checked(page, name: str) -> None:
    assert accessibility_violations(page) == [], name
    assert all("422" in p for p in page.problems), page.problems  # a refusal is a 422, nothing else fails
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_paperwork_hours_and_a_correction_in_the_browser(volunteers, known, staff, browser):
    _, app = volunteers
    today = clock.today()
    joined = today - datetime.timedelta(days=40)
    month = joined.strftime("%Y-%m")
    email = f"zofia.{uuid.uuid4().hex[:8]}@example.pl"
    lacking = register(staff, first_name="Tadeusz", last_name="Brakowski")  # joined long ago, no agreement yet
    assert join(staff, lacking["id"], known, joined_on="2021-10-01").status_code == 201
    with served(app) as site:
        page = new_page(browser)
        sign_in(page, site, "marek.nowak", "/volunteers/new")
        page.fill("#first_name", "Zofia")
        page.fill("#last_name", "Nowicka")
        page.fill("#email", email)
        page.fill("#birth_date", f"{today.year - 15}-03-14")
        checked(page, "01-register")
        page.click("form.stack button[type=submit]")
        assert page.locator("h1").inner_text() == "Zofia Nowicka"

        page.select_option("#institution_id", label="Biblioteka Publiczna Wola")
        page.select_option("#edition_id", label="Partnerstwa 2021 – tura jesienna")
        page.fill("#joined_on", joined.isoformat())
        page.click("form[action$='/join'] button[type=submit]")
        assert "zgoda opiekuna prawnego" in page.locator("#guardian_consent-errors").inner_text()
        checked(page, "02-join-refused-minor")
        page.check("#guardian_consent")
        page.click("form[action$='/join'] button[type=submit]")
        membership = page.locator("section[id^='m-']").first
        assert "Brak pisemnego porozumienia" in membership.inner_text()
        checked(page, "03-volunteer-missing-agreement")

        membership.locator("summary", has_text="Uzupełnij dokumenty").click()
        membership.locator("input[id$='-agreement_signed_on']").fill(joined.isoformat())
        membership.locator("form[action$='/paperwork'] button").click()
        assert "Zapisano dokumenty członkostwa." in page.locator(".notice-success").inner_text()
        membership = page.locator("section[id^='m-']").first
        assert "Dokumenty w porządku" in membership.inner_text()

        membership.locator("summary", has_text="Wpisz godziny").click()
        membership.locator("input[id$='-month']").fill(month)
        membership.locator("input[id$='-hours']").fill("900")
        membership.locator("form[action$='/hours'] button").click()
        membership = page.locator("section[id^='m-']").first
        assert "Liczba godzin musi być większa od 0" in membership.locator("ul.errors").inner_text()
        checked(page, "04-hours-refused")
        membership.locator("input[id$='-hours']").fill("12,5")
        membership.locator("input[id$='-activity']").fill("Głośne czytanie dzieciom")
        membership.locator("form[action$='/hours'] button").click()
        assert "czekają na zatwierdzenie" in page.locator(".notice-success").inner_text()
        checked(page, "05-volunteer-hours-recorded")

        page.click(".crumbs >> text=Wolontariusze")
        page.click(".subnav >> text=Godziny do zatwierdzenia")
        row = page.locator("tr", has_text="Zofia Nowicka")
        assert "Głośne czytanie dzieciom" in row.inner_text()
        checked(page, "06-worklist")
        row.locator("summary", has_text="Odrzuć").click()
        row.locator("form[action*='/decline'] button").click()
        row = page.locator("tr", has_text="Zofia Nowicka")
        assert "To pole jest wymagane." in row.locator("ul.errors").inner_text()
        checked(page, "07-worklist-decline-refused")
        row.locator("textarea").fill("Instytucja potwierdza 10 godzin.")
        row.locator("form[action*='/decline'] button").click()
        assert "Odrzucono 12,5 h" in page.locator(".notice-success").inner_text()

        page.goto(f"{site}/?szukaj={email}")
        page.click("text=Zofia Nowicka")
        membership = page.locator("section[id^='m-']").first
        assert "odrzucone Powód: Instytucja potwierdza 10 godzin." in membership.inner_text()
        membership.locator("summary", has_text="Wpisz godziny").click()
        membership.locator("input[id$='-month']").fill(month)
        membership.locator("input[id$='-hours']").fill("10")
        membership.locator("form[action$='/hours'] button").click()
        page.click(".crumbs >> text=Wolontariusze")
        page.click(".subnav >> text=Godziny do zatwierdzenia")
        page.locator("tr", has_text="Zofia Nowicka").locator("button", has_text="Zatwierdź").click()
        assert "Zatwierdzono 10 h" in page.locator(".notice-success").inner_text()

        page.goto(f"{site}/?braki=agreement_missing")
        listed = page.locator("table.data").inner_text()
        assert email not in listed and "Biblioteka Publiczna Wola: brak pisemnego porozumienia" in listed
        checked(page, "08-list-missing-agreement")
        page.fill("#szukaj", "nowicka")
        page.select_option("#braki", label="bez znaczenia")
        page.click("form[role=search] button[type=submit]")
        assert "nic nie brakuje" in page.locator("tr", has_text=email).inner_text()

        page.click("text=Zofia Nowicka")
        assert "Zatwierdzono łącznie: 10 h." in page.locator("section[id^='m-']").first.inner_text()
        page.click("text=Popraw dane osobowe")
        checked(page, "09-rectify")
        page.fill("#last_name", "Nowicka-Kos")
        page.fill("#first_name", "")
        page.click("form.stack button[type=submit]")
        assert page.get_attribute("#first_name", "aria-invalid") == "true"
        checked(page, "10-rectify-refused")
        page.fill("#first_name", "Zofia")
        page.click("form.stack button[type=submit]")
        assert page.locator("h1").inner_text() == "Zofia Nowicka-Kos"
        assert "Poprawiono dane osobowe." in page.locator(".notice-success").inner_text()
        checked(page, "11-volunteer-corrected")
