"""The volunteers API registering people on a real database: every rule, every 4xx, a race."""

from __future__ import annotations

import threading
import uuid

import pytest

from infra.errors import Conflict
from services.volunteers import keystore
from tests.integration.volunteers.api import API, register
from tests.integration.volunteers.conftest import WRITE, person, uid
from tests.support.apps import event_count


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


def test_two_registrations_of_one_email_racing_end_in_one_volunteer_and_a_409(volunteers):
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
