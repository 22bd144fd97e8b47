"""Answers kept for Idempotency-Keys, sealed with the key of the volunteer they are about (infra.idempotency.Sealer).

A registration's or a correction's answer holds the person's data. Sealed with their key, it is shredded with it:
an erasure leaves no readable copy in the idempotency table, nor in a backup of it or in PostgreSQL's WAL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from services.volunteers import keystore
from services.volunteers.crypto import PREFIX
from services.volunteers.domain.personal import Unreadable

FIELD = "idempotency_answer"
"""The name bound into each sealed answer: a person's field moved into an answer does not open, nor the reverse."""


class SealedAnswers:
    """Every command of the service is about one volunteer: the one in its path, or the one it registered."""

    def subject(self, view_args: Mapping[str, Any]) -> str | None:
        volunteer_id = view_args.get("volunteer_id")
        return str(volunteer_id) if volunteer_id is not None else None

    def seal(self, connection: Connection, subject: str, body: bytes) -> bytes:
        cipher = keystore.cipher(connection, subject)
        # Without a key the person is erased: an answer about them (a membership left, hours decided) holds nothing of theirs.
        return cipher.seal_bytes(FIELD, body) if cipher is not None else body

    def open(self, connection: Connection, subject: str, body: bytes) -> bytes | None:
        if not body.startswith(PREFIX.encode("ascii")):
            return body  # kept in the clear, as sealing said it may be
        cipher = keystore.cipher(connection, subject)
        if cipher is None:
            return None
        try:
            return cipher.open_bytes(FIELD, body)
        except Unreadable:
            return None
