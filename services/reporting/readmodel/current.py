"""Summaries as they stand now, recomputed by the projection for the editions each batch touched.

Several consumers may apply batches at once (a scaled-out worker, a rebalance). A kept summary must
still count every committed fact, so each batch recomputes its editions' summaries only once it holds
their rows: a batch touching the same edition waits, then recomputes seeing this one's facts.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

import orjson
from sqlalchemy import select, text, union
from sqlalchemy.orm import Session

from infra.db import advisory_lock
from infra.db.statements import built_once, lock_rows, upsert
from services.reporting.readmodel import current_summaries, enrolments, partnership_institutions, queries


def order_against_registrations(session: Session, *, registers: bool, names: bool) -> None:
    """PostgreSQL: a batch registering institutions (or correcting their details) runs alone among batches naming institutions.

    The summary counts the kinds and districts of the institutions an edition names. A registration
    recomputes the editions naming the institution, but it cannot see a naming that another consumer
    has not committed yet, and that consumer's recompute cannot see the registration. So a registering
    batch takes this lock exclusively, a naming one shares it, both before the facts take their row locks.
    """
    if registers or names:
        advisory_lock(session, "reporting:registrations", shared=not registers)


_NAMING = built_once(text("""
    SELECT DISTINCT named.edition_id FROM unnest(CAST(:ids AS text[])) AS wanted(id) CROSS JOIN LATERAL (
        SELECT edition_id FROM partnership_institutions WHERE institution_id = wanted.id
        UNION SELECT edition_id FROM enrolments WHERE institution_id = wanted.id
    ) AS named
"""))


def editions_naming(session: Session, institution_ids: Collection[str]) -> set[str]:
    """Editions whose institution breakdown depends on these institutions (they joined a partnership or enrolled)."""
    if not institution_ids:
        return set()
    ids = sorted(institution_ids)
    if session.get_bind().dialect.name == "postgresql":
        # An index probe per institution. Written as an IN list, a table filling up faster than autovacuum
        # analyses it (a replay) was scanned whole: without statistics, 200 ids look like most of the table.
        return set(session.execute(_NAMING, {"ids": ids}).scalars())
    named = union(
        select(partnership_institutions.c.edition_id).where(partnership_institutions.c.institution_id.in_(ids)),
        select(enrolments.c.edition_id).where(enrolments.c.institution_id.in_(ids)),
    )
    return set(session.execute(named).scalars())


def keep(session: Session, edition_ids: Collection[str]) -> None:
    """Recomputes and stores the current summary of each of `edition_ids` (in the caller's transaction)."""
    if not edition_ids:
        return
    ids = sorted(edition_ids)  # one order of row locks for every batch: no two wait on each other in a cycle
    # Each id names an edition row this batch wrote or found, so every placeholder is replaced below.
    lock_rows(session, current_summaries, [{"edition_id": i, "summary": "{}"} for i in ids], ["edition_id"])
    rows = queries.edition_rows(session, ids)
    figures = queries.compute(session, rows, as_of=None)
    for f in figures:  # usually one edition a batch: one statement
        summary = orjson.dumps({k: v for k, v in f.items() if k != "as_of"}).decode()
        # A new version even for the same summary: a programme's total also reads the roster and memberships it is kept with.
        row = {"edition_id": f["edition_id"], "summary": summary, "version": uuid.uuid4().hex}
        upsert(session, current_summaries, row, ["edition_id"])
