"""What the relay says about each event in its message's headers, beside the CloudEvent: where it sits in the chain."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

CHAIN = "ochotnicy-chain"
"""`<log id>/<chain sequence>`: which store sealed the event (its `store_identity`, kept by a backup) and under which
sequence (the feed's cursor): what a store restored behind its topic must not hand out again."""
AGGREGATE_TYPE = "ochotnicy-aggregate-type"
"""The kind of aggregate the event belongs to, which the CloudEvent does not say: a recovery writes it back."""


@dataclasses.dataclass(frozen=True)
class Link:
    """An event's place in its store's chain, as its message names it."""

    log_id: str
    seq: int

    def header(self) -> tuple[str, bytes]:
        return CHAIN, f"{self.log_id}/{self.seq}".encode()


def get(headers: Sequence[tuple[str, bytes]] | None, name: str) -> str | None:
    """One header's value as text (the first, if repeated)."""
    for key, value in headers or ():
        if key == name:
            return value.decode("utf-8", errors="replace")
    return None


def link(headers: Sequence[tuple[str, bytes]] | None) -> Link | None:
    """The chain link a message names; None for one published without it (or by someone else)."""
    log_id, _, seq = (get(headers, CHAIN) or "").partition("/")
    return Link(log_id, int(seq)) if log_id and seq.isdigit() else None
