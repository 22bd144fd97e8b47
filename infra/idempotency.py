"""Idempotency-Key: a retried POST gets the first answer and changes nothing.

The web layer opens a claim for the request; the unit of work writes the claim row in the same
transaction as the command's events, so a second execution of the same key cannot commit. A
successful answer is recorded against the claim once it is known; a refusal (4xx) changed nothing
and is not remembered, so a retry with the key is judged afresh.

The web edge hands the claim to the command bus with the command (infra.bus.CommandBus.handle), which
reads the answer in the same transaction too, so a committed command's answer is never lost to a
connection cut after its commit; recording it against the key afterwards is retried (infra.web.idempotency).

A service whose answers hold personal data gives a `Sealer`: each answer is then kept sealed with the key of the
person it is about, so shredding that key (an erasure) shreds every kept answer about them too.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import Connection, insert, update
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


class Sealer(Protocol):
    """How a service keeps the answers to its commands about a subject (a person): sealed with that subject's key."""

    def subject(self, view_args: Mapping[str, Any]) -> str | None:
        """The subject a request is about, from its path (a command that records nothing still names it)."""

    def seal(self, connection: Connection, subject: str, body: bytes) -> bytes:
        """The answer as it is kept (the subject's key gone: as it is, for it can then hold nothing of theirs)."""

    def open(self, connection: Connection, subject: str, body: bytes) -> bytes | None:
        """The kept answer readable again; None when the key that sealed it is gone (the answer is then too)."""


def write_claim(session: Session, claim: Claim, aggregate_id: str | None) -> None:
    """Called inside the command's transaction (a before-commit hook of the unit of work): a key used twice fails it.

    The claim keeps the aggregate the events changed or, when none was recorded, the subject the request named.
    """
    claim.aggregate_id = aggregate_id or claim.aggregate_id
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
