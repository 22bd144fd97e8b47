"""The whole stack over HTTP and Kafka: real processes, real broker, real PostgreSQL."""

from __future__ import annotations

import pytest

from tests.support.live import LiveStack


@pytest.fixture
def live(databases, broker, tmp_path):
    """Starts the named services as real processes: `with live("applications", "funding") as stack:`."""

    def start(*services: str, **extra_env: str) -> LiveStack:
        return LiveStack(services, databases, broker.bootstrap, tmp_path, extra_env)

    return start
