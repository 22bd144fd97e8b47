"""Idempotency-Key on every POST: a retry returns the first answer and adds nothing."""

from __future__ import annotations

import hashlib
import threading
import uuid

import pytest
from sqlalchemy import func, select, update

from infra.eventstore.tables import events, idempotency_keys
from infra.web.auth import required_role
from infra.web.idempotency import _canonical
from tests.support.apps import Client, service_app
from tests.support.stack import auth


@pytest.fixture(scope="module")
def app(databases):
    return service_app("applications", databases.create("idem"))


def stored(app) -> int:
    with app[0].runtime.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(events)).scalar()


def body():
    return {"name": f"Biblioteka {uuid.uuid4().hex[:8]}", "kind": "library", "district": "Bielany"}


def test_a_retried_post_returns_the_first_answer_and_stores_nothing_more(app):
    staff = Client(app[1], "applications:write")
    key, payload = str(uuid.uuid4()), body()
    first = staff.post("/api/v1/institutions", json=payload, headers={"Idempotency-Key": key})
    assert first.status_code == 201
    count = stored(app)
    again = staff.post("/api/v1/institutions", json=payload, headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert stored(app) == count


def test_a_refusal_is_not_remembered_so_a_retry_is_judged_afresh(app):
    staff = Client(app[1], "applications:write")
    key, name = str(uuid.uuid4()), f"Biblioteka {uuid.uuid4().hex[:8]}"
    count = stored(app)
    bad = {"name": name, "kind": "library", "district": "Gdańsk"}
    first = staff.post("/api/v1/institutions", json=bad, headers={"Idempotency-Key": key})
    assert first.status_code == 422 and "Idempotent-Replayed" not in first.headers
    assert stored(app) == count
    corrected = staff.post("/api/v1/institutions", json=bad | {"district": "Bielany"}, headers={"Idempotency-Key": key})
    assert corrected.status_code == 201
    replayed = staff.post("/api/v1/institutions", json=bad | {"district": "Bielany"}, headers={"Idempotency-Key": key})
    assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert stored(app) == count + 1


def test_the_same_key_for_a_different_request_is_refused(app):
    staff = Client(app[1], "applications:write")
    key = str(uuid.uuid4())
    assert staff.post("/api/v1/institutions", json=body(), headers={"Idempotency-Key": key}).status_code == 201
    reused = staff.post("/api/v1/institutions", json=body(), headers={"Idempotency-Key": key})
    assert reused.status_code == 422 and reused.get_json()["rule"] == "idempotency_key_reused"


def test_the_same_fields_in_another_order_or_spacing_are_the_same_request(app):
    staff = Client(app[1], "applications:write")
    key, name = str(uuid.uuid4()), f"Biblioteka {uuid.uuid4().hex[:8]}"
    sent = [f'{{"name": "{name}", "kind": "library", "district": "Bielany"}}',
            f'{{"district":"Bielany","kind":"library",\n "name":"{name}"}}']
    first, again = (staff.post("/api/v1/institutions", data=raw, content_type="application/json",
                               headers={"Idempotency-Key": key}) for raw in sent)
    assert first.status_code == 201 and again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.get_json() == first.get_json()


def test_a_key_claimed_when_bodies_were_compared_byte_for_byte_still_replays(app):
    staff = Client(app[1], "applications:write")
    key, raw = str(uuid.uuid4()), f'{{"name": "Biblioteka {uuid.uuid4().hex[:8]}", "kind": "library", "district": "Bielany"}}'
    first = staff.post("/api/v1/institutions", data=raw, content_type="application/json", headers={"Idempotency-Key": key})
    assert first.status_code == 201
    old_hash = hashlib.sha256(b"\n".join([b"POST", b"/api/v1/institutions", raw.encode()])).hexdigest()
    with app[0].runtime.engine.begin() as connection:
        connection.execute(update(idempotency_keys).where(idempotency_keys.c.key == key).values(request_hash=old_hash))
    again = staff.post("/api/v1/institutions", data=raw, content_type="application/json", headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize("first, second", [('{"n": 5000.00}', '{"n": 5000.0}'), ('{"n": 1}', '{"n": "1"}'),
                                           ('{"n": [1, 2]}', '{"n": [2, 1]}')])
def test_a_different_value_is_a_different_request_even_when_it_reads_alike(first, second):
    assert _canonical(first.encode()) != _canonical(second.encode())
    assert _canonical(b"not json") == b"not json"
    assert _canonical(b"[" * 100_000) == b"[" * 100_000


def test_a_lone_surrogate_under_a_key_is_422_naming_the_field_as_without_a_key(app):
    staff = Client(app[1], "applications:write")
    raw = '{"name": "Biblioteka \\ud800", "kind": "library", "district": "Bielany"}'
    count = stored(app)
    for headers in ({}, {"Idempotency-Key": str(uuid.uuid4())}):
        response = staff.post("/api/v1/institutions", data=raw, content_type="application/json", headers=headers)
        assert response.status_code == 422 and "name" in response.get_json()["errors"]["json"]
    assert stored(app) == count


def test_keys_belong_to_their_caller(app):
    key, payload = str(uuid.uuid4()), body()
    anna = Client(app[1], "applications:write")
    assert anna.post("/api/v1/institutions", json=payload, headers={"Idempotency-Key": key}).status_code == 201
    other = Client(app[1], "applications:write")
    other.headers = auth("applications:write", subject="piotr")
    # Piotr's request with the same key is his own first request: it runs (and meets the duplicate name).
    assert other.post("/api/v1/institutions", json=payload, headers={"Idempotency-Key": key}).status_code == 409


def test_a_key_is_not_replayed_nor_its_use_shown_to_a_caller_without_the_role(app):
    key, payload = str(uuid.uuid4()), body()
    assert Client(app[1], "applications:write").post("/api/v1/institutions", json=payload,
                                                     headers={"Idempotency-Key": key}).status_code == 201
    reader = Client(app[1], "reporting:read")  # the same subject, another token
    for sent in (payload, body()):
        response = reader.post("/api/v1/institutions", json=sent, headers={"Idempotency-Key": key})
        assert response.status_code == 403 and "Idempotent-Replayed" not in response.headers
        assert "applications:write" in response.get_json()["message"]


def test_every_post_of_the_api_names_the_role_it_requires(app):
    flask_app = app[1]
    posts = [rule for rule in flask_app.url_map.iter_rules() if rule.rule.startswith("/api/") and "POST" in rule.methods]
    assert posts
    assert [r.rule for r in posts if required_role(flask_app.view_functions[r.endpoint], "POST") is None] == []


def test_concurrent_retries_with_one_key_execute_once(app):
    key, payload = str(uuid.uuid4()), body()
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def send():
        staff = Client(app[1], "applications:write")
        barrier.wait()
        statuses.append(staff.post("/api/v1/institutions", json=payload, headers={"Idempotency-Key": key}).status_code)

    count = stored(app)
    threads = [threading.Thread(target=send) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert stored(app) == count + 1
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}
    final = Client(app[1], "applications:write").post("/api/v1/institutions", json=payload, headers={"Idempotency-Key": key})
    assert final.status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 201])
def test_a_malformed_key_is_400(app, key):
    staff = Client(app[1], "applications:write")
    assert staff.post("/api/v1/institutions", json=body(), headers={"Idempotency-Key": key}).status_code == 400
