"""A programme's totals read now, remembered in the web process under the versions of its editions' kept summaries.

Every batch writing a fact a programme's total reads (an edition, a partnership, an enrolment, a membership, a training, a
visit, the roster, an institution's details) keeps the summaries of the editions it touches, in its transaction, each
under a new version (current.keep). So a total remembered with its editions' versions is the total the facts give while
those versions stand, and one indexed read of them replaces the total's statements. As of a moment it is always read.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from typing import Any

import orjson
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from infra.db.statements import built_once
from services.reporting.readmodel import current_summaries, editions, programmes
from services.reporting.readmodel.queries import iso

KEPT = 256
"""How many (programme, from_year, to_year) totals a process remembers; the least recently asked for is forgotten first."""

Versions = tuple[tuple[str, str | None], ...]


@built_once
def _versions():
    """Each edition of the programme (opened or not) with its kept summary's version (None: not kept yet)."""
    kept = current_summaries.c
    return (
        select(editions.c.id, kept.version)
        .select_from(editions.outerjoin(current_summaries, kept.edition_id == editions.c.id))
        .where(editions.c.programme == bindparam("programme"))
        .order_by(editions.c.id)
    )


class Remembered:
    """The last total read now for each (programme, from_year, to_year), with the versions it was read at."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._totals: OrderedDict[tuple, tuple[Versions, bytes]] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threads share the process

    def summary(
        self, session: Session, programme: str, from_year: int | None, to_year: int | None, now: datetime.datetime | None = None
    ) -> dict[str, Any]:
        """programmes.summary now (no `as_of`): remembered while no version of the programme's editions changes."""
        # Read first, in the same snapshot as the total (snapshot_reads): a total never stands for versions older than it.
        versions: Versions = tuple((row.id, row.version) for row in session.execute(_versions(), {"programme": programme}))
        key = (programme, from_year, to_year)
        with self._lock:
            found = self._totals.get(key)
            if found is not None and found[0] == versions:
                self._totals.move_to_end(key)
                stamp = iso(now or datetime.datetime.now(datetime.timezone.utc))
                return orjson.loads(found[1]) | {"as_of": stamp}
        total = programmes.summary(session, programmes.span(session, programme, from_year, to_year, None), None, now)
        if all(version is not None for _, version in versions):  # an edition not kept yet is summarised on reading
            kept = orjson.dumps({k: v for k, v in total.items() if k != "as_of"})
            with self._lock:
                self._totals[key] = (versions, kept)
                self._totals.move_to_end(key)
                while len(self._totals) > self.size:
                    self._totals.popitem(last=False)
        return total


totals = Remembered()
