"""The composition root of the reporting service: one consumer of all three topics, and the reads."""

from __future__ import annotations

from pathlib import Path

from contracts import PUBLIC, topics
from infra import config
from infra.replay import Consumed, ReadModel
from infra.runtime import Service, start
from services.reporting import readmodel
from services.reporting.projection import projector

SERVICE = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations" / "versions"
CONSUMER = "reporting"

READ_MODEL = ReadModel(
    SERVICE, readmodel.metadata, PUBLIC, MIGRATIONS, consumed=(Consumed(CONSUMER, topics.ALL, projector),)
)
"""How an auditor rebuilds the summaries: from the three topics alone."""


def bootstrap(settings: config.Settings | None = None, **options) -> Service:
    runtime = start(settings or config.load(SERVICE), registry=PUBLIC, migrations=MIGRATIONS, projector=None, **options)
    return Service(runtime, READ_MODEL, snapshot_reads=True)  # a summary is several queries: one snapshot
