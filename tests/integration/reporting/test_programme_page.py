"""A programme's page: the editions of a range of years, each edition's row beside the total, and why they do not add up."""

from __future__ import annotations

import re

import pytest

from tests.integration.reporting import library_story
from tests.integration.reporting.conftest import Feeder


@pytest.fixture(scope="module")
def library(service):
    story = library_story.story()
    Feeder(service).batch(story.events)
    return story


def cells(html: str, row: str) -> dict[str, str]:
    """The figures of a row of the table (data-row="added" or "total"), by field, as the page writes them."""
    part = html.split(f'data-row="{row}"', 1)[1].split("</tr>", 1)[0]
    return {field: re.sub(r"<[^>]+>", "", text).strip() for field, text in re.findall(r'data-field="([^"]+)">(.*?)</td>', part, re.S)}


def test_each_editions_row_beside_the_total_and_why_they_do_not_add_up(client, library):
    html = client.get("/programmes/libraries?from_year=2017&to_year=2018").get_data(as_text=True)
    assert "<h1>Rozwój wolontariatu w bibliotekach: 2017–2018</h1>" in html
    assert html.count('<tr data-edition="') == 2
    assert cells(html, "added")["institutions.count"] == "5" and cells(html, "total")["institutions.count"] == "4"
    assert cells(html, "added")["volunteers.joined"] == "5" and cells(html, "total")["volunteers.joined"] == "4"
    assert cells(html, "added")["training.sessions"] == cells(html, "total")["training.sessions"] == "3"
    assert cells(html, "total")["volunteers.hours_approved"] == "30,5\u00a0godz."
    assert "Dlaczego wiersze nie sumują się do „Razem”" in html
    assert "Instytucje uczestniczące: suma wierszy 5, razem 4 (1 powtórzenie" in html
    assert 'selected>2017</option>' in html and 'selected>2018</option>' in html
    link = re.search(r'href="(/programmes/libraries/sources\?field=institutions.count[^"]*)"', html).group(1).replace("&amp;", "&")
    sources = client.get(link)
    assert sources.status_code == 200
    page = sources.get_data(as_text=True)
    assert "Skąd ta liczba: Instytucje uczestniczące" in page and "Rozwój wolontariatu w bibliotekach 2017–2018" in page
    assert "/api/v1/programmes/libraries/summary/sources?field=institutions.count&amp;from_year=2017&amp;to_year=2018" in page


def test_the_page_as_of_a_day_between_the_editions(client, library):
    html = client.get("/programmes/libraries?from_year=2017&to_year=2018&as_of=2017-12-31").get_data(as_text=True)
    assert html.count('<tr data-edition="') == 1
    assert "31 grudnia 2017, 23:59" in html
    assert "nikt nie został policzony w więcej niż jednej edycji" in html
    assert "as_of=2017-12-31" in html  # each edition's page and each source as of the same day


def test_the_partnership_programme_shows_its_grants(client, world):
    html = client.get("/programmes/partnerships").get_data(as_text=True)
    assert 'data-field="funding.granted_total">20\u00a0500,00\u00a0zł' in html


@pytest.mark.parametrize(("path", "status", "says"), [
    ("/programmes/biblioteki", 404, "Nie ma takiego programu"),
    ("/programmes/libraries?from_year=2019&to_year=2017", 422, "Rok końcowy (2017) jest wcześniejszy niż początkowy (2019)."),
    ("/programmes/libraries?from_year=dwa", 422, "Rok początkowy podaj jako liczbę od 2000 do 2100."),
    ("/programmes/libraries?as_of=wczoraj", 422, "Nie rozumiem"),
    ("/programmes/libraries/sources?field=nope", 422, "Nie ma w podsumowaniu pola"),
    ("/programmes/care_homes", 200, "Program nie ma jeszcze otwartej edycji."),
])
def test_errors_and_empty_ranges_are_pages(client, library, path, status, says):
    response = client.get(path)
    assert response.status_code == status
    assert says in response.get_data(as_text=True)


def test_the_page_needs_a_sign_in(client, library):
    assert client.anonymous().get("/programmes/libraries").status_code == 302
