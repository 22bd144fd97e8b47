"""The funding service in-process on a scratch database, shared by a module's tests (ids keep them apart)."""

from __future__ import annotations

import pytest

from tests.integration.funding.support import Applications
from tests.support.apps import Client, service_app


@pytest.fixture(scope="module")
def funding(databases, broker):
    return service_app("funding", databases.create("funding"), broker.bootstrap)


@pytest.fixture
def service(funding):
    return funding[0]


@pytest.fixture
def staff(funding):
    return Client(funding[1], "funding:write")


@pytest.fixture
def feed():
    return Applications()
