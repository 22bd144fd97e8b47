"""The volunteers API read on a real database: who sees personal data, lists, 404s, the OpenAPI document."""

from __future__ import annotations

import datetime
import logging

import pytest

from services.volunteers import commands, keystore, queries
from tests.integration.volunteers.api import API, join, register
from tests.integration.volunteers.conftest import uid


def test_personal_data_is_only_for_volunteers_write_and_memberships_for_any_token(staff, known):
    volunteer = register(staff)
    join(staff, volunteer["id"], known)
    reader = staff.as_("reporting:read")
    refused = reader.get(f"{API}/{volunteer['id']}")
    assert refused.status_code == 403
    assert "memberships" in refused.get_json()["message"]
    assert reader.get(f"{API}?institution_id={known.institution_id}").status_code == 403
    listed = reader.get(f"{API}/{volunteer['id']}/memberships")
    assert listed.status_code == 200
    [membership] = listed.get_json()
    assert set(membership) == {"id", "volunteer_id", "institution_id", "institution_name", "edition_id", "edition_name",
                               "partnership_id", "joined_on", "left_on", "active"}
    assert volunteer["email"] not in listed.get_data(as_text=True)
    shown = staff.get(f"{API}/{volunteer['id']}")
    assert shown.status_code == 200
    assert shown.headers["ETag"] == '"2"'
    assert shown.get_json()["email"] == volunteer["email"]
    [in_full] = shown.get_json()["memberships"]
    assert {k: in_full[k] for k in membership} == membership  # and its paperwork, for volunteers:write only
    assert {"agreement_signed_on", "accident_insurance", "guardian_consent", "minor", "compliance"} == set(in_full) - set(membership)


def test_no_cache_may_keep_an_answer_with_personal_data(staff):
    created = staff._client.post(API, json={"first_name": "Jan", "last_name": "Kowalski", "email": f"jan.{uid()}@example.org"},
                                 headers=staff.headers)
    volunteer = created.get_json()
    for response in (created, staff.get(f"{API}/{volunteer['id']}"), staff.get(API)):
        assert response.status_code in (200, 201) and response.headers["Cache-Control"] == "no-store"


def test_unknown_volunteers_are_404(staff):
    missing = uid()
    assert staff.get(f"{API}/{missing}").status_code == 404
    assert staff.get(f"{API}/{missing}/memberships").status_code == 404
    assert staff.delete(f"{API}/{missing}").status_code == 404
    assert join(staff, missing, known=type("K", (), {"institution_id": uid(), "edition_id": uid()})).status_code == 404


def test_the_list_filters_by_institution_edition_and_activity(staff, known):
    here, gone, elsewhere = register(staff), register(staff), register(staff)
    join(staff, here["id"], known)
    left = join(staff, gone["id"], known).get_json()
    staff.post(f"{API}/{gone['id']}/memberships/{left['id']}/leave", json={"left_on": "2021-11-30"})
    join(staff, elsewhere["id"], known, institution_id=known.other_institution_id)

    def ids(query):
        response = staff.get(f"{API}?{query}&limit=1000")
        assert response.status_code == 200
        return {v["id"] for v in response.get_json()}

    at_institution = ids(f"institution_id={known.institution_id}&edition_id={known.edition_id}")
    assert {here["id"], gone["id"]} <= at_institution and elsewhere["id"] not in at_institution
    active = ids(f"institution_id={known.institution_id}&active=true")
    assert here["id"] in active and gone["id"] not in active
    ended = ids(f"institution_id={known.institution_id}&active=false")
    assert gone["id"] in ended and not {here["id"], elsewhere["id"]} & ended


def test_not_active_means_no_membership_in_scope_goes_on(staff, known):
    moved, left = register(staff), register(staff)
    first = join(staff, moved["id"], known).get_json()
    staff.post(f"{API}/{moved['id']}/memberships/{first['id']}/leave", json={"left_on": "2021-11-30"})
    join(staff, moved["id"], known, institution_id=known.other_institution_id)  # moved on, still volunteering
    only = join(staff, left["id"], known).get_json()
    staff.post(f"{API}/{left['id']}/memberships/{only['id']}/leave", json={"left_on": "2021-11-30"})

    def ids(query):
        return {v["id"] for v in staff.get(f"{API}?{query}&limit=1000").get_json()}

    for scope in ("", f"edition_id={known.edition_id}&"):
        assert left["id"] in ids(f"{scope}active=false") and moved["id"] not in ids(f"{scope}active=false"), scope
        assert moved["id"] in ids(f"{scope}active=true") and left["id"] not in ids(f"{scope}active=true"), scope
    # In the institution it left, the one who moved on is no longer active.
    assert moved["id"] in ids(f"institution_id={known.institution_id}&active=false")
    assert staff.get(f"{API}?limit=0").status_code == 422


def test_the_openapi_document_describes_the_endpoints(staff):
    paths = staff.anonymous().get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/volunteers", "/api/v1/volunteers/{volunteer_id}", "/api/v1/volunteers/{volunteer_id}/memberships",
            "/api/v1/volunteers/{volunteer_id}/memberships/{membership_id}/leave"} <= set(paths)
    member = "/api/v1/volunteers/{volunteer_id}/memberships/{membership_id}"
    assert {"patch", "get", "delete"} <= set(paths["/api/v1/volunteers/{volunteer_id}"])
    assert set(paths[f"{member}/paperwork"]) - {"parameters"} == {"patch"}
    assert set(paths[f"{member}/hours"]) - {"parameters"} == {"post"}
    for decision in ("approve", "decline"):
        assert set(paths[f"/api/v1/volunteers/{{volunteer_id}}/hours/{{entry_id}}/{decision}"]) - {"parameters"} == {"post"}
    assert "get" in paths["/api/v1/volunteers/{volunteer_id}/hours"]
    certificate = paths["/api/v1/volunteers/{volunteer_id}/certificate"]["get"]
    assert "application/pdf" in certificate["responses"]["200"]["content"]
    assert [p["name"] for p in certificate["parameters"] if p["in"] == "query"] == ["membership_id"]
    exported = paths["/api/v1/volunteers/{volunteer_id}/export"]["get"]["responses"]["200"]["content"]["application/json"]
    assert exported["schema"]["$ref"].endswith("/ExportOut")
    listed = {p["name"]: p for p in paths["/api/v1/volunteers"]["get"]["parameters"]}
    assert listed["missing"]["schema"]["enum"] == ["agreement_missing", "insurance_missing", "guardian_consent_missing"]


def test_a_read_sees_one_snapshot_so_an_erasure_committed_between_its_queries_shows_in_none(volunteers, staff, monkeypatch,
                                                                                                  caplog):
    service, _ = volunteers
    if service.runtime.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL: SQLite serialises writers against readers anyway")
    volunteer = register(staff)
    opened = keystore.cipher

    def erased_meanwhile(session, volunteer_id):
        service.bus.handle(commands.EraseVolunteer(volunteer_id))  # its own transaction, between the row and the key
        return opened(session, volunteer_id)

    monkeypatch.setattr(keystore, "cipher", erased_meanwhile)
    with service.read() as session:
        shown = queries.volunteer(session, volunteer["id"], datetime.date(2021, 12, 1))
    assert shown["erased"] is False and shown["email"] == volunteer["email"]  # wholly as it was when the read began
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    monkeypatch.setattr(keystore, "cipher", opened)
    with service.read() as session:
        after = queries.volunteer(session, volunteer["id"], datetime.date(2021, 12, 1))
    assert after["erased"] is True and after["email"] is None
