"""The SQL unit of work passes the shared suite on SQLite and PostgreSQL."""

import pytest

from services.applications.spec import SPEC
from tests.support.stack import settings
from tests.support.uow_suite import UnitOfWorkContract


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service(request, databases, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('uow')}/uow.sqlite3"
    elif databases.postgres:
        url = databases.create("uow")
    else:
        pytest.skip("PostgreSQL is not running")
    service = SPEC.bootstrap(settings("applications", url, "127.0.0.1:1"), configure_logging=False)
    yield service
    service.runtime.engine.dispose()


class TestSqlUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def new_uow(self, service):
        return service.runtime.uow
