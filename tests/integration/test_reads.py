"""Reads through `Service.read()` on PostgreSQL: no needless transaction, and psycopg keeps what it prepared."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.support.apps import service_app

pytestmark = pytest.mark.integration
REPEATED = "SELECT count(*) FROM events WHERE version > :v"


@pytest.fixture(scope="module", params=["applications", "funding", "reporting", "volunteers"])
def service(request, databases):
    url = databases.create(f"reads_{request.param}")
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has neither isolation levels to choose nor prepared statements")
    service, _app = service_app(request.param, url)
    yield service
    service.runtime.engine.dispose()


def test_a_read_sees_one_snapshot_only_where_the_service_asks_for_it(service):
    with service.read() as session:
        level = session.execute(text("SHOW transaction_isolation")).scalar()
        in_transaction = session.execute(text("SELECT now() = statement_timestamp()")).scalar() is False
    if service.spec.snapshot_reads:
        assert level == "repeatable read" and in_transaction
    else:
        assert not in_transaction  # autocommit: each statement is its own, with no BEGIN and ROLLBACK around it


def test_statements_prepared_during_a_read_outlive_it(service):
    # psycopg prepares a statement on its 5th use and forgets every prepared one on a ROLLBACK.
    with service.read() as session:
        for _ in range(6):
            session.execute(text(REPEATED), {"v": 0})
    with service.read() as session:  # one thread, an idle pool: the same connection again
        prepared = session.execute(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT count(*) FROM events%'")
        ).scalar()
    assert prepared == 1
