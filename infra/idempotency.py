"""Idempotency-Key: a retried POST gets the first answer and changes nothing.

The web layer opens a claim for the request; the unit of work writes the claim row in the same
transaction as the command's events, so a second execution of the same key cannot commit. A
successful answer is recorded against the claim once it is known; a refusal (4xx) changed nothing
and is not remembered, so a retry with the key is judged afresh.

The web edge hands the claim to the command bus with the command (infra.bus.CommandBus.handle), which
reads the answer in the same transaction too, so a committed command's answer is never lost to a
connection cut after its commit; recording it against the key afterwards is retried (infra.web.idempotency).
"""

from __future__ import annotations

import dataclasses
import datetime

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from infra.eventstore.tables import idempotency_keys

FORGOTTEN = "forgotten"
"""The request hash of a key whose answer was forgotten: every request under it hears so (410)."""


@dataclasses.dataclass
class Claim:
    principal: str
    key: str
    method: str
    path: str
    request_hash: str
    aggregate_id: str | None = None
    """The aggregate the command changed (the first, if several): an erasure forgets the answers about it."""
    written: bool = False
    persist: bool = True
    """False for a POST without Idempotency-Key: nothing is stored, but the answer can still be recovered."""

    def row(self) -> dict:
        return {
            "principal": self.principal,
            "key": self.key,
            "method": self.method,
            "path": self.path,
            "request_hash": self.request_hash,
            "aggregate_id": self.aggregate_id,
            "created_at": datetime.datetime.now(datetime.timezone.utc),
        }


def write_claim(session: Session, claim: Claim, aggregate_id: str | None) -> None:
    """Called inside the command's transaction (a before-commit hook of the unit of work): a key used twice fails it."""
    claim.aggregate_id = aggregate_id
    if claim.persist:
        session.execute(insert(idempotency_keys).values(**claim.row()))


def forget(session: Session, aggregate_id: str) -> None:
    """Drops the stored answers and request hashes of the keys whose commands changed `aggregate_id` (erasure).

    The keys stay used, so a retry does not run its command again: it hears that the answer is gone.
    """
    session.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.aggregate_id == aggregate_id)
        .values(request_hash=FORGOTTEN, status=410, body=None, headers=None)
    )
