"""Corrections of the register (InstitutionDetailsChanged) hold from their time on: the past keeps the details it had."""

from __future__ import annotations

import pytest

from contracts.applications import InstitutionDetailsChanged, InstitutionRegistered
from services.reporting import moments
from services.reporting.readmodel import queries, report
from tests.integration.reporting.conftest import Feeder
from tests.integration.reporting.grants_story import CORRECTED, OPEN, SETTLED, story
from tests.integration.reporting.scenario import at, new_id, proposed, wrap

BEFORE = {"by_kind": {"culture_house": 1, "library": 1, "mal": 1, "school": 1}, "by_district": {"Ochota": 3, "Wola": 1}}
AFTER = {"by_kind": {"culture_house": 2, "mal": 1, "school": 1}, "by_district": {"Ochota": 2, "Wola": 1, "Włochy": 1}}


@pytest.fixture(scope="module")
def told(service):
    found = story()
    Feeder(service).batch(found.events)
    return found


def _breakdown(summary: dict) -> dict:
    return {k: summary["institutions"][k] for k in ("by_kind", "by_district")}


@pytest.mark.parametrize("moment, expected", [
    ("2022-09-30", BEFORE), ("2022-11-15T09:59:59Z", BEFORE), ("2022-11-15T10:00:00Z", AFTER), ("2023-03-01", AFTER),
])
def test_kind_and_district_as_of_either_side_of_the_correction(feed, told, moment, expected):
    summary = feed.summary(told.edition_id, moments.parse(moment))
    assert _breakdown(summary) == expected and summary["institutions"]["count"] == 4


def test_now_the_summary_kept_by_the_projection_shows_the_corrected_register(feed, told):
    assert _breakdown(feed.summary(told.edition_id)) == AFTER


@pytest.mark.parametrize("moment, name", [
    ("2022-11-01", CORRECTED), ("2022-12-01", "Dom Kultury „Włochy” – Filia"), (None, "Dom Kultury „Włochy”"),
])
def test_the_names_on_the_page_are_those_of_the_register_then(service, told, moment, name):
    with service.read() as session:
        found = report.build(session, queries.edition(session, told.edition_id), moment and moments.parse(moment))
    lead = {g["title"]: g for g in found.grants}[SETTLED]
    assert lead["lead_name"] == name and lead["partners"][0] == name
    assert lead["lead_district"] == ("Ochota" if name == CORRECTED else "Włochy")
    assert {g["title"]: g for g in found.grants}[OPEN]["partners"][0] == name  # the same institution leads another


def _sources(client, edition_id: str, field: str, as_of: str | None = None) -> list[tuple[str, str | None]]:
    query = {"field": field} | ({"as_of": as_of} if as_of else {})
    trace = client.get(f"/api/v1/editions/{edition_id}/summary/sources", query_string=query).get_json()
    return sorted((s["type"], s["contributes"].get("name")) for s in trace["sources"]
                  if s["type"] in ("InstitutionRegistered", "InstitutionDetailsChanged"))


def test_the_sources_of_a_kind_name_the_registration_or_the_correction_in_effect_then(client, told):
    assert _sources(client, told.edition_id, "institutions.by_kind.library", "2022-11-01") == [("InstitutionRegistered", CORRECTED)]
    assert _sources(client, told.edition_id, "institutions.by_kind.library") == []
    assert _sources(client, told.edition_id, "institutions.by_kind.culture_house") == [
        ("InstitutionDetailsChanged", "Dom Kultury „Włochy”"), ("InstitutionRegistered", "Dom Kultury „Rakowiec”")]
    assert _sources(client, told.edition_id, "institutions.by_district.Włochy", "2022-12-01") == [
        ("InstitutionDetailsChanged", "Dom Kultury „Włochy” – Filia")]


def test_a_correction_seen_before_the_registration_and_the_proposal_naming_the_institution(feed, edition):
    school, partner = new_id(), new_id()
    feed.batch([wrap(InstitutionDetailsChanged(school, "Szkoła nr 7", "school", "Wawer", False), time=at("2021-10-01 10:00"),
                     sequence=2)])
    feed.batch([wrap(proposed(edition, [school, partner]), time=at("2021-09-10 10:00"))])
    assert feed.summary(edition)["institutions"]["by_kind"] == {"school": 1, "unknown": 1}
    assert feed.summary(edition, at("2021-09-30 00:00"))["institutions"]["by_kind"] == {"unknown": 2}  # before the correction
    feed.batch([
        wrap(InstitutionRegistered(school, "Przedszkole nr 7", "other", "Wawer", False), time=at("2021-08-01 10:00")),
        wrap(InstitutionRegistered(partner, "Biblioteka Wawer", "library", "Wawer", False), time=at("2021-08-01 10:00")),
    ])
    assert feed.summary(edition)["institutions"]["by_kind"] == {"library": 1, "school": 1}
    assert feed.summary(edition, at("2021-09-30 00:00"))["institutions"]["by_kind"] == {"library": 1, "other": 1}


def test_of_two_corrections_at_once_the_later_event_holds(feed, edition):
    library, partner = new_id(), new_id()
    feed.batch([
        wrap(InstitutionRegistered(library, "Biblioteka", "library", "Wola", False), time=at("2021-08-01 10:00")),
        wrap(proposed(edition, [library, partner]), time=at("2021-09-10 10:00")),
    ])
    first, second = sorted([new_id(), new_id()])  # the greater event id decides between events of the same time
    feed.batch([
        wrap(InstitutionDetailsChanged(library, "Biblioteka", "library", "Bemowo", False), time=at("2021-10-01 10:00"),
             sequence=3, id=second),
        wrap(InstitutionDetailsChanged(library, "Biblioteka", "library", "Bielany", False), time=at("2021-10-01 10:00"),
             sequence=2, id=first),
    ])
    assert feed.summary(edition)["institutions"]["by_district"] == {"Bemowo": 1, "unknown": 1}
