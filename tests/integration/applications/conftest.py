"""The applications service in-process on a scratch database, and a staff member's client."""

from __future__ import annotations

import pytest

from tests.support.apps import Client, service_app


@pytest.fixture(scope="module")
def app(databases):
    return service_app("applications", databases.create("apps_api"))


@pytest.fixture
def staff(app):
    return Client(app[1], "applications:write")
