"""A clerk runs an autumn round from the pages alone, across the four services as real processes over Kafka.

Sign in once, open an edition requiring a MAL, register institutions, propose (one over the cap, refused at the
field), verify one MAL and refuse another, grant and reject, register a volunteer and join them, read the summary.
Along the way: a double submit does nothing twice, a stale page is refused, a reader gets no write forms and a 403
page if she posts anyway, and every page visited passes axe-core at WCAG 2.1 A and AA.
"""

from __future__ import annotations

import re
import time

from tests.support.browser import accessibility_violations, new_page, sign_in

ROUND = "Partnerstwa 2026 – tura jesienna"
INSTITUTIONS = [  # name, kind (as the form offers it), district
    ("Biblioteka na Ochocie", "Biblioteka", "Ochota"),
    ("Dom Kultury Rakowiec", "Dom kultury", "Ochota"),
    ("MAL Szczęśliwice", "Miejsce Aktywności Lokalnej (MAL)", "Ochota"),
    ("Szkoła Podstawowa nr 99", "Szkoła", "Wola"),
    ("MAL Koło", "Miejsce Aktywności Lokalnej (MAL)", "Wola"),
]


class Visits:
    """Every page the clerk sees, scanned by axe-core once loaded."""

    def __init__(self, page) -> None:
        self.page, self.problems = page, []

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.scan()

    def submit(self, button: str) -> None:
        self.page.get_by_role("button", name=button).click()
        self.page.wait_for_load_state()
        self.scan()

    def scan(self) -> None:
        self.problems += [f"{self.page.url}: {v}" for v in accessibility_violations(self.page)]

    def until(self, url: str, text: str, timeout: float = 60.0) -> None:
        """Reloads `url` until it shows `text`: the services learn of each other's events through Kafka."""
        deadline = time.monotonic() + timeout
        while True:
            self.page.goto(url)
            if text in self.page.inner_text("body") or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert text in self.page.inner_text("body"), f"{url} never showed {text!r}"
        self.scan()


