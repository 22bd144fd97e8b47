"""A command's answer is never lost to a database connection cut: it is read in the command's own transaction.

Found by the fault suite (tests/faults, connections cut mid-load): the answer used to be read after the
commit, so a cut there gave a 503 for a command that had taken effect, and every retry with its
Idempotency-Key a 409 "in progress" forever.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from infra.eventstore.tables import events, idempotency_keys
from services.applications import commands, queries
from tests.support.apps import Client, service_app


@pytest.fixture(scope="module")
def app(databases):
    return service_app("applications", databases.create("idem_recovery"))


def stored(app) -> int:
    with app[0].runtime.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(events)).scalar()


def body() -> dict:
    return {"name": f"Biblioteka {uuid.uuid4().hex[:8]}", "kind": "library", "district": "Bielany"}


def cut() -> OperationalError:
    return OperationalError("SELECT …", {}, Exception("server closed the connection unexpectedly"))


@pytest.fixture
def reads_fail(monkeypatch):
    """The next `n` reads of an institution fail as if the connection had been cut."""

    def arm(n: int):
        real, failures = queries.institution, {"left": n}

        def flaky(session, institution_id):
            if failures["left"]:
                failures["left"] -= 1
                raise cut()
            return real(session, institution_id)

        monkeypatch.setattr(queries, "institution", flaky)

    return arm


def test_the_answer_is_read_in_the_commands_transaction_before_its_commit(app, monkeypatch):
    staff = Client(app[1], "applications:write")
    real, seen = queries.institution, []

    def watched(session, institution_id):
        seen.append(session.in_transaction() and session.execute(
            select(func.count()).select_from(events).where(events.c.aggregate_id == institution_id)).scalar())
        return real(session, institution_id)

    monkeypatch.setattr(queries, "institution", watched)
    created = staff.post("/api/v1/institutions", json=body())
    assert created.status_code == 201
    assert seen == [1]  # one read, inside the transaction that holds the new event


@pytest.mark.parametrize("with_key", [True, False], ids=["with Idempotency-Key", "without"])
def test_an_answer_that_cannot_be_read_takes_the_command_back_and_a_retry_runs_it_once(app, reads_fail, with_key):
    staff = Client(app[1], "applications:write")
    headers = {"Idempotency-Key": str(uuid.uuid4())} if with_key else {}
    before = stored(app)
    reads_fail(1)
    refused = staff.post("/api/v1/institutions", json=(payload := body()), headers=headers)
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert stored(app) == before  # nothing took effect, so nothing is lost
    created = staff.post("/api/v1/institutions", json=payload, headers=headers)
    assert created.status_code == 201 and created.get_json()["name"] == payload["name"]
    assert stored(app) == before + 1
    if headers:
        again = staff.post("/api/v1/institutions", json=payload, headers=headers)
        assert (again.status_code, again.get_json()) == (201, created.get_json())
        assert again.headers["Idempotent-Replayed"] == "true" and stored(app) == before + 1


def test_a_failure_before_the_commit_is_still_a_503_and_stores_nothing(app, monkeypatch):
    staff = Client(app[1], "applications:write")

    def down(cmd, uow):
        raise cut()

    monkeypatch.setitem(app[0].bus.handlers._by_command, commands.RegisterInstitution, down)
    before = stored(app)
    key = str(uuid.uuid4())
    answer = staff.post("/api/v1/institutions", json=body(), headers={"Idempotency-Key": key})
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert stored(app) == before
    with app[0].runtime.engine.connect() as connection:  # nothing claimed: a retry with the key runs it
        assert connection.execute(select(idempotency_keys).where(idempotency_keys.c.key == key)).first() is None


def test_recording_the_answer_is_retried_and_never_turns_a_201_into_a_500(app, monkeypatch):
    staff = Client(app[1], "applications:write")
    key = str(uuid.uuid4())
    engine = app[0].runtime.engine
    real_begin, failures = engine.begin, {"left": 2}

    def flaky_begin():
        if failures["left"]:
            failures["left"] -= 1
            raise cut()
        return real_begin()

    monkeypatch.setattr(engine, "begin", flaky_begin)  # only the web layer's recording uses engine.begin()
    created = staff.post("/api/v1/institutions", json=(payload := body()), headers={"Idempotency-Key": key})
    assert created.status_code == 201 and failures["left"] == 0
    monkeypatch.undo()
    again = staff.post("/api/v1/institutions", json=payload, headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"


def test_database_errors_never_carry_the_values_of_a_statement_into_a_log(app):
    """Services log a database error's text ("database unavailable: %s"): it must not hold personal data."""
    engine = app[0].runtime.engine
    with pytest.raises(DBAPIError) as caught:
        with engine.connect() as connection:
            connection.execute(text("SELECT * FROM nowhere WHERE email = :email"), {"email": "jan.kowalski@example.pl"})
    assert "SELECT * FROM nowhere" in str(caught.value) and "jan.kowalski" not in str(caught.value)
