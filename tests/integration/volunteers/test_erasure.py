"""Crypto-shredding on a real database: after erasure no table holds the person's data in a readable form."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from infra.eventstore import history
from services.volunteers.domain.volunteers import Volunteer
from tests.integration.volunteers.conftest import WRITE, Known, edition_opened, institution_registered, learn, partners
from tests.support.apps import Client, service_app

API = "/api/v1/volunteers"
GENOWEFA = {"first_name": "Genowefa", "last_name": "Zażółć-Pigwa", "email": "genowefa.pigwa@przyklad.waw.pl",
            "phone": "+48 601 234 567"}
READABLE = ["genowefa", "zażółć", "pigwa", "przyklad.waw.pl", "601 234 567", "601234567"]


def raw_dump(engine) -> dict[str, str]:
    """Every row of every table, every column as the database gives it, as lower-case text."""
    dump = {}
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            parts = []
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "replace")
                    parts.append(str(value))
            dump[table] = "\n".join(parts).lower()
    return dump


def readable_in(dump: dict[str, str]) -> dict[str, list[str]]:
    return {table: found for table, content in dump.items() if (found := [s for s in READABLE if s in content])}


@pytest.fixture
def fresh(databases):
    """Its own database, so every row in it belongs to this test."""
    service, app = service_app("volunteers", databases.create("erasure"))
    institution, edition = institution_registered(), edition_opened()
    learn(service, institution, edition, partners(edition, institution, institution_registered(name="Dom Kultury Wola")))
    return service, Client(app, WRITE), Known(institution.institution_id, "", edition.edition_id, "", "")


def test_personal_data_is_ciphertext_at_rest_and_gone_for_good_after_erasure(fresh):
    service, staff, known = fresh
    volunteer = staff.post(API, json=GENOWEFA).get_json()
    membership = staff.post(f"{API}/{volunteer['id']}/memberships", json={
        "institution_id": known.institution_id, "edition_id": known.edition_id, "joined_on": "2021-10-01"}).get_json()
    staff.post(f"{API}/{volunteer['id']}/memberships", json={
        "institution_id": known.institution_id, "edition_id": known.edition_id, "joined_on": "2021-10-02"})  # 409
    assert staff.get(f"{API}/{volunteer['id']}").get_json()["last_name"] == "Zażółć-Pigwa"

    before = raw_dump(service.runtime.engine)
    assert {"events", "outbox", "volunteers", "memberships", "volunteer_keys", "processed_events"} <= set(before)
    assert readable_in(before) == {}, "personal data must be encrypted at rest"
    assert volunteer["id"] in before["volunteer_keys"]

    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204

    after = raw_dump(service.runtime.engine)
    assert readable_in(after) == {}
    assert volunteer["id"] not in after["volunteer_keys"], "the key is shredded"
    assert "v1." not in after["volunteers"], "the read model's ciphertext is gone as well"
    assert membership["id"] in after["memberships"]

    # The history still loads: the events are intact, only their personal fields no longer open.
    with service.runtime.uow() as uow:
        aggregate = uow.aggregates.get(Volunteer, volunteer["id"])
    assert aggregate.erased and aggregate.version == 3
    assert aggregate.person(None) is None
    assert [m.id for m in aggregate.active_memberships()] == [membership["id"]]
    with service.read() as session:
        story = history.of(session, "volunteers", volunteer["id"])
    assert [e["type"] for e in story] == ["VolunteerRegistered", "VolunteerJoined", "VolunteerErased"]
    assert story[0]["data"]["email"].startswith("v1.")
    shown = staff.get(f"{API}/{volunteer['id']}").get_json()
    assert shown["erased"] is True and [m["id"] for m in shown["memberships"]] == [membership["id"]]


def test_only_public_events_reach_the_outbox_and_they_carry_no_personal_data(fresh):
    service, staff, known = fresh
    volunteer = staff.post(API, json=GENOWEFA).get_json()
    staff.post(f"{API}/{volunteer['id']}/memberships", json={
        "institution_id": known.institution_id, "edition_id": known.edition_id, "joined_on": "2021-10-01"})
    staff.delete(f"{API}/{volunteer['id']}")
    with service.runtime.engine.connect() as connection:
        topics = connection.execute(text("SELECT topic, payload FROM outbox")).all()
        private = connection.execute(text("SELECT type, topic FROM events WHERE topic IS NULL")).all()
    assert [t.topic for t in topics] == ["ochotnicy.volunteers"]
    assert b'"VolunteerJoined"' in bytes(topics[0].payload)
    assert sorted(p.type for p in private) == ["VolunteerErased", "VolunteerRegistered"]


def test_an_answer_kept_for_an_idempotency_key_is_forgotten_with_the_person(fresh):
    service, staff, _ = fresh
    key = {"Idempotency-Key": "rejestracja-genowefy"}
    volunteer = staff.post(API, json=GENOWEFA, headers=key).get_json()
    assert staff.post(API, json=GENOWEFA, headers=key).headers["Idempotent-Replayed"] == "true"
    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204

    assert readable_in(raw_dump(service.runtime.engine)) == {}
    with service.runtime.engine.connect() as connection:
        hashes = connection.execute(text("SELECT request_hash FROM idempotency_keys")).scalars().all()
        registered = connection.execute(text("SELECT count(*) FROM events WHERE type = 'VolunteerRegistered'")).scalar()
    assert hashes == ["forgotten"], "a hash of the request would still confirm a guess of the data"
    retry = staff.post(API, json=GENOWEFA, headers=key)
    assert retry.status_code == 410 and retry.get_json()["rule"] == "answer_erased"
    with service.runtime.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM events WHERE type = 'VolunteerRegistered'")).scalar() == registered
