"""The SQL unit of work passes the shared suite on SQLite and PostgreSQL."""

import pytest

from services.applications.spec import SPEC
from tests.support.stack import settings
from tests.support.uow_suite import UnitOfWorkContract


class TestSqlUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self, either_database):
        service = SPEC.bootstrap(settings("applications", either_database, "127.0.0.1:1"), configure_logging=False)
        yield service.runtime.uow
        service.runtime.engine.dispose()
