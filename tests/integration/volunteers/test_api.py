"""The volunteers API on a real database: every endpoint, every rule, every 4xx."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from infra.eventstore.tables import events, outbox
from tests.integration.volunteers.conftest import WRITE, person, uid

API = "/api/v1/volunteers"


def event_count(service) -> int:
    with service.read() as session:
        return session.execute(select(func.count()).select_from(events)).scalar()


def register(staff, **overrides) -> dict:
    response = staff.post(API, json=person(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def join(staff, volunteer_id: str, known, **overrides):
    body = {"institution_id": known.institution_id, "edition_id": known.edition_id, "joined_on": "2021-10-01"} | overrides
    return staff.post(f"{API}/{volunteer_id}/memberships", json=body)


# -- registration ---------------------------------------------------------------
def test_registering_answers_201_with_the_id_and_the_personal_data(staff):
    body = person(first_name="  Genowefa  Maria ")
    response = staff.post(API, json=body)
    assert response.status_code == 201
    volunteer = response.get_json()
    uuid.UUID(volunteer["id"])
    assert volunteer["first_name"] == "Genowefa Maria"
    assert (volunteer["email"], volunteer["phone"]) == (body["email"], "+48 601 234 567")
    assert volunteer["erased"] is False and volunteer["memberships"] == []


def test_the_phone_is_optional(staff):
    body = person()
    del body["phone"]
    response = staff.post(API, json=body)
    assert response.status_code == 201 and response.get_json()["phone"] is None
    assert staff.post(API, json=person(phone=None)).get_json()["phone"] is None


def test_a_malformed_email_is_422_naming_the_field_and_records_nothing(staff, volunteers):
    before = event_count(volunteers[0])
    response = staff.post(API, json=person(email="genowefa.example.pl"))
    assert response.status_code == 422
    answer = response.get_json()
    assert list(answer["errors"]["json"]) == ["email"]
    assert "e-mail" in answer["errors"]["json"]["email"][0]
    assert "email" in answer["message"]
    assert event_count(volunteers[0]) == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"first_name": ""}, "first_name"),
        ({"last_name": None}, "last_name"),
        ({"first_name": "   "}, "first_name"),
        ({"phone": "dzwonić wieczorem"}, "phone"),
        ({"email": "a" * 250 + "@example.pl"}, "email"),
        ({"pesel": "80010112345"}, "pesel"),
    ],
    ids=["empty-name", "null-surname", "blank-name", "phone-not-a-number", "email-too-long", "unknown-field"],
)
def test_invalid_registrations_are_422_naming_the_field(staff, change, field):
    response = staff.post(API, json=person(**change))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]


def test_a_missing_field_is_422_naming_it(staff):
    body = person()
    del body["last_name"]
    response = staff.post(API, json=body)
    assert response.status_code == 422
    assert "last_name" in response.get_json()["errors"]["json"]


def test_a_malformed_body_is_400(staff):
    response = staff._client.post(API, data="{oops", content_type="application/json", headers=staff.headers)
    assert response.status_code == 400


def test_a_second_registration_of_the_same_email_is_409_without_repeating_the_address(staff):
    first = register(staff)
    response = staff.post(API, json=person(email=first["email"].upper(), first_name="Inna"))
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["rule"] == "duplicate_email"
    assert first["id"] in answer["message"]
    assert first["email"].split("@")[0] not in response.get_data(as_text=True).lower()


def test_writes_need_volunteers_write_and_any_request_a_token(staff):
    assert staff.anonymous().post(API, json=person()).status_code == 401
    refused = staff.as_("applications:write").post(API, json=person())
    assert refused.status_code == 403
    assert WRITE in refused.get_json()["message"]


# -- reading ----------------------------------------------------------------------
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
    assert shown.get_json()["memberships"] == [membership]


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
    assert staff.get(f"{API}?limit=0").status_code == 422


# -- memberships --------------------------------------------------------------------
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
    }
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
    from tests.integration.volunteers.conftest import institution_registered, learn

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
    assert left.get_json() | {"left_on": None, "active": True} == first
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


# -- erasure --------------------------------------------------------------------------
def test_after_erasure_get_says_so_memberships_stay_and_only_leaving_is_still_possible(staff, known):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known).get_json()
    assert staff.as_("reporting:read").delete(f"{API}/{volunteer['id']}").status_code == 403
    erased = staff.delete(f"{API}/{volunteer['id']}")
    assert erased.status_code == 204 and erased.get_data() == b""
    shown = staff.get(f"{API}/{volunteer['id']}").get_json()
    assert shown["erased"] is True and shown["erased_at"]
    assert [shown[k] for k in ("first_name", "last_name", "email", "phone")] == [None] * 4
    assert [m["id"] for m in shown["memberships"]] == [membership["id"]]
    refused = join(staff, volunteer["id"], known, institution_id=known.other_institution_id)
    assert refused.status_code == 409 and refused.get_json()["rule"] == "volunteer_erased"
    assert staff.post(f"{API}/{volunteer['id']}/memberships/{membership['id']}/leave",
                      json={"left_on": "2021-12-31"}).status_code == 200
    listed = staff.get(f"{API}?institution_id={known.institution_id}&limit=1000").get_json()
    assert [v for v in listed if v["id"] == volunteer["id"]][0]["email"] is None


def test_erasing_twice_is_204_and_records_nothing_more(staff, volunteers):
    volunteer = register(staff)
    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204
    before = event_count(volunteers[0])
    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204
    assert event_count(volunteers[0]) == before


def test_after_erasure_the_same_email_may_register_again(staff):
    volunteer = register(staff)
    staff.delete(f"{API}/{volunteer['id']}")
    assert register(staff, email=volunteer["email"])["id"] != volunteer["id"]


def test_the_openapi_document_describes_the_endpoints(staff):
    paths = staff.anonymous().get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/volunteers", "/api/v1/volunteers/{volunteer_id}", "/api/v1/volunteers/{volunteer_id}/memberships",
            "/api/v1/volunteers/{volunteer_id}/memberships/{membership_id}/leave"} <= set(paths)


def test_two_registrations_of_one_email_racing_end_in_one_volunteer_and_a_409(volunteers):
    import threading

    from infra.errors import Conflict
    from services.volunteers import keystore

    service, _ = volunteers
    email = f"wyscig.{uuid.uuid4().hex[:8]}@example.pl"
    first, second = uid(), uid()
    outcome = {}
    with service.runtime.sessions() as one:  # read() is for reading: it may run without a transaction
        keystore.create(one, first, email)  # not committed yet: the check before it saw no holder either

        def racer():
            with service.runtime.sessions() as other:
                try:
                    keystore.create(other, second, email)
                    other.commit()
                    outcome["second"] = "registered"
                except Conflict as exc:
                    outcome["second"] = exc.rule

        thread = threading.Thread(target=racer)
        thread.start()
        thread.join(timeout=0.5)  # on PostgreSQL it waits for the first transaction; on SQLite for the write lock
        one.commit()
        thread.join(timeout=30)
    assert outcome == {"second": "duplicate_email"}
    with service.read() as session:
        assert keystore.holder_of(session, email) == first
