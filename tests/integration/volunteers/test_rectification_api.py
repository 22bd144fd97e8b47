"""Rectification (GDPR art. 16) over HTTP on a real database: PATCH with If-Match, the data still sealed, logged."""

from __future__ import annotations

from sqlalchemy import select

from infra.eventstore.tables import events
from services.volunteers import access
from services.volunteers.readmodel import volunteers as volunteer_rows
from tests.integration.volunteers.api import API, register
from tests.integration.volunteers.conftest import person
from tests.support.apps import event_count


def test_a_correction_needs_the_version_it_was_read_at_and_keeps_the_data_sealed(staff, volunteers):
    service = volunteers[0]
    volunteer = register(staff, phone="+48 601 234 567")
    path = f"{API}/{volunteer['id']}"
    before = event_count(service)
    assert staff.patch(path, json={"last_name": "Pigwa-Kowalska"}).status_code == 428
    stale = staff.patch(path, json={"last_name": "Pigwa-Kowalska"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 409 and stale.get_json()["rule"] == "version_mismatch"
    assert event_count(service) == before
    etag = staff.get(path).headers["ETag"]
    corrected = staff.patch(path, json={"last_name": "Pigwa-Kowalska", "phone": "", "birth_date": "1988-02-29"},
                            headers={"If-Match": etag})
    assert corrected.status_code == 200, corrected.get_json()
    body = corrected.get_json()
    assert (body["first_name"], body["last_name"], body["phone"], body["birth_date"], body["email"]) == (
        "Genowefa", "Pigwa-Kowalska", None, "1988-02-29", volunteer["email"])
    assert corrected.headers["ETag"] == f'"{body["version"]}"' != etag
    with service.read() as session:
        row = session.execute(select(volunteer_rows).where(volunteer_rows.c.id == volunteer["id"])).one()
        [stored] = session.execute(select(events.c.data).where(
            events.c.aggregate_id == volunteer["id"], events.c.type == "VolunteerRectified")).scalars()
        log = [entry["action"] for entry in access.of(session, volunteer["id"])]
    assert row.last_name.startswith("v1.") and row.birth_date.startswith("v1.") and row.phone is None
    assert "Pigwa" not in str(stored) and "1988-02-29" not in str(stored)
    assert "changed" in log and log.index("changed") > 0  # the answer that shows the new data is a reading after it


def test_a_new_email_frees_the_old_one_and_one_held_by_another_is_a_conflict(staff, volunteers):
    first, second = register(staff), register(staff)
    path = f"{API}/{first['id']}"
    taken = staff.patch(path, json={"email": second["email"].upper()}, headers={"If-Match": "*"})
    assert taken.status_code == 409 and taken.get_json()["rule"] == "duplicate_email"
    new = person()["email"]
    assert staff.patch(path, json={"email": new}, headers={"If-Match": "*"}).status_code == 200
    assert staff.post(API, json=person(email=new)).get_json()["rule"] == "duplicate_email"
    assert staff.post(API, json=person(email=first["email"])).status_code == 201  # the old address is free again


def test_what_a_correction_refuses(staff):
    volunteer = register(staff)
    path = f"{API}/{volunteer['id']}"
    for body, field in (({}, None), ({"email": "nie-adres"}, "email"), ({"first_name": "  "}, "first_name"),
                        ({"first_name": None}, "first_name"), ({"nickname": "Gienia"}, "nickname"),
                        ({"birth_date": "2999-01-01"}, "birth_date")):
        refused = staff.patch(path, json=body, headers={"If-Match": "*"})
        assert refused.status_code == 422, body
        assert field is None and refused.get_json()["rule"] == "nothing_to_change" or field in refused.get_json()["errors"]["json"]
    assert staff.as_("reporting:read").patch(path, json={"first_name": "Ala"}, headers={"If-Match": "*"}).status_code == 403
    assert staff.delete(path).status_code == 204
    erased = staff.patch(path, json={"first_name": "Ala"}, headers={"If-Match": "*"})
    assert erased.status_code == 409 and erased.get_json()["rule"] == "volunteer_erased"
