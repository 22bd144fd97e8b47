"""The editions a registration recomputes are found alike on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from contracts.applications import InstitutionEnrolled
from infra import db
from infra.db import migrate
from services.reporting.readmodel import current
from services.reporting.readmodel.projection import projector
from services.reporting.spec import MIGRATIONS
from tests.integration.reporting.scenario import at, edition_opened, new_id, proposed, wrap


@pytest.fixture
def sessions(either_database):
    engine = db.make_engine(either_database)
    migrate.upgrade(engine, MIGRATIONS)
    yield db.session_factory(engine)
    engine.dispose()


def test_editions_naming_finds_partnerships_and_enrolments_of_the_institutions(sessions):
    spring, autumn, other = new_id(), new_id(), new_id()
    library, school, unnamed = new_id(), new_id(), new_id()
    with sessions() as session:
        projector.apply_batch(session, [
            *(wrap(edition_opened(e), time=at("2021-09-01 08:00")) for e in (spring, autumn, other)),
            wrap(proposed(spring, [library, school]), time=at("2021-09-10 10:00")),
            wrap(InstitutionEnrolled(autumn, school), time=at("2021-09-02 10:00")),
            wrap(proposed(other, [new_id()]), time=at("2021-09-10 10:00")),
        ])
        session.commit()
        assert current.editions_naming(session, [library]) == {spring}
        assert current.editions_naming(session, [school, unnamed]) == {spring, autumn}
        assert current.editions_naming(session, [unnamed]) == set()
        assert current.editions_naming(session, []) == set()
