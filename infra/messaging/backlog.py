"""The outbox's backlog: how many events wait for the relay, and how long the oldest has waited."""

from __future__ import annotations

import dataclasses
import datetime

from sqlalchemy import Connection, func, select

from infra import metrics
from infra.eventstore.tables import events, outbox

_PENDING = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
# The outbox keeps no time of its own; its event's does (written in the same transaction).
_OLDEST = (
    select(events.c.occurred_at)
    .select_from(outbox.join(events, events.c.event_id == outbox.c.event_id))
    .where(outbox.c.published_at.is_(None))
    .order_by(outbox.c.id)
    .limit(1)
)


@dataclasses.dataclass(frozen=True)
class Backlog:
    """Unpublished outbox rows, and the age of the oldest (0 when there is none)."""

    pending: int
    oldest_age_s: float

    def export(self, service: str) -> Backlog:
        """Sets the service's outbox gauges to these figures."""
        metrics.OUTBOX_PENDING.labels(service).set(self.pending)
        metrics.OUTBOX_AGE.labels(service).set(self.oldest_age_s)
        return self


def measure(connection: Connection, now: datetime.datetime | None = None) -> Backlog:
    """The backlog as the database holds it now."""
    pending = connection.execute(_PENDING).scalar_one()
    oldest = connection.execute(_OLDEST).scalar() if pending else None
    if oldest is None:
        return Backlog(pending, 0.0)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return Backlog(pending, max(0.0, (now - oldest).total_seconds()))
