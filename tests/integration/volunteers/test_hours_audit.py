"""Hours, paperwork and corrections survive an audit: the service's own log rebuilds the same volunteers, memberships
and hours; volunteers_0005 gives memberships made before it the day they turn long, as the projection writes it."""

from __future__ import annotations

import datetime

from alembic import command
from sqlalchemy import MetaData, create_engine, select, text

from infra import db
from infra.audit import replay
from infra.db import migrate
from services.volunteers.readmodel import hours_entries, memberships, volunteers
from services.volunteers.spec import SPEC
from tests.integration.volunteers.api import API, join, register
from tests.integration.volunteers.conftest import Known, learn
from tests.support.apps import Client, service_app


def test_a_replay_of_hours_paperwork_and_corrections_rebuilds_the_same_read_model(databases, tmp_path, known: Known):
    service, app = service_app("volunteers", databases.create("volunteers_hours_audit"))
    learn(service, *_applications_facts(known))
    staff = Client(app, "volunteers:write")
    minor, adult = register(staff, birth_date="2010-01-01"), register(staff)
    held = join(staff, minor["id"], known, joined_on="2021-10-01", guardian_consent=True).get_json()
    other = join(staff, adult["id"], known, joined_on="2021-09-01").get_json()
    staff.patch(f"{API}/{adult['id']}/memberships/{other['id']}/paperwork", json={"agreement_signed_on": "2021-09-01"},
                headers={"If-Match": "*"})
    entries = [staff.post(f"{API}/{v}/memberships/{m}/hours", json={"month": "2021-10", "hours": h}).get_json()["id"]
               for v, m, h in ((minor["id"], held["id"], "8"), (adult["id"], other["id"], "12.25"))]
    staff.post(f"{API}/{minor['id']}/hours/{entries[0]}/approve", json={})
    staff.post(f"{API}/{adult['id']}/hours/{entries[1]}/decline", json={"reason": "Podwójny wpis."})
    staff.patch(f"{API}/{adult['id']}", json={"last_name": "Kowalska", "birth_date": "2004-01-01"}, headers={"If-Match": "*"})
    assert staff.delete(f"{API}/{minor['id']}").status_code == 204
    scratch = create_engine(f"sqlite:///{tmp_path}/scratch.sqlite3")
    migrate.upgrade(scratch, SPEC.migrations)
    applied, notes = replay._replay_own(SPEC, SPEC.own, service.runtime.engine, db.session_factory(scratch), lambda n: None)
    own = MetaData()
    for table in (volunteers, memberships, hours_entries):
        table.to_metadata(own)
    differences = replay.compare(own, service.runtime.engine, scratch)
    assert applied >= 12 and not notes and not differences, [d.describe() for d in differences]
    with scratch.connect() as connection:
        assert connection.execute(select(memberships.c.minor).where(memberships.c.id == other["id"])).scalar()
    service.runtime.engine.dispose()


def _applications_facts(known: Known):
    """The place the module's `known` fixture taught the shared service, taught again to this one."""
    from tests.integration.volunteers.conftest import edition_opened, institution_registered, partners

    institution = institution_registered(known.institution_id)
    edition = edition_opened(known.edition_id)
    return institution, edition, partners(edition, institution)


def test_the_migration_gives_earlier_memberships_the_day_they_turn_long(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/before.sqlite3")
    config = migrate._config(SPEC.migrations)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "volunteers_0004")
        connection.execute(text(
            "INSERT INTO memberships (id, volunteer_id, institution_id, edition_id, joined_on, joined_at) "
            "VALUES ('m', 'v', 'i', 'e', '2021-01-31', '2021-01-31 10:00:00')"))
    migrate.upgrade(engine, SPEC.migrations)
    with engine.connect() as connection:
        row = connection.execute(select(memberships).where(memberships.c.id == "m")).one()
    assert row.long_from == datetime.date(2021, 3, 2)  # 30 days on: the 31st day of the engagement
    assert (row.agreement_signed_on, row.accident_insurance, row.guardian_consent, row.minor) == (None, False, False, False)
