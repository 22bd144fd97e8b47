"""Summaries as they stand now, recomputed by the projection for the editions each batch touched."""

from __future__ import annotations

from collections.abc import Collection

import orjson
from sqlalchemy import delete, insert, select, union
from sqlalchemy.orm import Session

from services.reporting import queries
from services.reporting.readmodel import current_summaries, enrolments, partnership_institutions


def editions_naming(session: Session, institution_ids: Collection[str]) -> set[str]:
    """Editions whose institution breakdown depends on these institutions (they joined a partnership or enrolled)."""
    if not institution_ids:
        return set()
    ids = list(institution_ids)
    named = union(
        select(partnership_institutions.c.edition_id).where(partnership_institutions.c.institution_id.in_(ids)),
        select(enrolments.c.edition_id).where(enrolments.c.institution_id.in_(ids)),
    )
    return set(session.execute(named).scalars())


def keep(session: Session, edition_ids: Collection[str]) -> None:
    """Recomputes and stores the current summary of each of `edition_ids` (in the caller's transaction)."""
    if not edition_ids:
        return
    rows = queries.edition_rows(session, sorted(edition_ids))
    figures = queries.compute(session, rows, as_of=None)
    session.execute(delete(current_summaries).where(current_summaries.c.edition_id.in_([r["id"] for r in rows])))
    session.execute(insert(current_summaries), [
        {"edition_id": f["edition_id"], "summary": orjson.dumps({k: v for k, v in f.items() if k != "as_of"}).decode()}
        for f in figures
    ])