def test_a_clerk_runs_an_autumn_round_from_the_pages_alone(live, browser):
    with live("applications", "funding", "volunteers", "reporting") as stack:
        apps, funding, people, reports = (stack.url(s) for s in ("applications", "funding", "volunteers", "reporting"))
        page = new_page(browser)
        clerk = Visits(page)
        sign_in(page, apps, "anna.kowalska", "/")  # one sign-in: the cookie serves every port of 127.0.0.1
        clerk.scan()

        # An edition requiring a MAL, its rules as a form.
        clerk.open(f"{apps}/editions/new")
        page.select_option("#programme", "partnerships")
        page.fill("#name", ROUND)
        page.fill("#year", "2026")
        page.select_option("#round", "autumn")
        page.select_option("#kind", "partnership")
        page.check("#mal_required")
        for row, (low, high, cap) in enumerate([("2", "3", "6 000,00"), ("4", "", "10 000,00")]):
            page.fill(f"#grant_caps-{row}-min_institutions", low)
            page.fill(f"#grant_caps-{row}-max_institutions", high)
            page.fill(f"#grant_caps-{row}-cap", cap)
        page.fill("#budget", "30 000,00")
        page.fill("#opens_on", "2026-09-01")
        page.fill("#closes_on", "2026-10-31")
        clerk.submit("Otwórz edycję")
        edition_id = re.search(r"/editions/([0-9a-f-]{36})$", page.url).group(1)

        for name, kind, district in INSTITUTIONS:
            clerk.open(f"{apps}/institutions")
            page.fill("#name", name)
            page.select_option("#kind", label=kind)
            page.select_option("#district", district)
            clerk.submit("Zarejestruj")
            assert f"Zarejestrowano instytucję „{name}”." in page.content()

        # Two proposals; the first over the cap for three institutions, refused at the amount.
        def propose(title: str, partners: list[int], amount: str) -> None:
            clerk.open(f"{apps}/editions/{edition_id}/propose")
            page.fill("#title", title)
            for i in partners:
                page.get_by_label(f"{INSTITUTIONS[i][0]} ({INSTITUTIONS[i][2]})", exact=True).check()
            page.select_option("#lead_institution_id", label=f"{INSTITUTIONS[partners[0]][0]} ({INSTITUTIONS[partners[0]][2]})")
            page.fill("#requested_amount", amount)
            clerk.submit("Złóż wniosek")

        propose("Czytamy na Ochocie", [0, 1, 2], "7 000,00")
        assert "6 000,00" in page.locator("#requested_amount-errors").inner_text()  # the cap, at the field
        page.fill("#requested_amount", "6 000,00")
        clerk.submit("Złóż wniosek")
        reading = re.search(r"/partnerships/([0-9a-f-]{36})", page.url).group(1)
        propose("Szachy na Kole", [3, 4, 1], "5 000,00")
        chess = re.search(r"/partnerships/([0-9a-f-]{36})", page.url).group(1)

        # The MAL worklist: one verified, one refused with a reason.
        for partnership_id, verified in ((reading, True), (chess, False)):
            clerk.open(f"{apps}/mal")
            page.locator(f'a[href="/partnerships/{partnership_id}#h-mal"]').click()
            page.wait_for_load_state()
            page.check("#verified-0" if verified else "#verified-1")
            if not verified:
                page.fill("#reason", "MAL Koło nie uczestniczy w projekcie.")
            clerk.submit("Zapisz wynik weryfikacji")

        # Funding: grant the first (the amount comes pre-filled at the request, within the cap) and reject the second.
        clerk.until(f"{funding}/cases/{reading}", "Można przyznać dofinansowanie.")
        stale = new_page(browser)
        stale.context.add_cookies(page.context.cookies())
        stale.goto(f"{funding}/cases/{reading}")  # the same case, open in a second tab before the grant
        assert page.input_value("#amount") == "6 000,00"
        clerk.submit("Przyznaj")
        stale.get_by_role("button", name="Przyznaj").click()
        stale.wait_for_load_state()
        assert "Ktoś zmienił te dane" in stale.content()  # the stale tab is refused, not applied
        clerk.until(f"{funding}/cases/{chess}", "Odmów dofinansowania")
        page.fill("#reason", "MAL nie został potwierdzony.")
        clerk.submit("Odmów")

        # Volunteers: register (the form sent twice registers once) and join the first partnership.
        clerk.open(f"{people}/volunteers/new")
        page.fill("#first_name", "Jan")
        page.fill("#last_name", "Kowalski")
        page.fill("#email", "jan.kowalski@example.org")
        form = {name: page.input_value(f'form.stack [name="{name}"]') for name in
                ("csrf_token", "idempotency_key", "version", "first_name", "last_name", "email", "phone")}
        clerk.submit("Zarejestruj")
        volunteer_page = page.url
        again = page.request.post(f"{people}/volunteers/new", form=form, max_redirects=0)
        assert again.status == 302 and again.headers["location"].endswith(volunteer_page.removeprefix(people))
        clerk.until(f"{people}/?szukaj=Kowalski", "jan.kowalski@example.org")
        assert page.content().count("jan.kowalski@example.org") == 1  # one volunteer, not two
        clerk.until(volunteer_page, INSTITUTIONS[0][0])
        page.select_option("#institution_id", label=INSTITUTIONS[0][0])
        page.select_option("#edition_id", label=ROUND)
        page.fill("#joined_on", "2026-09-15")
        clerk.submit("Dołącz")
        assert "Zakończ" in page.content()  # a membership, which can be ended

        # The summary: one funded partnership, 6 000,00 zł granted, one volunteer.
        clerk.until(f"{reports}/editions/{edition_id}", "6\u00a0000,00\u00a0zł")
        assert page.locator('[data-field="partnerships.funded"] .figure-value').inner_text() == "1"

        # A reader: no write forms, and a 403 page when she posts anyway.
        page.get_by_role("button", name="Wyloguj").click()
        sign_in(page, apps, "ewa.wisniewska", "/institutions")
        clerk.scan()
        assert "Zarejestruj instytucję" not in page.content()
        token = page.input_value('input[name="csrf_token"]')  # the sign-out form's: a real token of her session
        refused = page.request.post(f"{apps}/institutions", form={"csrf_token": token, "name": "Nowa", "kind": "school",
                                                                   "district": "Wola"})
        assert refused.status == 403 and "Brak uprawnień" in refused.text()
        assert clerk.problems == []
