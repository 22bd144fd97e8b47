"""Whether a service's store is behind its topic: restored from a backup, and not yet recovered (`ochotnicy recover`).

Such a store would hand out again the aggregate versions and chain sequences of events already published, so
neither its web nor its worker starts, and its relay neither seals nor publishes, until it has caught up.
"""

from __future__ import annotations

import dataclasses
import logging

from kafka.errors import KafkaError
from sqlalchemy import Connection, Engine

from contracts import topics
from infra.config import Settings
from infra.eventstore import chain
from infra.recovery import log as topic_log

log = logging.getLogger(__name__)


class StoreBehind(RuntimeError):
    """The topic holds events sealed beyond the store's chain head."""


@dataclasses.dataclass(frozen=True)
class Standing:
    """The newest chain sequence in the store and on the topic."""

    service: str
    store_head: int
    topic_head: int

    @property
    def behind(self) -> bool:
        return self.topic_head > self.store_head

    def describe(self) -> str:
        return (f"{self.service}: the store's chain ends at {self.store_head}, but {topics.BY_SERVICE[self.service]} holds "
                f"events sealed up to {self.topic_head}: the database was restored from a backup. Run "
                f"`ochotnicy recover {self.service}` before starting it (docs/operations.md, Backup and restore)")


def standing(settings: Settings, connection: Connection) -> Standing:
    seq, _digest, _unsealed = chain.head(connection)
    return Standing(settings.service, seq, topic_log.head(settings, topics.BY_SERVICE[settings.service], chain.log_id(connection)))


def refuse_if_behind(settings: Settings, connection: Connection) -> Standing:
    """Raises StoreBehind when the store is behind its topic; the standing otherwise."""
    found = standing(settings, connection)
    if found.behind:
        raise StoreBehind(found.describe())
    return found


def check_at_start(settings: Settings, engine: Engine) -> None:
    """A web or worker's check before it serves: StoreBehind stops it. What cannot be checked is logged and let pass:
    the relay checks again before it seals anything, and `ochotnicy recover` refuses what commands made meanwhile."""
    if settings.service not in topics.BY_SERVICE:
        return
    try:
        with engine.connect() as connection:
            refuse_if_behind(settings, connection)
    except (KafkaError, OSError) as exc:
        log.warning("could not compare the store with its topic at start (%s); the relay will before it seals", exc)
