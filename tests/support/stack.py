"""Settings and tokens for services under test."""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from infra import config
from infra.web.auth import issue
from ochotnicy.bench.processes import free_port  # noqa: F401 - where the tests take their ports from

SCRATCH = Path(tempfile.gettempdir()) / f"ochotnicy-tests-{os.getpid()}"
"""The data folder of services under test (what they keep beside their database, e.g. the erasure ledger)."""


def settings(service: str, database_url: str, bootstrap: str, **extra: str) -> config.Settings:
    environ = {
        "OCHOTNICY_ENV": "local",
        "OCHOTNICY_DATA_DIR": str(SCRATCH),
        f"OCHOTNICY_{service.upper()}_DATABASE_URL": database_url,
        "OCHOTNICY_KAFKA_BOOTSTRAP": bootstrap,
        "OCHOTNICY_LOG_LEVEL": "WARNING",
        **extra,
    }
    return config.load(service, environ)


def token(*roles: str, subject: str = "tester") -> str:
    return issue(config.load("cli", {}), subject, roles, datetime.timedelta(hours=1))


def auth(*roles: str, subject: str = "tester") -> dict[str, str]:
    return {"Authorization": f"Bearer {token(*roles, subject=subject)}"}
