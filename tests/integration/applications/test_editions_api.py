"""Editions over HTTP: opened, listed, read, closed; every 4xx stores nothing."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.applications.api import CAPS, assert_error, open_edition
from tests.support.apps import event_count


def test_an_edition_is_opened_listed_read_and_closed(staff):
    edition = open_edition(staff)
    assert edition["status"] == "open" and edition["grant_caps"] == CAPS and edition["budget"] == "90000.00"
    listed = staff.get("/api/v1/editions?programme=partnerships").get_json()
    assert edition["id"] in [e["id"] for e in listed]
    read = staff.get(f"/api/v1/editions/{edition['id']}")
    assert read.status_code == 200 and read.headers["ETag"] == '"1"'
    closed = staff.post(f"/api/v1/editions/{edition['id']}/close")
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert_error(staff.post(f"/api/v1/editions/{edition['id']}/close"), 409, rule="edition_closed")


@pytest.mark.parametrize("body, status", [({"reason": "koniec naboru"}, 422), ([], 400), ("zamknij", 400)])
def test_closing_takes_no_fields_and_a_body_naming_any_is_refused_by_name(app, staff, body, status):
    edition = open_edition(staff)
    before = event_count(app[0])
    refused = staff.post(f"/api/v1/editions/{edition['id']}/close", json=body)
    assert_error(refused, status)
    if status == 422:
        assert refused.get_json()["errors"]["json"] == {"reason": ["Nieznane pole."]}
    assert event_count(app[0]) == before
    assert staff.post(f"/api/v1/editions/{edition['id']}/close", json={}).status_code == 200


def test_a_stale_if_match_on_an_edition_names_the_edition(staff):
    edition = open_edition(staff)
    stale = staff.post(f"/api/v1/editions/{edition['id']}/close", headers={"If-Match": '"7"'})
    assert_error(stale, 409, rule="version_mismatch")
    assert stale.get_json()["message"].startswith("Edycja zmieniła się w międzyczasie (wersja 1, a nie 7)")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"programme": "sport"}, "programme"),
        ({"round": "winter"}, "round"),
        ({"year": "2021"}, "year"),
        ({"grant_caps": [{"min_institutions": 2, "cap": "-5"}]}, "grant_caps"),
        ({"opens_on": "01.09.2021"}, "opens_on"),
        ({"opens_on": "2021-W35-3"}, "opens_on"),  # an ISO week date: Python would read it as 2021-09-01
        ({"opens_on": "20210901"}, "opens_on"),
        ({"mal_required": "yes"}, "mal_required"),
        ({"mal_required": "true"}, "mal_required"),
        ({"mal_required": 1}, "mal_required"),
        ({"budget": "9e4"}, "budget"),
        ({"budget": 90000}, "budget"),
        ({"grant_caps": [{"min_institutions": 2, "max_institutions": 3, "cap": "6_000"}]}, "grant_caps"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "Edycja\u0000"}, "name"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_a_malformed_edition_is_422_naming_the_field_and_stores_nothing(app, staff, overrides, field):
    before = event_count(app[0])
    body = {"programme": "partnerships", "name": "X", "year": 2021, "kind": "partnership", "grant_caps": CAPS,
            "opens_on": "2021-09-01", "closes_on": "2021-10-31"} | overrides
    assert_error(staff.post("/api/v1/editions", json=body), 422, field=field)
    assert event_count(app[0]) == before


def test_edition_rules_that_break_are_422_with_the_rule(staff):
    assert_error(staff.post("/api/v1/editions", json={
        "programme": "partnerships", "name": "X", "year": 2021, "kind": "partnership", "grant_caps": [],
        "opens_on": "2021-09-01", "closes_on": "2021-10-31"}), 422, field="grant_caps", rule="grant_caps_required")


def test_unknown_editions_are_404(staff):
    missing = uuid.uuid4()
    assert_error(staff.get(f"/api/v1/editions/{missing}"), 404)
    assert_error(staff.post(f"/api/v1/editions/{missing}/close"), 404)
    assert_error(staff.post(f"/api/v1/editions/{missing}/enrolments", json={"institution_id": str(uuid.uuid4())}), 404)
    assert staff.get("/api/v1/editions/not-a-uuid").status_code == 404


def test_writes_need_the_applications_role(staff):
    reader = staff.as_("funding:write")
    assert_error(reader.post("/api/v1/editions", json={}), 403)
    assert_error(reader.post("/api/v1/institutions", json={}), 403)
    assert_error(reader.post("/api/v1/partnerships", json={}), 403)
    assert reader.get("/api/v1/partnerships").status_code == 200
