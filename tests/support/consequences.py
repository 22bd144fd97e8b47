"""What a command causes in another service with no command of its own, checked once the stack is quiet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from services.funding.readmodel import cases
from tests.support.recording import Command
from tests.support.settling import Databases

ENDING = {"FundingRevoked", "FundingSettled"}
"""What ends a grant in force: a withdrawal after the grant must meet one of them."""


def withdrawn_grants_taken_back(dbs: Databases, commands: Sequence[Command], funding_events: list, figures) -> None:
    """Funding learnt every accepted withdrawal, and a grant given before it was taken back (FundingRevoked, recorded by
    funding itself), unless it had been settled first; its case says so too."""
    withdrawn = {c.expected_aggregate() for c in commands if c.ok and c.action == "withdraw_partnership"}
    streams: dict[str, list] = defaultdict(list)
    for row in funding_events:
        if row.aggregate_id in withdrawn:
            streams[row.aggregate_id].append(row)
    known = {row.id: row for row in dbs.rows("funding", select(
        cases.c.id, cases.c.withdrawn, cases.c.revoked_at, cases.c.settlement).where(cases.c.withdrawn.is_(True)))}
    for partnership in sorted(p for p in withdrawn if p):
        if partnership not in known:
            figures.lost += 1
            figures.problems.append(f"LOST: funding never learnt that partnership {partnership} withdrew")
            continue
        types = [row.type for row in sorted(streams[partnership], key=lambda row: row.version)]
        if "FundingGranted" not in types:
            continue
        figures.events_checked += 1
        case = known[partnership]
        ended = ENDING & set(types[types.index("FundingGranted") + 1:])
        if not ended or (case.revoked_at is None and case.settlement != "settled"):
            figures.lost += 1
            figures.problems.append(f"LOST: partnership {partnership} withdrew after its grant and keeps it: "
                                    f"funding's events {types}, case revoked_at={case.revoked_at} settlement={case.settlement}")
