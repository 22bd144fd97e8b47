"""Reads of the volunteers read model, for views and for the handlers' checks."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import orjson
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy import exists as sql_exists
from sqlalchemy.orm import Session

from infra.db.statements import built_once
from services.volunteers import access, keystore
from services.volunteers.compliance import compliance, lacking
from services.volunteers.domain.joining import EditionFacts, Facts, InstitutionFacts, PartnershipFacts
from services.volunteers.domain.personal import Sealed, Unreadable, unseal
from services.volunteers.readmodel import (
    ENROLMENT,
    known_editions,
    known_institutions,
    known_participants,
    known_partnerships,
    memberships,
    volunteers,
)

log = logging.getLogger(__name__)


# -- facts for the handlers --------------------------------------------------
# Enrolled, or a partner of a proposal of the edition that has not been withdrawn.
_TAKES_PART = built_once(
    select(
        sql_exists().where(
            known_participants.c.edition_id == bindparam("edition_id"),
            known_participants.c.institution_id == bindparam("institution_id"),
            or_(
                known_participants.c.via == ENROLMENT,
                ~sql_exists().where(and_(known_partnerships.c.id == known_participants.c.via, known_partnerships.c.withdrawn)),
            ),
        )
    )
)


def facts(session: Session, institution_id: str, edition_id: str, partnership_id: str | None) -> Facts:
    institution = session.execute(
        select(known_institutions.c.id, known_institutions.c.name).where(known_institutions.c.id == institution_id)
    ).first()
    edition = session.execute(
        select(known_editions).where(known_editions.c.id == edition_id, known_editions.c.opened.is_(True))
    ).first()
    partnership = None
    if partnership_id is not None:
        partnership = session.execute(
            select(known_partnerships).where(
                known_partnerships.c.id == partnership_id, known_partnerships.c.proposed.is_(True)
            )
        ).first()
    takes_part = session.execute(_TAKES_PART, {"edition_id": edition_id, "institution_id": institution_id}).scalar()
    return Facts(
        institution=InstitutionFacts(institution.id, institution.name) if institution else None,
        edition=EditionFacts(edition.id, edition.name, edition.closed) if edition else None,
        partnership=PartnershipFacts(
            partnership.id, partnership.edition_id, tuple(orjson.loads(partnership.institution_ids)), partnership.withdrawn
        ) if partnership else None,
        takes_part=bool(takes_part),
    )


# -- memberships (no personal data) ------------------------------------------
def _membership_query():
    return (
        select(
            memberships,
            known_institutions.c.name.label("institution_name"),
            known_editions.c.name.label("edition_name"),
        )
        .outerjoin(known_institutions, known_institutions.c.id == memberships.c.institution_id)
        .outerjoin(known_editions, known_editions.c.id == memberships.c.edition_id)
        .order_by(memberships.c.joined_on, memberships.c.joined_at, memberships.c.id)
    )


_MEMBERSHIPS_OF = built_once(_membership_query().where(memberships.c.volunteer_id == bindparam("volunteer_id")))
_MEMBERSHIP = built_once(_membership_query().where(memberships.c.id == bindparam("id")))
_EXISTS = built_once(select(volunteers.c.id).where(volunteers.c.id == bindparam("id")))
_VOLUNTEER = built_once(select(volunteers).where(volunteers.c.id == bindparam("id")))


def _membership(row) -> dict[str, Any]:
    return dict(row._mapping) | {"active": row.left_on is None}


def memberships_of(session: Session, volunteer_id: str) -> list[dict[str, Any]]:
    return [_membership(r) for r in session.execute(_MEMBERSHIPS_OF, {"volunteer_id": volunteer_id})]


def membership(session: Session, membership_id: str) -> dict[str, Any] | None:
    row = session.execute(_MEMBERSHIP, {"id": membership_id}).first()
    return _membership(row) if row else None


# -- what memberships miss (the rules: services.volunteers.compliance) -------------
def missing_of(session: Session, volunteer_ids: list[str], today: datetime.date) -> dict[str, list[dict[str, Any]]]:
    """Per volunteer (not erased), the memberships missing something as of `today`, each with what it misses."""
    if not volunteer_ids:
        return {}
    query = (_membership_query().join(volunteers, volunteers.c.id == memberships.c.volunteer_id)
             .where(memberships.c.volunteer_id.in_(volunteer_ids), volunteers.c.erased.is_(False)))
    found: dict[str, list[dict[str, Any]]] = {}
    for row in session.execute(query):
        held = _membership(row)
        lacks = compliance(held, today)
        if lacks:
            found.setdefault(row.volunteer_id, []).append(held | {"compliance": lacks})
    return found


def membership_in_full(session: Session, membership_id: str, today: datetime.date) -> dict[str, Any] | None:
    """A membership with its paperwork and what is missing of it (for volunteers:write)."""
    found = membership(session, membership_id)
    if found is None:
        return None
    erased = session.execute(select(volunteers.c.erased).where(volunteers.c.id == found["volunteer_id"])).scalar()
    return found | {"compliance": compliance(found, today, bool(erased))}


# -- volunteers ---------------------------------------------------------------
def exists(session: Session, volunteer_id: str) -> bool:
    return session.execute(_EXISTS, {"id": volunteer_id}).first() is not None


def version_of(session: Session, volunteer_id: str) -> int | None:
    """The volunteer's version (nothing personal is opened)."""
    return session.execute(select(volunteers.c.version).where(volunteers.c.id == volunteer_id)).scalar()


