"""Open results for residents, without a token: what is published (opened editions, grants in force), what never is
(anything personal, an edition staff did not open, a revoked grant), caching by ETag, the open-data files and /wyniki."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest

from contracts.applications import VolunteeringProgrammeAdopted
from tests.integration.reporting import grants_story, library_story
from tests.integration.reporting.conftest import Feeder
from tests.integration.reporting.grants_story import AWAITING, OPEN, REVOKED, SETTLED, WITHDRAWN
from tests.integration.reporting.scenario import at, wrap


@pytest.fixture(scope="module")
def stories(service, world):
    grants, library = grants_story.story(), library_story.story()
    Feeder(service).batch(grants.events + library.events)
    return grants, library


@pytest.fixture
def resident(client):
    return client.anonymous()


def test_the_editions_are_open_without_a_token_and_only_those_staff_opened(resident, world, stories):
    grants, library = stories
    response = resident.get("/api/v1/public/editions")
    assert response.status_code == 200 and response.is_json
    listed = {e["edition_id"]: e for e in response.get_json()}
    assert {world.edition_id, grants.edition_id, *library.editions.values()} <= set(listed)
    assert library.unopened not in listed  # only named by an enrolment: never opened
    assert resident.get(f"/api/v1/public/editions/{library.unopened}").status_code == 404
    autumn = listed[world.edition_id]
    assert (autumn["name"], autumn["programme_name"], autumn["round_name"], autumn["closed"]) == (
        "Partnerstwa 2021 – tura jesienna", "Partnerstwa instytucji", "tura jesienna", True)
    assert autumn["figures"]["partnerships"]["funded"] == 3 and autumn["figures"]["funding"]["granted_total"] == "20500.00"
    funded = {p["title"]: p for p in autumn["funded_partnerships"]}
    assert set(funded) == {"Sąsiedzi na Ochocie", "Czytamy na Woli", "Mokotów razem"}
    mokotow = funded["Mokotów razem"]
    assert (mokotow["amount_granted"], mokotow["district"]) == ("8500.00", "Mokotów")
    assert [i["name"] for i in mokotow["institutions"]][0] == "Szkoła Podstawowa nr 103"  # the lead first
    assert resident.get(f"/api/v1/public/editions/{world.edition_id}").get_json() == autumn


def test_a_revoked_grant_is_not_funded(resident, stories):
    grants, _ = stories
    body = resident.get(f"/api/v1/public/editions/{grants.edition_id}").get_json()
    assert {p["title"] for p in body["funded_partnerships"]} == {SETTLED, AWAITING, OPEN}
    assert not {WITHDRAWN, REVOKED} & {p["title"] for p in body["funded_partnerships"]}
    assert body["figures"]["funding"]["granted_total"] == "13000.00"


def test_an_enrolment_edition_lists_its_libraries_and_its_course(resident, stories):
    _, library = stories
    body = resident.get(f"/api/v1/public/editions/{library.editions[2017]}").get_json()
    assert body["funded_partnerships"] == []
    assert [(i["name"], i["programme_adopted"], i["withdrawn"]) for i in body["institutions"]] == [
        ("Biblioteka Mokotów – Filia nr 3", False, True), ("Biblioteka Ochota – Filia nr 1", True, False),
        ("Biblioteka Wola – Filia nr 2", False, False)]
    assert body["figures"]["training"] == library_story.TRAINING_2017


def test_nothing_personal_is_published(resident, world, stories):
    _, library = stories
    people = set(world.volunteers) | set(library.volunteers.values())
    for path in ("/api/v1/public/editions", "/api/v1/public/partnerships.csv", "/api/v1/public/partnerships.json",
                 "/api/v1/public/editions.csv", "/wyniki", f"/wyniki/{world.edition_id}", f"/wyniki/{library.editions[2017]}"):
        text = resident.get(path).get_data(as_text=True)
        assert not any(person in text for person in people), path  # not even a volunteer's id
        assert "volunteer_id" not in text and "membership" not in text and "@" not in text.replace("@media", ""), path


def test_answers_are_cacheable_and_a_known_version_is_a_304(resident, service, stories):
    _, library = stories
    first = resident.get("/api/v1/public/editions")
    etag = first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"] and "max-age" in first.headers["Cache-Control"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = resident.get("/api/v1/public/editions", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    for path in ("/api/v1/public/partnerships.csv", "/api/v1/public/editions.csv", "/wyniki"):
        tag = resident.get(path).headers["ETag"]
        assert resident.get(path, headers={"If-None-Match": tag}).status_code == 304, path
    # A new fact makes a new version.
    Feeder(service).batch([wrap(VolunteeringProgrammeAdopted(library.editions[2018], library.libraries[0], datetime.date(2018, 11, 5)),
                                time=at("2018-11-05 10:00"), sequence=3)])
    changed = resident.get("/api/v1/public/editions", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_open_data_files(resident, world, stories):
    grants, _ = stories
    partnerships = resident.get("/api/v1/public/partnerships.csv")
    assert partnerships.content_type == "text/csv; charset=utf-8"
    assert "ochotnicy-partnerstwa-dofinansowane.csv" in partnerships.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(partnerships.get_data(as_text=True))))
    mine = [r for r in rows if r["edition_id"] == world.edition_id]
    assert sorted((r["title"], r["amount_granted"], r["district"]) for r in mine) == [
        ("Czytamy na Woli", "6000.00", "Wola"), ("Mokotów razem", "8500.00", "Mokotów"), ("Sąsiedzi na Ochocie", "6000.00", "Ochota")]
    assert "Ognisko Pracy Pozaszkolnej na Ochocie" in next(r for r in mine if r["title"] == "Sąsiedzi na Ochocie")["institutions"]
    as_json = json.loads(resident.get("/api/v1/public/partnerships.json").get_data())
    assert [dict(r, year=str(r["year"]), round=r["round"] or "") for r in as_json] == [dict(r) for r in rows]
    assert not [r for r in rows if r["edition_id"] == grants.edition_id and r["title"] in (WITHDRAWN, REVOKED)]
    editions = list(csv.DictReader(io.StringIO(resident.get("/api/v1/public/editions.csv").get_data(as_text=True))))
    autumn = next(r for r in editions if r["edition_id"] == world.edition_id)
    assert (autumn["partnerships_funded"], autumn["granted_total"], autumn["volunteers_joined"]) == ("3", "20500.00", "4")


def test_the_residents_page_needs_no_sign_in_and_links_the_open_data(resident, world, stories):
    _, library = stories
    page = resident.get("/wyniki")
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    assert '<html lang="pl">' in html and "Wyniki programów wolontariatu" in html
    for link in ("/api/v1/public/partnerships.csv", "/api/v1/public/partnerships.json", "/api/v1/public/editions.csv"):
        assert link in html
    assert f"/wyniki/{world.edition_id}" in html and library.unopened not in html
    assert "Zalogowano" not in html and "/editions" not in html.replace("/public/editions", "")  # no staff page offered
    one = resident.get(f"/wyniki/{world.edition_id}").get_data(as_text=True)
    assert "Mokotów razem" in one and "8\u00a0500,00\u00a0zł" in one and "Wycofany pomysł" not in one
    assert resident.get(f"/wyniki/{library.unopened}").status_code == 404
    assert resident.get("/wyniki/nie-ma").status_code == 404


def test_the_open_endpoints_are_documented_as_needing_no_token(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/public/editions", "/api/v1/public/editions/{edition_id}", "/api/v1/public/partnerships.csv"):
        assert document["paths"][path]["get"]["security"] == [], path
    assert "/api/v1/programmes/{programme}/summary" in document["paths"]
