"""A read model for plumbing tests: every applied event adds a row and bumps a counter.

The counter is deliberately not idempotent, so double application shows up as a wrong count.
"""

from __future__ import annotations

import sys
import threading
import time

from sqlalchemy import Column, Integer, MetaData, String, Table, func, select, update

from contracts import PUBLIC, topics
from contracts.applications import InstitutionRegistered
from infra import db, worker
from infra.db import migrate
from infra.db.statements import insert_ignore
from infra.messaging.consumer import Consumer
from infra.projection import Projector
from tests.support.stack import settings

metadata = MetaData()
seen = Table(
    "seen",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("subject", String(64), nullable=False),
    Column("name", String(200), nullable=False),
)
counter = Table("counter", metadata, Column("id", Integer, primary_key=True), Column("value", Integer, nullable=False))


def projector(prefix: str, delay: float = 0.0) -> Projector:
    """Counts institutions whose name starts with `prefix` (tests share one broker)."""
    project = Projector("counting")

    @project.on(InstitutionRegistered)
    def _registered(session, event):
        if not event.data.name.startswith(prefix):
            return
        if delay:
            time.sleep(delay)
        insert_ignore(session, seen, [{"event_id": event.id, "subject": event.subject, "name": event.data.name}], ["event_id"])
        session.execute(update(counter).values(value=counter.c.value + 1))

    return project


def prepare(url: str):
    engine = db.make_engine(url)
    migrate.upgrade(engine, None)
    metadata.create_all(engine)
    with engine.begin() as connection:
        if connection.execute(select(func.count()).select_from(counter)).scalar() == 0:
            connection.execute(counter.insert().values(id=1, value=0))
    return engine


def totals(engine) -> tuple[int, int]:
    """(distinct events applied, times the counter was bumped)."""
    with engine.connect() as connection:
        distinct = connection.execute(select(func.count()).select_from(seen)).scalar()
        bumped = connection.execute(select(counter.c.value)).scalar()
    return distinct, bumped


def consumer(url: str, bootstrap: str, prefix: str, delay: float = 0.0, max_batch: int = 1000) -> Consumer:
    engine = prepare(url)
    return Consumer(
        settings("funding", url, bootstrap),
        db.session_factory(engine),
        name=f"counting-{prefix}",
        topics=[topics.APPLICATIONS],
        projector=projector(prefix, delay),
        registry=PUBLIC,
        max_batch=max_batch,
    )


def main() -> None:
    """Runs a counting consumer as its own process (so a test can SIGKILL it)."""
    url, bootstrap, prefix, delay = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    worker.run({"consumer": consumer(url, bootstrap, prefix, delay, max_batch=10).run}, threading.Event())


if __name__ == "__main__":
    main()
