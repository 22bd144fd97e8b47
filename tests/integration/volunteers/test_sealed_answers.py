"""Answers kept for Idempotency-Keys are sealed with the key of the person they are about, so erasure shreds them."""

from __future__ import annotations

import datetime

import orjson
import pytest
from alembic import command
from sqlalchemy import insert, select, text

from infra.db import migrate
from infra.eventstore.tables import idempotency_keys
from services.volunteers.spec import SPEC
from tests.integration.volunteers.api import API
from tests.integration.volunteers.conftest import WRITE, person
from tests.support.apps import Client, service_app


@pytest.fixture
def fresh(databases):
    service, app = service_app("volunteers", databases.create("answers"))
    return service, Client(app, WRITE)


def kept(service) -> dict[str, bytes]:
    """Each kept answer's body as stored, by its key."""
    with service.runtime.engine.connect() as connection:
        return {r.key: bytes(r.body) for r in connection.execute(select(idempotency_keys)) if r.body is not None}


def test_a_registration_and_a_correction_that_changed_nothing_are_kept_sealed_and_replayed_opened(fresh):
    service, staff = fresh
    body = person(first_name="Zażółć", phone="+48 601 234 567")
    first = staff.post(API, json=body, headers={"Idempotency-Key": "rejestracja"})
    volunteer = first.get_json()
    etag = staff.get(f"{API}/{volunteer['id']}").headers["ETag"]
    same = staff.patch(f"{API}/{volunteer['id']}", json={"first_name": "Zażółć"},  # no event: the same value
                       headers={"Idempotency-Key": "poprawka", "If-Match": etag})
    assert same.status_code == 200

    stored = kept(service)
    assert set(stored) == {"rejestracja", "poprawka"}
    assert all(b.startswith(b"v1.") for b in stored.values())
    assert not [k for k, b in stored.items() if b"Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87" in b or body["email"].encode() in b]
    replayed = staff.post(API, json=body, headers={"Idempotency-Key": "rejestracja"})
    assert replayed.headers["Idempotent-Replayed"] == "true" and replayed.get_json() == volunteer
    again = staff.patch(f"{API}/{volunteer['id']}", json={"first_name": "Zażółć"},
                        headers={"Idempotency-Key": "poprawka", "If-Match": etag})
    assert again.get_json() == same.get_json()

    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204
    assert kept(service) == {}, "both forgotten: the correction's too, though it recorded no event"
    for retry in (staff.post(API, json=body, headers={"Idempotency-Key": "rejestracja"}),
                  staff.patch(f"{API}/{volunteer['id']}", json={"first_name": "Zażółć"},
                              headers={"Idempotency-Key": "poprawka", "If-Match": etag})):
        assert retry.status_code == 410 and retry.get_json()["rule"] == "answer_erased"


def test_an_answer_whose_key_is_gone_is_not_replayed(fresh):
    service, staff = fresh
    body = person()
    volunteer = staff.post(API, json=body, headers={"Idempotency-Key": "k"}).get_json()
    assert staff.post(API, json=body, headers={"Idempotency-Key": "k"}).status_code == 201  # replayed, opened
    with service.runtime.engine.begin() as connection:  # as a key shredded by hand, the answer not forgotten
        connection.execute(text("DELETE FROM volunteer_keys WHERE volunteer_id = :id"), {"id": volunteer["id"]})
    retry = staff.post(API, json=body, headers={"Idempotency-Key": "k"})
    assert retry.status_code == 410 and retry.get_json()["rule"] == "answer_erased"
    with service.runtime.engine.connect() as connection:
        body = connection.execute(text("SELECT body FROM idempotency_keys WHERE key = 'k'")).scalar()
    assert bytes(body).startswith(b"v1.")


def test_the_migration_seals_answers_kept_in_the_clear_and_forgets_those_of_people_erased(fresh):
    service, staff = fresh
    kept_person, erased_person = (staff.post(API, json=person()).get_json() for _ in range(2))
    staff.delete(f"{API}/{erased_person['id']}")
    now = datetime.datetime.now(datetime.timezone.utc)

    def clear(key: str, path: str, answer: dict, aggregate_id: str | None) -> dict:
        return {"principal": "tester", "key": key, "method": "POST", "path": path, "request_hash": "h", "status": 200,
                "body": orjson.dumps(answer), "headers": "{}", "created_at": now, "aggregate_id": aggregate_id}

    with service.runtime.engine.begin() as connection:  # as answers were kept before volunteers_0006
        connection.execute(insert(idempotency_keys), [
            clear("old-registration", API, kept_person, kept_person["id"]),
            clear("old-correction", f"{API}/{kept_person['id']}", kept_person, None),
            clear("old-erased", API, erased_person | {"email": "stara.kopia@example.pl"}, erased_person["id"]),
            clear("old-other", "/api/v1/something-else", {"nic": "osobowego"}, None),
        ])
    config = migrate._config(SPEC.migrations)
    with service.runtime.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "volunteers_0005")
        command.upgrade(config, "heads")

    stored = kept(service)
    assert stored["old-registration"].startswith(b"v1.") and stored["old-correction"].startswith(b"v1.")
    assert stored["old-other"] == b'{"nic":"osobowego"}'
    assert "old-erased" not in stored
    assert kept_person["email"].encode() not in b"".join(stored.values())
    replayed = staff.post(API, json={}, headers={"Idempotency-Key": "old-registration"})
    assert replayed.status_code == 422  # the hash is not this request's: but the row is readable again
    with service.runtime.engine.connect() as connection:
        row = connection.execute(select(idempotency_keys).where(idempotency_keys.c.key == "old-correction")).one()
        erased_row = connection.execute(select(idempotency_keys).where(idempotency_keys.c.key == "old-erased")).one()
        opened = SPEC.web.answers.open(connection, row.aggregate_id, bytes(row.body))
    assert row.aggregate_id == kept_person["id"] and orjson.loads(opened) == kept_person
    assert (erased_row.request_hash, erased_row.status, erased_row.body) == ("forgotten", 410, None)
