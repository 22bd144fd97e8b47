"""An audit replay meets a stored event that its own schema refuses: it reports it and goes on."""

from __future__ import annotations

import datetime
import uuid

import orjson
import pytest
from sqlalchemy import create_engine, insert

from infra.audit import replay
from infra.eventstore.tables import events
from services.applications.spec import SPEC
from tests.support.apps import Client, service_app

pytestmark = pytest.mark.integration


def test_an_event_written_before_schemas_were_checked_is_named_and_skipped_not_a_crash(databases, tmp_path):
    url = databases.create("replay_unreadable")
    service, app = service_app("applications", url)
    staff = Client(app, "applications:write")
    good = staff.post("/api/v1/institutions", json={"name": "Biblioteka Jasna", "kind": "library", "district": "Wola"})
    assert good.status_code == 201
    broken_id, institution = str(uuid.uuid4()), str(uuid.uuid4())
    with service.runtime.engine.begin() as connection:  # as a release before 0697f6e could have stored it
        connection.execute(insert(events).values(
            event_id=broken_id, aggregate_type="Institution", aggregate_id=institution, version=1,
            type="InstitutionRegistered", schema_version=1, topic="ochotnicy.applications",
            data=orjson.dumps({"institution_id": institution, "name": "", "kind": "library", "district": "Wola",
                               "is_mal": False}).decode(),
            meta="{}", occurred_at=datetime.datetime.now(datetime.timezone.utc),
        ))
    scratch = create_engine(f"sqlite:///{tmp_path}/scratch.sqlite3")
    outcome = replay.replay(SPEC, service.runtime.settings, service.runtime.engine, scratch)
    [note] = outcome.notes
    assert broken_id in note and "InstitutionRegistered" in note and "name" in note and "pominięto" in note
    assert outcome.events == 1  # the readable registration was replayed
    service.runtime.engine.dispose()
