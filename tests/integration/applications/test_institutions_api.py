"""Institutions over HTTP: registered, listed, read; duplicates and bad input refused."""

from __future__ import annotations

import threading
import uuid

import pytest

from tests.integration.applications.api import assert_error, institution
from tests.support.apps import Client, event_count


def test_institutions_are_registered_listed_and_read(staff):
    mal_id = institution(staff, kind="social_welfare_centre", district="Praga-Północ", is_mal=True)
    read = staff.get(f"/api/v1/institutions/{mal_id}").get_json()
    assert read["is_mal"] and read["district"] == "Praga-Północ"
    listed = staff.get("/api/v1/institutions?district=Praga-Północ&kind=social_welfare_centre").get_json()
    assert mal_id in [i["id"] for i in listed]
    assert_error(staff.get(f"/api/v1/institutions/{uuid.uuid4()}"), 404)


def test_a_duplicate_name_in_a_district_is_refused_but_allowed_elsewhere(app, staff):
    name = f"Dom Kultury Włochy {uuid.uuid4().hex[:4]}"
    assert staff.post("/api/v1/institutions", json={"name": name, "kind": "culture_house", "district": "Włochy"}).status_code == 201
    before = event_count(app[0])
    duplicate = staff.post("/api/v1/institutions", json={"name": name.upper(), "kind": "culture_house", "district": "Włochy"})
    assert_error(duplicate, 409, field="name", rule="duplicate_institution")
    assert event_count(app[0]) == before
    assert staff.post("/api/v1/institutions", json={"name": name, "kind": "culture_house", "district": "Ursus"}).status_code == 201


def test_concurrent_registrations_of_one_name_store_exactly_one(app, staff):
    name = f"Biblioteka równoległa {uuid.uuid4().hex[:4]}"
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def register():
        client = Client(app[1], "applications:write")
        barrier.wait()
        statuses.append(client.post("/api/v1/institutions", json={"name": name, "kind": "library", "district": "Bemowo"}).status_code)

    threads = [threading.Thread(target=register) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(statuses) == [201] + [409] * 5
    assert len([i for i in staff.get("/api/v1/institutions?district=Bemowo").get_json() if i["name"] == name]) == 1


@pytest.mark.parametrize("body, field", [({"name": "X", "kind": "museum", "district": "Wola"}, "kind"),
                                         ({"name": "X", "kind": "library", "district": "Kraków"}, "district"),
                                         ({"kind": "library", "district": "Wola"}, "name")])
def test_a_malformed_institution_is_422_naming_the_field(staff, body, field):
    assert_error(staff.post("/api/v1/institutions", json=body), 422, field=field)


def test_a_lone_surrogate_in_the_json_is_422_naming_the_field(app, staff):
    before = event_count(app[0])
    raw = '{"name": "Biblioteka \\ud800", "kind": "library", "district": "Wola"}'  # valid JSON, not valid Unicode
    response = staff.post("/api/v1/institutions", data=raw, content_type="application/json")
    assert_error(response, 422, field="name")
    assert "U+D800" in response.get_json()["errors"]["json"]["name"][0]
    assert event_count(app[0]) == before
