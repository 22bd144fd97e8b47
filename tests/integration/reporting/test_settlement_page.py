"""The page's settlement section ("Rozliczenie") and the exports' settlement sheets, for a round with revoked and settled grants."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from tests.integration.reporting.conftest import Feeder
from tests.integration.reporting.grants_story import AWAITING, CORRECTED, OPEN, REVOKED, SETTLED, WITHDRAWN, story
from tests.support.browser import accessibility_violations, new_page, served, sign_in

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def told(service):
    found = story()
    Feeder(service).batch(found.events)
    return found


def _html(client, told, as_of: str | None = None) -> str:
    page = client.get(f"/editions/{told.edition_id}", query_string={"as_of": as_of} if as_of else {})
    assert page.status_code == 200
    return page.get_data(as_text=True).replace(NBSP, " ")


def _figure(html: str, field: str) -> str:
    found = re.search(rf'data-field="{re.escape(field)}">\s*<span class="figure-label">[^<]*</span>\s*'
                      r'<span class="figure-value">([^<]*)</span>', html)
    assert found, field
    return found.group(1)


def _row(html: str, state: str) -> list[str]:
    row = re.search(rf'<tr data-state="{state}">(.*?)</tr>', html, re.S)
    assert row, state
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)]


def test_the_settlement_section_shows_spent_against_granted_returned_open_and_revoked(client, told):
    html = _html(client, told)
    section = html[html.index('id="h-settlement"'):]
    assert (_figure(section, "partnerships.settled"), _figure(section, "funding.spent_total"),
            _figure(section, "funding.returned_total")) == ("1", "5 400,00 zł", "600,00 zł")
    assert (_figure(section, "partnerships.revoked"), _figure(section, "funding.revoked_total")) == ("2", "13 000,00 zł")
    assert re.search(r'data-figure="open">.*?<span class="figure-value">2</span>', section, re.S)
    assert re.search(r"Rozliczone partnerstwa wydały <strong>5 400,00 zł</strong>\s+z <strong>6 000,00 zł</strong> przyznanych;"
                     r"\s+do zwrotu 600,00 zł", section)
    assert _row(section, "settled") == ["Rozliczone", "1", "6 000,00 zł", "5 400,00 zł", "600,00 zł"]
    assert _row(section, "awaiting") == ["Sprawozdanie do przyjęcia", "1", "4 000,00 zł", "—", "—"]
    assert _row(section, "returned") == ["Sprawozdanie do poprawy", "0", "0,00 zł", "—", "—"]
    assert _row(section, "unreported") == ["Bez sprawozdania", "1", "3 000,00 zł", "—", "—"]
    assert _row(section, "in-force") == ["Razem dofinansowania w mocy", "3", "13 000,00 zł", "5 400,00 zł", "600,00 zł"]
    revoked = section[section.index('id="revoked-table"'):]
    for title, reason in ((WITHDRAWN, "Partnerstwo wycofało się po decyzji"), (REVOKED, "Nie rozpoczęto działań")):
        assert title in revoked and reason in revoked
        assert f'/cases/{told.partnerships[title]}"' in revoked  # each opens its case


def test_the_funded_list_holds_the_grants_in_force_each_with_where_its_settlement_stands(client, told):
    html = _html(client, told)
    funded = html[html.index('id="funded-table"'):html.index('id="h-settlement"')]
    assert WITHDRAWN not in funded and REVOKED not in funded
    rows = {title: re.search(rf'{re.escape(title)}.*?</tr>', funded, re.S).group(0) for title in (SETTLED, AWAITING, OPEN)}
    assert "Rozliczone" in rows[SETTLED] and "wydano 5 400,00 zł, do zwrotu 600,00 zł" in rows[SETTLED]
    assert "Sprawozdanie do przyjęcia" in rows[AWAITING] and "Bez sprawozdania" in rows[OPEN]


@pytest.mark.parametrize("as_of, settled, awaiting, returned, revoked", [
    ("2022-10-31", "0", "0", "0", "0"), ("2023-01-11", "0", "1", "0", "2"), ("2023-01-13", "0", "0", "1", "2"),
])
def test_the_settlement_section_as_of_a_day(client, told, as_of, settled, awaiting, returned, revoked):
    html = _html(client, told, as_of)
    assert _figure(html, "partnerships.settled") == settled and _figure(html, "partnerships.revoked") == revoked
    assert _row(html, "awaiting")[1] == awaiting and _row(html, "returned")[1] == returned
    assert ("Żadnego dofinansowania jeszcze nie rozliczono." in html) == (settled == "0")
    assert ('id="revoked-table"' in html) == (revoked != "0")
    assert "wydano 5 400,00 zł" not in html  # the settlement came on 20 January


def test_the_names_on_the_page_follow_the_register_as_it_stood(client, told):
    assert CORRECTED in _html(client, told, "2022-11-01")
    now = _html(client, told)
    assert CORRECTED not in now and "Dom Kultury „Włochy”" in now


def test_a_round_without_settlements_says_so(client, world):
    html = client.get(f"/editions/{world.edition_id}").get_data(as_text=True)
    assert "Żadnego dofinansowania jeszcze nie rozliczono." in html and 'id="revoked-table"' not in html


def test_the_sources_page_of_revoked_grants_lists_the_revocations(client, told):
    html = client.get(f"/editions/{told.edition_id}/sources?field=partnerships.revoked").get_data(as_text=True)
    assert "Skąd ta liczba: Partnerstwa z cofniętym dofinansowaniem" in html
    assert html.count("Cofnięcie dofinansowania") == 2


def _csv(client, told, as_of: str | None = None) -> dict[str, list[list[str]]]:
    content = client.get(f"/api/v1/editions/{told.edition_id}/export.csv", query_string={"as_of": as_of} if as_of else {}).data
    sections, current = {}, None
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"):
        if not row:
            current = ""
        elif current == "":
            current = row[0]
            sections[current] = []
        elif current:
            sections[current].append(row)
    return sections


def test_the_csv_export_holds_the_settlement_figures_and_sheets(client, told):
    sections = _csv(client, told)
    figures = dict(sections["Wskaźniki"][1:])
    assert (figures["Partnerstwa dofinansowane"], figures["Przyznane dofinansowanie (bez cofniętego)"]) == ("3", "13000,00")
    assert (figures["Partnerstwa rozliczone"], figures["Wydatki rozliczone"], figures["Kwota do zwrotu"]) == ("1", "5400,00", "600,00")
    assert (figures["Partnerstwa z cofniętym dofinansowaniem"], figures["Cofnięte dofinansowanie"]) == ("2", "13000,00")
    header, *funded = sections["Partnerstwa dofinansowane"]
    assert header[8:] == ["Rozliczenie", "Wydano (zł)", "Do zwrotu (zł)"]
    assert [(r[1], r[8], r[9]) for r in funded] == [
        (OPEN, "Bez sprawozdania", ""), (SETTLED, "Rozliczone", "5400,00"), (AWAITING, "Sprawozdanie do przyjęcia", ""),
        ("Razem", "", "5400,00")]
    assert sections["Rozliczenie"][1:] == [
        ["Rozliczone", "1", "6000,00", "5400,00", "600,00"], ["Sprawozdanie do przyjęcia", "1", "4000,00", "", ""],
        ["Sprawozdanie do poprawy", "0", "0,00", "", ""], ["Bez sprawozdania", "1", "3000,00", "", ""],
        ["Razem dofinansowania w mocy", "3", "13000,00", "5400,00", "600,00"]]
    assert [(r[1], r[3], r[4], r[5]) for r in sections["Cofnięte dofinansowania"][1:]] == [
        (WITHDRAWN, "5000,00", "2022-11-02", "Partnerstwo wycofało się po decyzji"),
        (REVOKED, "8000,00", "2022-12-01", "Nie rozpoczęto działań"), ("Razem", "13000,00", "", "")]


def test_the_csv_export_as_of_a_day_before_the_revocations(client, told):
    sections = _csv(client, told, "2022-10-31")
    assert dict(sections["Wskaźniki"][1:])["Cofnięte dofinansowanie"] == "0,00"
    assert sections["Cofnięte dofinansowania"] == [sections["Cofnięte dofinansowania"][0]]  # a header, no rows
    assert [r[8] for r in sections["Partnerstwa dofinansowane"][1:-1]] == ["Bez sprawozdania"] * 5


def test_the_xlsx_export_has_the_settlement_sheets_with_money_as_numbers(client, told):
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/v1/editions/{told.edition_id}/export.xlsx").data))
    assert {"Rozliczenie", "Cofnięte dofinansowania"} <= set(book.sheetnames)
    settlement = list(book["Rozliczenie"].iter_rows(min_row=5, values_only=True))
    assert settlement[0] == ("Rozliczone", 1, 6000, 5400, 600) and settlement[-1][0] == "Razem dofinansowania w mocy"
    assert book["Rozliczenie"]["C5"].number_format == '#,##0.00 "zł"'


def test_the_settlement_section_in_a_real_browser_meets_wcag(browser, app, told, tmp_path):
    with served(app) as site:
        page = new_page(browser)
        try:
            sign_in(page, site, "ewa.wisniewska", f"/editions/{told.edition_id}")
            section = page.locator("section.settlement")
            assert section.is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "horizontal overflow"
            heading, table = page.locator("#h-settlement").bounding_box(), page.locator("#settlement-table").bounding_box()
            assert page.locator("#funded-table").bounding_box()["y"] < heading["y"] < table["y"]
            assert section.screenshot(path=str(tmp_path / "settlement.png"))
            assert accessibility_violations(page) == []
            assert page.problems == []
        finally:
            page.context.close()
