"""Summaries as they stand now, recomputed by the projection for the editions each batch touched."""

from __future__ import annotations

from collections.abc import Collection

import orjson
from sqlalchemy import select, union
from sqlalchemy.orm import Session

from infra.sql import upsert
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
    for f in figures:  # usually one edition a batch: one statement
        summary = orjson.dumps({k: v for k, v in f.items() if k != "as_of"}).decode()
        upsert(session, current_summaries, {"edition_id": f["edition_id"], "summary": summary}, ["edition_id"])
