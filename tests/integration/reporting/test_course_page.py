"""An enrolment edition's page: its course (trainings, visits, programmes) and each library's path through it, with the
step each one waits for, as it stood at any moment; the same in the exports."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from services.reporting import moments
from services.reporting.readmodel import paths
from services.reporting.readmodel.paths import Step
from tests.integration.reporting import library_story
from tests.integration.reporting.conftest import Feeder


@pytest.fixture(scope="module")
def library(service):
    story = library_story.story()
    Feeder(service).batch(story.events)
    return story


def waiting(html: str) -> dict[str, str]:
    """Each row of the path table: the institution's id and the step it waits for (or done, withdrawn)."""
    return dict(re.findall(r'data-institution="([^"]+)" data-waits-for="([^"]+)"', html))


def step_counts(html: str) -> dict[str, tuple[str, str]]:
    """Each row of the steps table: (reached, waiting)."""
    rows = re.findall(r'<tr data-step="(\w+)"><th scope="row">[^<]*</th><td class="num">([^<]*)</td>\s*<td class="num">([^<]*)</td>', html)
    return {step: (reached, waits) for step, reached, waits in rows}


def test_the_path_of_each_library_and_the_steps_they_wait_for(client, library):
    html = client.get(f"/editions/{library.editions[2017]}").get_data(as_text=True)
    ochota, wola, mokotow = library.libraries[:3]
    assert waiting(html) == {ochota: "done", wola: "adopted", mokotow: "withdrawn"}
    assert step_counts(html) == {"enrolled": ("3", "—"), "trained": ("2", "0"), "visited": ("2", "0"), "adopted": ("1", "1"),
                                 "active": ("2", "0")}
    assert "czeka na przyjęcie programu" in html and "cała ścieżka" in html
    assert "wycofana 15 czerwca 2017" in html and "Brak kadry do prowadzenia wolontariatu" in html
    assert "ostatnia: planowanie" in html  # the latest of the Ochota library's two visits
    assert "Przebieg edycji" in html and "10,5\u00a0godz." in html


def test_the_path_as_of_a_day_shows_only_what_had_happened(client, library):
    html = client.get(f"/editions/{library.editions[2017]}?as_of=2017-04-30").get_data(as_text=True)
    ochota, wola, mokotow = library.libraries[:3]
    assert waiting(html) == {ochota: "visited", wola: "visited", mokotow: "trained"}  # not withdrawn yet
    assert "wycofana" not in html
    before = client.get(f"/editions/{library.editions[2017]}?as_of=2017-02-10").get_data(as_text=True)
    assert waiting(before) == {ochota: "trained"}  # the other two enrolled on 11 and 12 February


def test_the_steps_reached_are_the_summarys_figures(client, service, library):
    for year, moment in ((2017, None), (2017, "2017-06-30"), (2018, None)):
        query = {"as_of": moment} if moment else {}
        summary = client.get(f"/api/v1/editions/{library.editions[year]}/summary", query_string=query).get_json()
        with service.read() as session:
            found = paths.steps(paths.paths_of(session, library.editions[year], moments.parse(moment) if moment else None))
        reached = {s.step: s.reached for s in found}
        assert reached[Step.ENROLLED] == summary["institutions"]["count"]
        assert reached[Step.TRAINED] == summary["training"]["institutions_trained"]
        assert reached[Step.VISITED] == summary["training"]["institutions_visited"]
        assert reached[Step.ADOPTED] == summary["training"]["programmes_adopted"]


def test_each_course_figure_links_to_its_sources_and_the_sources_page_shows_hours(client, library):
    html = client.get(f"/editions/{library.editions[2017]}").get_data(as_text=True)
    for field in ("training.sessions", "training.hours", "training.institutions_trained", "training.monitoring_visits",
                  "training.institutions_visited", "training.programmes_adopted", "volunteers.hours_approved"):
        assert f'data-field="{field}"' in html, field
    page = client.get(f"/editions/{library.editions[2017]}/sources?field=training.hours").get_data(as_text=True)
    assert "Skąd ta liczba: Godziny szkoleń" in page and "10,5\u00a0godz." in page
    assert "Szkolenie, wizyta studyjna lub spotkanie" in page


def test_a_partnership_edition_has_no_course_section(client, world):
    html = client.get(f"/editions/{world.edition_id}").get_data(as_text=True)
    assert "Przebieg edycji" not in html and 'id="paths-table"' not in html


def test_the_exports_carry_the_course_and_the_paths(client, library):
    csv = client.get(f"/api/v1/editions/{library.editions[2017]}/export.csv").get_data().decode("utf-8-sig")
    assert "Ścieżka instytucji" in csv and "Biblioteka Mokotów – Filia nr 3" in csv
    assert "Godziny szkoleń;10,50" in csv


def test_the_xlsx_export_writes_hours_as_hours_not_zloty(client, library):
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/v1/editions/{library.editions[2017]}/export.xlsx").get_data()))
    cells = {row[0].value: row[1] for row in book["Wskaźniki"].iter_rows(min_row=5)}
    assert cells["Godziny szkoleń"].value == 10.5 and "godz." in cells["Godziny szkoleń"].number_format
    assert cells["Zatwierdzone godziny wolontariatu"].value == 20.5
    assert [c.value for c in next(book["Ścieżka instytucji"].iter_rows(min_row=5, max_row=5))][:2] == [
        "Biblioteka Mokotów – Filia nr 3", "Mokotów"]