def volunteer_row(session: Session, volunteer_id: str):
    """The volunteer's row as stored (personal fields sealed), or None; nothing is opened or logged."""
    return session.execute(_VOLUNTEER, {"id": volunteer_id}).first()


def opened(row, cipher) -> dict[str, Any]:
    """The row with its personal fields in the clear, or null when erased or unreadable."""
    person = None
    if not row.erased and row.first_name is not None:
        try:
            person = unseal(Sealed(row.first_name, row.last_name, row.email, row.phone, row.birth_date), cipher)
        except Unreadable:
            # Never log the data itself; the id is enough to investigate.
            log.error("personal data of a volunteer does not open with its key", extra={"volunteer_id": row.id})
    return {
        "id": row.id,
        "first_name": person.first_name if person else None,
        "last_name": person.last_name if person else None,
        "email": person.email if person else None,
        "phone": person.phone if person else None,
        "birth_date": person.birth_date if person else None,
        "erased": row.erased,
        "version": row.version,
        "registered_at": row.registered_at,
        "erased_at": row.erased_at,
    }


def volunteer(session: Session, volunteer_id: str, today: datetime.date) -> dict[str, Any] | None:
    """One volunteer with personal data in the clear (only for volunteers:write) and memberships, each with its
    paperwork and what is missing of it as of `today`."""
    row = volunteer_row(session, volunteer_id)
    if row is None:
        return None
    if not row.erased:
        access.record(session, [volunteer_id])
    held = [m | {"compliance": compliance(m, today, row.erased)} for m in memberships_of(session, volunteer_id)]
    return opened(row, keystore.cipher(session, volunteer_id)) | {"memberships": held}


def volunteer_list(
    session: Session,
    *,
    institution_id: str | None = None,
    edition_id: str | None = None,
    active: bool | None = None,
    missing: str | None = None,
    today: datetime.date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Volunteers (with personal data), optionally those with a membership in the institution and edition given.

    `active=True`: one of those memberships goes on; `active=False`: there were some, and none goes on (a
    volunteer who left one institution but is active at another in scope is active, as reporting counts).
    `missing` (a code of `domain.paperwork.MISSING`): only memberships lacking it as of `today` are in scope (and
    only volunteers not erased).
    """
    query = select(volunteers).order_by(volunteers.c.registered_at, volunteers.c.id).limit(limit).offset(offset)
    if institution_id or edition_id or active is not None or missing:
        in_scope = select(memberships.c.volunteer_id)
        if institution_id:
            in_scope = in_scope.where(memberships.c.institution_id == institution_id)
        if edition_id:
            in_scope = in_scope.where(memberships.c.edition_id == edition_id)
        if missing:
            assert today is not None, "what is missing depends on the day"
            in_scope = in_scope.where(lacking(missing, today))
            query = query.where(volunteers.c.erased.is_(False))
        query = query.where(volunteers.c.id.in_(in_scope))
        if active is not None:
            going_on = volunteers.c.id.in_(in_scope.where(memberships.c.left_on.is_(None)))
            query = query.where(going_on if active else ~going_on)
    return _people(session, session.execute(query).all())


def volunteers_by_id(session: Session, volunteer_ids: list[str]) -> dict[str, dict[str, Any]]:
    """These volunteers (with personal data, the reading logged), by id."""
    rows = session.execute(select(volunteers).where(volunteers.c.id.in_(volunteer_ids))).all() if volunteer_ids else []
    return {v["id"]: v for v in _people(session, rows)}


def _people(session: Session, rows) -> list[dict[str, Any]]:
    ciphers = keystore.ciphers(session, [r.id for r in rows])
    access.record(session, [r.id for r in rows if not r.erased])
    return [opened(r, ciphers.get(r.id)) for r in rows]


# -- names to pick from (the staff pages) ------------------------------------
def institution_names(session: Session) -> list[dict[str, Any]]:
    """The institutions this service knows, by name: what a page offers to pick from."""
    query = select(known_institutions.c.id, known_institutions.c.name).order_by(known_institutions.c.name)
    return [dict(r._mapping) for r in session.execute(query)]


def edition_names(session: Session) -> list[dict[str, Any]]:
    """The opened editions this service knows (newest year first), with whether each is closed."""
    query = (
        select(known_editions.c.id, known_editions.c.name, known_editions.c.closed)
        .where(known_editions.c.opened.is_(True))
        .order_by(known_editions.c.year.desc(), known_editions.c.name)
    )
    return [dict(r._mapping) | {"name": r.name or r.id} for r in session.execute(query)]


def partnership_names(session: Session) -> list[dict[str, Any]]:
    """Proposed partnerships not withdrawn, named by their edition and partner institutions (they carry no title here)."""
    institutions = {i["id"]: i["name"] for i in institution_names(session)}
    query = (
        select(known_partnerships.c.id, known_partnerships.c.institution_ids, known_editions.c.name.label("edition_name"))
        .outerjoin(known_editions, known_editions.c.id == known_partnerships.c.edition_id)
        .where(known_partnerships.c.proposed.is_(True), known_partnerships.c.withdrawn.is_(False))
    )
    named = [
        {"id": r.id, "name": f"{', '.join(institutions.get(i, i) for i in orjson.loads(r.institution_ids))} "
                             f"({r.edition_name or 'edycja nieznana'})"}
        for r in session.execute(query)
    ]
    return sorted(named, key=lambda p: p["name"])


def email_holder(session: Session, email: str) -> str | None:
    """The volunteer registered with this e-mail (by its digest; nothing is opened), for a link to their page."""
    return keystore.holder_of(session, email.strip())
