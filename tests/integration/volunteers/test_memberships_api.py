"""The volunteers API for memberships on a real database: joining and leaving, and their rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from infra.eventstore.tables import outbox
from tests.integration.volunteers.api import API, join, register
from tests.integration.volunteers.conftest import institution_registered, learn, uid
from tests.support.apps import event_count


def test_joining_answers_201_with_the_membership_and_names_from_the_applications_facts(staff, known, volunteers):
    volunteer = register(staff)
    response = join(staff, volunteer["id"], known, partnership_id=known.partnership_id)
    assert response.status_code == 201, response.get_json()
    membership = response.get_json()
    assert membership | {"id": None} == {
        "id": None, "volunteer_id": volunteer["id"], "institution_id": known.institution_id,
        "institution_name": "Biblioteka Publiczna Wola", "edition_id": known.edition_id,
        "edition_name": "Partnerstwa 2021 – tura jesienna", "partnership_id": known.partnership_id,
        "joined_on": "2021-10-01", "left_on": None, "active": True,
        "agreement_signed_on": None, "accident_insurance": False, "guardian_consent": False, "minor": False,
        "compliance": [{"code": "agreement_missing", "message": membership["compliance"][0]["message"]}],
    }
    assert "art. 44" in membership["compliance"][0]["message"]  # joined in 2021 and not left: over 30 days by now
    with volunteers[0].read() as session:
        [payload] = session.execute(select(outbox.c.payload).where(outbox.c.key == volunteer["id"])).scalars()
    assert b'"type":"VolunteerJoined"' in payload.replace(b" ", b"")


def test_a_closed_edition_still_takes_volunteers(staff, known):
    volunteer = register(staff)
    assert join(staff, volunteer["id"], known, edition_id=known.closed_edition_id).status_code == 201


@pytest.mark.parametrize(
    "change, field, rule",
    [
        ({"institution_id": "unknown"}, "institution_id", "unknown_institution"),
        ({"edition_id": "unknown"}, "edition_id", "unknown_edition"),
        ({"partnership_id": "unknown"}, "partnership_id", "unknown_partnership"),
        ({"edition_id": "closed", "partnership_id": "known"}, "partnership_id", "partnership_in_other_edition"),
    ],
)
def test_joining_what_this_service_does_not_know_is_422_naming_the_field(staff, known, volunteers, change, field, rule):
    volunteer = register(staff)
    values = {"unknown": uid(), "closed": known.closed_edition_id, "known": known.partnership_id}
    before = event_count(volunteers[0])
    response = join(staff, volunteer["id"], known, **{k: values[v] for k, v in change.items()})
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["rule"] == rule and list(answer["errors"]["json"]) == [field]
    assert event_count(volunteers[0]) == before


def test_joining_a_partnership_the_institution_is_not_in_is_422(staff, known, volunteers):

    outsider = institution_registered(name="Szkoła Podstawowa nr 1")
    learn(volunteers[0], outsider)
    response = join(staff, register(staff)["id"], known, institution_id=outsider.institution_id,
                    partnership_id=known.partnership_id)
    assert response.status_code == 422 and response.get_json()["rule"] == "institution_not_partner"


@pytest.mark.parametrize(
    "body, field",
    [({"joined_on": "1 października"}, "joined_on"), ({"institution_id": "biblioteka"}, "institution_id"),
     ({"edition_id": None}, "edition_id"), ({"role": "lider"}, "role")],
)
def test_a_malformed_membership_is_422_naming_the_field(staff, known, body, field):
    response = join(staff, register(staff)["id"], known, **body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_a_second_active_membership_at_the_same_place_is_409_and_after_leaving_it_is_fine(staff, known):
    volunteer = register(staff)
    first = join(staff, volunteer["id"], known).get_json()
    again = join(staff, volunteer["id"], known, joined_on="2021-10-15")
    assert again.status_code == 409
    assert again.get_json()["rule"] == "already_member" and first["id"] in again.get_json()["message"]
    left = staff.post(f"{API}/{volunteer['id']}/memberships/{first['id']}/leave", json={"left_on": "2021-10-20"})
    assert left.status_code == 200
    assert left.get_json() | {"left_on": None, "active": True, "compliance": None} == first | {"compliance": None}
    assert left.get_json()["left_on"] == "2021-10-20" and left.get_json()["active"] is False
    assert join(staff, volunteer["id"], known, joined_on="2021-11-01").status_code == 201


def test_leaving_rules_are_answered_with_their_status(staff, known, volunteers):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known).get_json()
    leave = f"{API}/{volunteer['id']}/memberships/{membership['id']}/leave"
    early = staff.post(leave, json={"left_on": "2021-09-30"})
    assert early.status_code == 422
    assert early.get_json()["rule"] == "left_before_joined" and "left_on" in early.get_json()["errors"]["json"]
    assert staff.post(leave, json={}).status_code == 422
    assert staff.post(f"{API}/{volunteer['id']}/memberships/{uid()}/leave", json={"left_on": "2021-12-01"}).status_code == 404
    assert staff.post(f"{API}/{uid()}/memberships/{membership['id']}/leave", json={"left_on": "2021-12-01"}).status_code == 404
    assert staff.as_("reporting:read").post(leave, json={"left_on": "2021-12-01"}).status_code == 403
    assert staff.post(leave, json={"left_on": "2021-12-01"}).status_code == 200
    twice = staff.post(leave, json={"left_on": "2021-12-02"})
    assert twice.status_code == 409 and twice.get_json()["rule"] == "already_left"


def test_joining_and_leaving_honour_if_match_with_the_volunteers_version(staff, known, volunteers):
    volunteer = register(staff)
    url = f"{API}/{volunteer['id']}"
    assert staff.get(url).headers["ETag"] == '"1"'
    before = event_count(volunteers[0])
    stale = staff.post(f"{url}/memberships", json={"institution_id": known.institution_id, "edition_id": known.edition_id,
                                                   "joined_on": "2021-10-01"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 409 and stale.get_json()["rule"] == "version_mismatch"
    assert "Dane wolontariusza zmieniły się w międzyczasie (wersja 1, a nie 7)" in stale.get_json()["message"]
    assert event_count(volunteers[0]) == before
    membership = staff.post(f"{url}/memberships", json={"institution_id": known.institution_id,
                                                        "edition_id": known.edition_id, "joined_on": "2021-10-01"},
                            headers={"If-Match": '"1"'}).get_json()
    leave = f"{url}/memberships/{membership['id']}/leave"
    assert staff.post(leave, json={"left_on": "2021-11-30"}, headers={"If-Match": '"1"'}).status_code == 409
    assert staff.post(leave, json={"left_on": "2021-11-30"}, headers={"If-Match": 'W/"2"'}).status_code == 200
    assert staff.post(leave, json={"left_on": "2021-11-30"}, headers={"If-Match": "trzy"}).status_code == 400


def test_erasure_takes_no_if_match_a_persons_data_goes_whatever_changed(staff, known):
    volunteer = register(staff)
    join(staff, volunteer["id"], known)
    assert staff.delete(f"{API}/{volunteer['id']}", headers={"If-Match": '"1"'}).status_code == 204
    assert staff.get(f"{API}/{volunteer['id']}").get_json()["erased"] is True
