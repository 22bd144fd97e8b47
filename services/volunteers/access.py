"""Who read, registered, changed, exported or erased whose personal data, and when: the access log (GDPR art. 5(2) accountability).

It holds no personal data itself: an id, an actor, an action. It is not a read model (nothing here comes from
events, and an audit replay leaves it alone), and an erasure keeps it: the record that a person was erased stays.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session

from infra import context
from infra.db.statements import UtcDateTime

READ, REGISTERED, CHANGED, ERASED = "read", "registered", "changed", "erased"
CERTIFICATE, EXPORTED, HISTORY = "certificate", "exported", "history"
"""A certificate made, everything held given out (GDPR art. 15, 20), the story shown by `audit history --personal`."""
ACTIONS = (READ, REGISTERED, CHANGED, ERASED, CERTIFICATE, EXPORTED, HISTORY)

metadata = MetaData()

personal_data_access = Table(
    "personal_data_access",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("volunteer_id", String(36), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(16), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)


def record(session: Session, volunteer_ids: Iterable[str], action: str = READ) -> None:
    """Records, in the caller's transaction, that the acting person did `action` to these people's data."""
    ids = list(dict.fromkeys(volunteer_ids))
    if not ids:
        return
    now, actor = datetime.datetime.now(datetime.timezone.utc), context.current().actor
    session.execute(insert(personal_data_access), [
        {"volunteer_id": i, "actor": actor, "action": action, "at": now} for i in ids])


def of(session: Session, volunteer_id: str | None = None, limit: int | None = 500) -> list[dict[str, Any]]:
    """The log, newest first (of one person, or of everyone; `limit` None: all of it)."""
    query = select(personal_data_access).order_by(personal_data_access.c.id.desc()).limit(limit)
    if volunteer_id:
        query = query.where(personal_data_access.c.volunteer_id == volunteer_id)
    return [dict(r._mapping) for r in session.execute(query)]
