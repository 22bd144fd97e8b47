"""An enrolment edition's course survives an audit: a replay of the log rebuilds the same enrolments, trainings and
visits; applications_0003 gives enrolments made before it the version and state the projection would."""

from __future__ import annotations

import datetime

from alembic import command
from sqlalchemy import create_engine, select, text

from infra.audit import replay
from infra.db import migrate
from services.applications.readmodel import enrolments
from services.applications.spec import SPEC
from tests.integration.applications.api import institution, library_edition
from tests.support.apps import Client, service_app


def test_a_replay_of_an_editions_course_finds_the_same_read_model(databases, tmp_path):
    service, app = service_app("applications", databases.create("apps_course_audit"))
    staff = Client(app, "applications:write")
    edition = library_edition(staff)
    base = f"/api/v1/editions/{edition['id']}"
    ids = [institution(staff) for _ in range(3)]
    for i in ids:
        assert staff.post(f"{base}/enrolments", json={"institution_id": i}).status_code == 201
    assert staff.post(f"{base}/trainings", json={"kind": "study_visit", "title": "Wizyta w bibliotece na Ursynowie",
                                                 "held_on": "2021-09-20", "hours": "4", "institution_ids": ids}).status_code == 201
    for stage in ("diagnosis", "planning"):
        assert staff.post(f"{base}/monitoring-visits", json={"institution_id": ids[0], "visited_on": "2021-10-01",
                                                             "stage": stage}).status_code == 201
    assert staff.post(f"{base}/enrolments/{ids[1]}/programme", json={"adopted_on": "2021-12-01"}).status_code == 200
    assert staff.post(f"{base}/enrolments/{ids[2]}/withdraw", json={"reason": "Remont"}).status_code == 200
    outcome = replay.replay(SPEC, service.runtime.settings, service.runtime.engine,
                            create_engine(f"sqlite:///{tmp_path}/scratch.sqlite3"))
    assert outcome.ok, [d.describe() for d in outcome.differences]
    service.runtime.engine.dispose()


def test_the_migration_gives_earlier_enrolments_their_one_events_version(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/before.sqlite3")
    config = migrate._config(SPEC.migrations)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "applications_0002")
        connection.execute(text("INSERT INTO enrolments (edition_id, institution_id, enrolment_id, enrolled_at) "
                                "VALUES ('e', 'i', 'x', :at)"), {"at": datetime.datetime(2019, 3, 1)})
    migrate.upgrade(engine, SPEC.migrations)
    with engine.connect() as connection:
        row = connection.execute(select(enrolments)).one()
    assert (row.version, row.programme_adopted_on, row.withdrawn_reason, row.withdrawn_at) == (1, None, None, None)
