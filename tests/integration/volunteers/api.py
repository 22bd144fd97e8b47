"""Helpers of the volunteers API tests: registering, joining."""

from __future__ import annotations

from tests.integration.volunteers.conftest import person

API = "/api/v1/volunteers"



def register(staff, **overrides) -> dict:
    response = staff.post(API, json=person(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def join(staff, volunteer_id: str, known, **overrides):
    body = {"institution_id": known.institution_id, "edition_id": known.edition_id, "joined_on": "2021-10-01"} | overrides
    return staff.post(f"{API}/{volunteer_id}/memberships", json=body)
