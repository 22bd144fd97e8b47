"""The erasure ledger: who was erased and when, one JSON line each, kept outside the database and its backups.

A restore brings back a database as it was, keys included: a person erased since would be readable again. The
ledger is not restored with it, so `ochotnicy volunteers reapply-erasures` reads it after any restore and erases
again everyone in it whose key is back. It holds an id and a time, nothing personal; it is only ever appended to
(an id may appear more than once: a later erasure of the same person after a restore).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import orjson


class Ledger:
    """The file at `path` (created with its folder at the first erasure)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, volunteer_id: str, at: datetime.datetime) -> None:
        """Appends the erasure and waits until it is on disk: a database commit may follow only a kept line."""
        line = orjson.dumps({"volunteer_id": volunteer_id, "erased_at": at.isoformat()}) + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One write of one short line with O_APPEND: lines of several processes never interleave.
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def ids(self) -> list[str]:
        """Every erased id, once each, in the order first written (none when there is no ledger yet)."""
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return []
        found: dict[str, None] = {}
        for line in lines:
            try:
                found[str(orjson.loads(line)["volunteer_id"])] = None
            except (orjson.JSONDecodeError, KeyError, TypeError):
                continue  # a line torn by a crash mid-write: its erasure never committed (the line comes first)
        return list(found)
