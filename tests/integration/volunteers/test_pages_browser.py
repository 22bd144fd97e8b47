"""A coordinator registers a volunteer in Chromium, joins them to an institution, downloads their certificate and
everything held about them, finds them, and erases their data."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from pypdf import PdfReader

from tests.integration.volunteers.conftest import institution_registered, learn
from tests.support.browser import accessibility_violations, new_page, served, sign_in


def test_a_coordinator_registers_joins_finds_and_erases_a_volunteer(volunteers, known, browser):
    service, app = volunteers
    outside = institution_registered(name="Szkoła Podstawowa nr 12")
    learn(service, outside)
    email = f"lucja.{uuid.uuid4().hex[:8]}@example.pl"
    with served(app) as site:
        page = new_page(browser)
        sign_in(page, site, "marek.nowak", "/")
        assert page.locator("h1").inner_text() == "Wolontariusze"
        assert accessibility_violations(page) == []

        page.click("text=Zarejestruj wolontariusza")
        page.fill("#first_name", "Łucja")
        page.fill("#last_name", "Wiśniewska")
        page.fill("#email", email)
        page.fill("#phone", "+48 600 100 200")
        assert accessibility_violations(page) == []
        page.click("form.stack button[type=submit]")
        assert page.locator("h1").inner_text() == "Łucja Wiśniewska"
        assert "Zarejestrowano wolontariusza." in page.locator(".notice-success").inner_text()
        assert accessibility_violations(page) == []

        page.select_option("#institution_id", label="Szkoła Podstawowa nr 12")
        page.select_option("#edition_id", label="Partnerstwa 2021 – tura jesienna")
        page.fill("#joined_on", "2021-10-01")
        page.click("form[action$='/join'] button[type=submit]")
        assert "nie bierze udziału w edycji" in page.locator("#institution_id-errors").inner_text()
        assert page.get_attribute("#institution_id", "aria-invalid") == "true"
        assert accessibility_violations(page) == []

        page.select_option("#institution_id", label="Biblioteka Publiczna Wola")
        page.click("form[action$='/join'] button[type=submit]")
        assert "Dodano członkostwo." in page.locator(".notice-success").inner_text()
        assert "Biblioteka Publiczna Wola" in page.locator("section[aria-labelledby=czlonkostwa]").inner_text()
        assert accessibility_violations(page) == []

        # The membership's certificate and everything held about the person, downloaded as a person would.
        with page.expect_download() as certificate:
            page.click("text=Zaświadczenie o wolontariacie (PDF)")
        text = " ".join(PdfReader(certificate.value.path()).pages[0].extract_text().split())
        assert "Łucja Wiśniewska" in text and "„Biblioteka Publiczna Wola”" in text and "do dziś" in text
        with page.expect_download() as everything:
            page.click("text=Wszystkie dane osoby (JSON, RODO art. 15 i 20)")
        exported = json.loads(Path(everything.value.path()).read_text(encoding="utf-8"))
        assert everything.value.suggested_filename.endswith(".json") and exported["volunteer"]["email"] == email
        assert [m["institution_name"] for m in exported["memberships"]] == ["Biblioteka Publiczna Wola"]

        page.click(".crumbs >> text=Wolontariusze")
        page.select_option("#instytucja", label="Biblioteka Publiczna Wola")
        page.fill("#szukaj", "wisniewska")
        page.click("form[role=search] button[type=submit]")
        assert email in page.locator("table.data").inner_text()
        assert accessibility_violations(page) == []

        page.click("text=Łucja Wiśniewska")
        page.click("text=Usuń dane osobowe (RODO)…")
        assert "tego nie można cofnąć" in page.locator("main").inner_text()
        assert accessibility_violations(page) == []
        page.click("text=Usuń dane osobowe na zawsze")
        assert page.locator("h1").inner_text() == "Dane usunięte (RODO)"
        assert email not in page.content() and "Biblioteka Publiczna Wola" in page.content()
        assert accessibility_violations(page) == []
