"""Corrections of the register survive an audit: a replay of the log rebuilds the same read model (the MALs each
proposal was judged on included), and applications_0002 fills them in for proposals made before it, as the projection would."""

from __future__ import annotations

import datetime

import orjson
from alembic import command
from sqlalchemy import create_engine, select, text

from infra.audit import replay
from infra.db import migrate
from services.applications.readmodel import institutions, partnerships
from services.applications.spec import SPEC
from tests.integration.applications.api import institution, open_edition, proposal
from tests.support.apps import Client, service_app

NOW = datetime.datetime(2021, 9, 1, tzinfo=datetime.timezone.utc)


def test_a_replay_of_a_register_corrected_between_proposals_finds_the_same_read_model(databases, tmp_path):
    service, app = service_app("applications", databases.create("apps_corrections_audit"))
    staff = Client(app, "applications:write")
    edition = open_edition(staff)
    library, centre = institution(staff), institution(staff, kind="social_welfare_centre", is_mal=True)
    other = institution(staff)
    assert proposal(staff, edition["id"], [library, centre]).status_code == 201
    for institution_id, change in ((centre, {"is_mal": False}), (other, {"is_mal": True, "district": "Wola"})):
        assert staff.patch(f"/api/v1/institutions/{institution_id}", json=change, headers={"If-Match": '"1"'}).status_code == 200
    assert proposal(staff, edition["id"], [library, other]).status_code == 201
    outcome = replay.replay(SPEC, service.runtime.settings, service.runtime.engine,
                            create_engine(f"sqlite:///{tmp_path}/scratch.sqlite3"))
    assert outcome.ok, [d.describe() for d in outcome.differences]
    service.runtime.engine.dispose()


def test_the_migration_fills_in_the_mals_of_earlier_proposals_as_the_projection_writes_them(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/before.sqlite3")
    config = migrate._config(SPEC.migrations)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "applications_0001")
        for i in ("lib", "mal", "ops"):
            connection.execute(text("INSERT INTO institutions (id, name, name_key, kind, district, is_mal, registered_at) "
                                    "VALUES (:id, :id, :id, 'library', 'Wola', :mal, :at)"), {"id": i, "mal": i != "lib", "at": NOW})
        for pid, ids in (("with", ["lib", "mal", "ops"]), ("without", ["lib", "lib2"])):
            connection.execute(text(
                "INSERT INTO partnerships (id, edition_id, title, lead_institution_id, institution_ids, size, requested_amount,"
                " status, mal_status, version, proposed_at, updated_at) VALUES (:id, 'e', 't', 'lib', :ids, 2, 6000, 'proposed',"
                " 'pending', 1, :at, :at)"), {"id": pid, "ids": orjson.dumps(ids).decode(), "at": NOW})
    migrate.upgrade(engine, SPEC.migrations)
    with engine.connect() as connection:
        judged = dict(connection.execute(select(partnerships.c.id, partnerships.c.mal_partner_ids)).all())
        versions = set(connection.execute(select(institutions.c.version)).scalars())
    assert judged == {"with": orjson.dumps(["mal", "ops"]).decode(), "without": "[]"} and versions == {1}
