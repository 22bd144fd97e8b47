"""The events behind each figure of the summary: every number can be traced to what stated it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from contracts import vocabulary
from services.reporting import polish
from services.reporting.readmodel import (
    Stage,
    enrolments,
    institutions,
    memberships,
    partnership_institutions,
    partnerships,
)
from services.reporting.readmodel.queries import UNKNOWN, Moment, iso, known, money, named_institutions, not_yet


@dataclasses.dataclass(frozen=True)
class Trace:
    """How a figure follows from its sources, and the sources themselves."""

    derivation: str  # how the value follows from `contributes` of the sources (for programs)
    explanation: str  # the same, for a person (Polish)
    sources: list[dict[str, Any]]


def _source(event_id, type_, time, subject, **contributes) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": type_,
        "time": iso(time),
        "subject": subject,
        "contributes": {k: v for k, v in contributes.items() if v is not None},
    }


# -- partnerships and funding -----------------------------------------------------------------------

_PARTNERSHIP_FACTS = {
    "partnerships.proposed": (Stage.PROPOSED, "PartnershipProposed", "Liczba partnerstw zgłoszonych w edycji (także wycofanych)."),
    "partnerships.mal_verified": (Stage.MAL_VERIFIED, "MALVerified", "Liczba partnerstw z pozytywną weryfikacją MAL."),
    "partnerships.funded": (Stage.GRANTED, "FundingGranted", "Liczba partnerstw, którym przyznano dofinansowanie."),
    "partnerships.rejected": (Stage.REJECTED, "FundingRejected", "Liczba partnerstw, którym odmówiono dofinansowania."),
    "partnerships.withdrawn": (Stage.WITHDRAWN, "PartnershipWithdrawn", "Liczba partnerstw wycofanych przez wnioskodawców."),
}


def _partnership_fact(field: str) -> Callable[[Session, str, Moment], Trace]:
    stage, type_, explanation = _PARTNERSHIP_FACTS[field]
    p = partnerships.c
    event, subject, at = p[f"{stage}_event"], p[f"{stage}_subject"], p[f"{stage}_at"]

    def trace(session: Session, edition_id: str, as_of: Moment) -> Trace:
        rows = session.execute(
            select(p.id, p.title, p.granted_gr, event, subject, at)
            .where(p.edition_id == edition_id, known(at, as_of))
            .order_by(at, event)
        )
        return Trace(
            "count distinct partnership_id",
            explanation,
            [
                _source(
                    r[3], type_, r[5], r[4], partnership_id=r.id, title=r.title,
                    amount=money(r.granted_gr) if stage == Stage.GRANTED else None,
                )
                for r in rows
            ],
        )

    return trace


def _requested_total(session: Session, edition_id: str, as_of: Moment) -> Trace:
    p = partnerships.c
    rows = session.execute(
        select(p.id, p.title, p.requested_gr, p.proposed_event, p.proposed_subject, p.proposed_at)
        .where(p.edition_id == edition_id, known(p.proposed_at, as_of), not_yet(p.withdrawn_at, as_of))
        .order_by(p.proposed_at, p.proposed_event)
    )
    return Trace(
        "sum amount",
        "Suma kwot, o które wnioskują partnerstwa zgłoszone i niewycofane.",
        [
            _source(r.proposed_event, "PartnershipProposed", r.proposed_at, r.proposed_subject,
                    partnership_id=r.id, title=r.title, amount=money(r.requested_gr))
            for r in rows
        ],
    )


def _granted_total(session: Session, edition_id: str, as_of: Moment) -> Trace:
    p = partnerships.c
    rows = session.execute(
        select(p.id, p.title, p.granted_gr, p.granted_event, p.granted_subject, p.granted_at)
        .where(p.edition_id == edition_id, known(p.granted_at, as_of))
        .order_by(p.granted_at, p.granted_event)
    )
    return Trace(
        "sum amount",
        "Suma przyznanych kwot dofinansowania.",
        [
            _source(r.granted_event, "FundingGranted", r.granted_at, r.granted_subject,
                    partnership_id=r.id, title=r.title, amount=money(r.granted_gr))
            for r in rows
        ],
    )


# -- institutions -----------------------------------------------------------------------------------


def _institutions(column: str | None = None, value: str | None = None):
    """institutions.count, or its part by_kind / by_district with the given value."""

    def trace(session: Session, edition_id: str, as_of: Moment) -> Trace:
        named = named_institutions([edition_id], as_of)
        chosen = select(named.c.institution_id).select_from(
            named.outerjoin(institutions, institutions.c.id == named.c.institution_id)
        )
        if column is not None:
            attribute = institutions.c[column]
            chosen = chosen.where(attribute.is_(None) if value == UNKNOWN else attribute == value)
        ids = set(session.execute(chosen).scalars())
        sources = []
        pi = partnership_institutions.c
        for partner in session.execute(
            select(pi.institution_id, pi.partnership_id, pi.proposed_event, pi.proposed_subject, pi.proposed_at)
            .where(pi.edition_id == edition_id, known(pi.proposed_at, as_of), pi.institution_id.in_(ids))
        ):
            sources.append(_source(partner.proposed_event, "PartnershipProposed", partner.proposed_at,
                                   partner.proposed_subject, institution_id=partner.institution_id,
                                   partnership_id=partner.partnership_id))
        en = enrolments.c
        for enrolled in session.execute(
            select(en.institution_id, en.enrolled_event, en.enrolled_subject, en.enrolled_at)
            .where(en.edition_id == edition_id, known(en.enrolled_at, as_of), en.institution_id.in_(ids))
        ):
            sources.append(_source(enrolled.enrolled_event, "InstitutionEnrolled", enrolled.enrolled_at,
                                   enrolled.enrolled_subject, institution_id=enrolled.institution_id))
        explanation = "Liczba różnych instytucji wymienionych w partnerstwach zgłoszonych w edycji lub zgłoszonych do niej."
        if column is not None:
            assert value is not None, "a part of the count names its kind or district"
            i = institutions.c
            for registered in session.execute(
                select(i.id, i.name, i.kind, i.district, i.registered_event, i.registered_subject, i.registered_at)
                .where(i.id.in_(ids), i.registered_event.is_not(None))
            ):
                sources.append(_source(registered.registered_event, "InstitutionRegistered", registered.registered_at,
                                       registered.registered_subject, institution_id=registered.id, name=registered.name,
                                       kind=registered.kind, district=registered.district))
            what = "rodzaju" if column == "kind" else "dzielnicy"
            shown = polish.kind(value) if column == "kind" else value
            explanation += (
                f" Tylko instytucje {what} „{shown}” (wg zdarzenia InstitutionRegistered)"
                if value != UNKNOWN
                else f" Tylko instytucje, których {what} jeszcze nie znamy (brak zdarzenia InstitutionRegistered)"
            ) + "."
        sources.sort(key=lambda s: (s["time"], s["event_id"], s["contributes"]["institution_id"]))
        return Trace("count distinct institution_id of events naming institutions", explanation, sources)

    return trace


# -- volunteers -------------------------------------------------------------------------------------


def _volunteers(active: bool):
    def trace(session: Session, edition_id: str, as_of: Moment) -> Trace:
        m = memberships.c
        condition = known(m.joined_at, as_of)
        if active:
            condition = and_(condition, not_yet(m.left_at, as_of))
        rows = session.execute(
            select(m.membership_id, m.volunteer_id, m.institution_id, m.partnership_id, m.joined_on,
                   m.joined_event, m.joined_subject, m.joined_at)
            .where(m.edition_id == edition_id, condition)
            .order_by(m.joined_at, m.joined_event)
        )
        return Trace(
            "count distinct volunteer_id",
            "Liczba różnych wolontariuszy z członkostwem w edycji, które nie zostało zakończone."
            if active
            else "Liczba różnych wolontariuszy, którzy kiedykolwiek dołączyli w edycji.",
            [
                _source(r.joined_event, "VolunteerJoined", r.joined_at, r.joined_subject, volunteer_id=r.volunteer_id,
                        membership_id=r.membership_id, institution_id=r.institution_id,
                        partnership_id=r.partnership_id, joined_on=r.joined_on.isoformat() if r.joined_on else None)
                for r in rows
            ],
        )

    return trace


TRACES: dict[str, Callable[[Session, str, Moment], Trace]] = {
    **{field: _partnership_fact(field) for field in _PARTNERSHIP_FACTS},
    "funding.requested_total": _requested_total,
    "funding.granted_total": _granted_total,
    "institutions.count": _institutions(),
    **{f"institutions.by_kind.{k}": _institutions("kind", k) for k in (*vocabulary.INSTITUTION_KINDS, UNKNOWN)},
    **{f"institutions.by_district.{d}": _institutions("district", d) for d in (*vocabulary.DISTRICTS, UNKNOWN)},
    "volunteers.joined": _volunteers(active=False),
    "volunteers.active": _volunteers(active=True),
}

FIELDS = tuple(TRACES)
HEADLINE_FIELDS = tuple(f for f in FIELDS if not f.startswith(("institutions.by_kind.", "institutions.by_district.")))


def value_of(summary: dict[str, Any], field: str) -> Any:
    """The figure a field names in the summary (a part of by_kind/by_district not present is 0)."""
    node: Any = summary
    parts = field.split(".")
    for index, part in enumerate(parts):
        if index == 2:
            return node.get(part, 0)
        node = node[part]
    return node


def trace(session: Session, edition_id: str, field: str, as_of: Moment) -> Trace:
    return TRACES[field](session, edition_id, as_of)
