"""Helpers of the applications API tests: an edition, institutions, a proposal, an error's shape."""

from __future__ import annotations

import uuid

CAPS = [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
        {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}]



def open_edition(staff, **overrides):
    body = {"programme": "partnerships", "name": f"Partnerstwa 2021 – tura jesienna {uuid.uuid4().hex[:4]}",
            "year": 2021, "round": "autumn", "kind": "partnership", "mal_required": True, "grant_caps": CAPS,
            "budget": "90000.00", "opens_on": "2021-09-01", "closes_on": "2021-10-31"} | overrides
    response = staff.post("/api/v1/editions", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def library_edition(staff):
    return open_edition(staff, programme="libraries", name=f"Biblioteki 2019 {uuid.uuid4().hex[:4]}", year=2019,
                        round=None, kind="enrolment", mal_required=False, grant_caps=[], budget=None)


def institution(staff, kind="library", district="Ochota", **extra):
    response = staff.post("/api/v1/institutions", json={"name": f"Instytucja {uuid.uuid4().hex[:8]}", "kind": kind,
                                                       "district": district} | extra)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def proposal(staff, edition_id, ids, amount="6000.00"):
    return staff.post("/api/v1/partnerships", json={"edition_id": edition_id, "title": "Sąsiedzi razem",
                                                    "lead_institution_id": ids[0], "institution_ids": ids,
                                                    "requested_amount": amount})


def partnership(staff, edition=None):
    edition = edition or open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal"), institution(staff)]
    response = proposal(staff, edition["id"], ids)
    assert response.status_code == 201, response.get_json()
    return response.get_json(), ids


def assert_error(response, status, field=None, rule=None):
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["code"] == status and body["message"]
    if field:
        assert field in body["errors"]["json"], body
    if rule:
        assert body["rule"] == rule, body
    return body
