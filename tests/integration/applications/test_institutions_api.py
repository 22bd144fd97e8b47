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


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("spell", [
    lambda name: name.replace("\u017c", "z\u0307"),  # ż as z and a combining dot above
    lambda name: name.replace("Bib", "Bib\u200b").replace("Ż", "\u200dŻ") + "\ufeff",  # zero-width characters inside
    lambda name: _fullwidth(name),  # fullwidth letters and digits
    lambda name: name.replace(" ", "\u2060 ").upper(),  # a word joiner, capitals
], ids=["combining-dot", "zero-width", "fullwidth", "word-joiner-capitals"])
def test_a_look_alike_of_a_registered_name_in_its_district_is_a_duplicate(app, staff, spell):
    name = f"Biblioteka Żoliborz {uuid.uuid4().hex[:6]} nr \u017c"
    assert staff.post("/api/v1/institutions", json={"name": name, "kind": "library", "district": "Żoliborz"}).status_code == 201
    before = event_count(app[0])
    look_alike = spell(name)
    assert look_alike != name
    duplicate = staff.post("/api/v1/institutions", json={"name": look_alike, "kind": "library", "district": "Żoliborz"})
    assert_error(duplicate, 409, field="name", rule="duplicate_institution")
    assert event_count(app[0]) == before
    other = institution(staff, district="Żoliborz")
    renamed = staff.patch(f"/api/v1/institutions/{other}", json={"name": look_alike}, headers={"If-Match": '"1"'})
    assert_error(renamed, 409, field="name", rule="duplicate_institution")  # a correction may not make one either
    assert event_count(app[0]) == before + 1


def test_a_name_with_a_right_to_left_override_is_422_naming_the_field_in_polish(app, staff):
    before = event_count(app[0])
    response = staff.post("/api/v1/institutions", json={"name": "Biblioteka \u202efdp.exe", "kind": "library",
                                                       "district": "Wola"})
    body = assert_error(response, 422, field="name")
    assert body["errors"]["json"]["name"] == ["Tekst zawiera niedozwolony znak U+202E (znak zmieniający kierunek tekstu)."]
    assert event_count(app[0]) == before


def test_a_name_is_kept_in_nfc(staff):
    created = staff.post("/api/v1/institutions", json={"name": f"Dom Kultury z\u0307 {uuid.uuid4().hex[:6]}",
                                                      "kind": "culture_house", "district": "Wola"}).get_json()
    assert created["name"].startswith("Dom Kultury \u017c ")


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
