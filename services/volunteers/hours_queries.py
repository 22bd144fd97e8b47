"""Reads of the hours recorded for memberships: a volunteer's entries, the approval worklist, approved hours by month."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from infra.db.statements import built_once
from services.volunteers import queries
from services.volunteers.domain import hours
from services.volunteers.readmodel import hours_entries, known_editions, known_institutions


def _entry_query():
    return (
        select(
            hours_entries,
            known_institutions.c.name.label("institution_name"),
            known_editions.c.name.label("edition_name"),
        )
        .outerjoin(known_institutions, known_institutions.c.id == hours_entries.c.institution_id)
        .outerjoin(known_editions, known_editions.c.id == hours_entries.c.edition_id)
    )


_OF_VOLUNTEER = built_once(
    _entry_query().where(hours_entries.c.volunteer_id == bindparam("volunteer_id"))
    .order_by(hours_entries.c.month, hours_entries.c.submitted_at, hours_entries.c.id)
)
_ENTRY = built_once(_entry_query().where(hours_entries.c.id == bindparam("id")))


def _entry(row) -> dict[str, Any]:
    return dict(row._mapping) | {"month_name": hours.month_named(row.month)}


def entry(session: Session, entry_id: str) -> dict[str, Any] | None:
    row = session.execute(_ENTRY, {"id": entry_id}).first()
    return _entry(row) if row else None


def of_volunteer(session: Session, volunteer_id: str) -> list[dict[str, Any]] | None:
    """A volunteer's hours, by month (None for a volunteer unknown)."""
    if not queries.exists(session, volunteer_id):
        return None
    return [_entry(r) for r in session.execute(_OF_VOLUNTEER, {"volunteer_id": volunteer_id})]


def approved_by_month(session: Session, membership_id: str) -> list[dict[str, Any]]:
    """A membership's approved hours, one row per month: `{month, hours}` (e.g. for a certificate or an export)."""
    query = (
        select(hours_entries.c.month, func.sum(hours_entries.c.hours).label("hours"))
        .where(hours_entries.c.membership_id == membership_id, hours_entries.c.status == hours.APPROVED)
        .group_by(hours_entries.c.month)
        .order_by(hours_entries.c.month)
    )
    return [{"month": r.month, "hours": Decimal(r.hours).quantize(Decimal("0.01"))} for r in session.execute(query)]


def to_decide(session: Session, *, edition_id: str | None = None, institution_id: str | None = None) -> list[dict[str, Any]]:
    """Hours waiting for approval, oldest first (no personal data: `queries.volunteers_by_id` names the people shown)."""
    query = (
        _entry_query()
        .where(hours_entries.c.status == hours.SUBMITTED)
        .order_by(hours_entries.c.submitted_at, hours_entries.c.id)
    )
    if edition_id:
        query = query.where(hours_entries.c.edition_id == edition_id)
    if institution_id:
        query = query.where(hours_entries.c.institution_id == institution_id)
    return [_entry(r) for r in session.execute(query)]
