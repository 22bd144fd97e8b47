"""The events behind each figure of the summary: every number can be traced to what stated it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import Session

from contracts import vocabulary
from services.reporting import polish
from services.reporting.readmodel import (
    enrolments,
    institution_changes,
    institutions,
    memberships,
    partnership_institutions,
    partnerships,
)
from services.reporting.readmodel.counting import UNKNOWN, hundredths, named_institutions
from services.reporting.readmodel.figures import FIGURES, MEASURES, Aggregate
from services.reporting.readmodel.queries import iso
from services.reporting.readmodel.registry import with_details
from services.reporting.readmodel.timeline import Moment, known, not_yet


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


Traced = Callable[[Session, list[str], Moment], Trace]
"""The trace of a figure over some editions (one edition's, or a programme's over several), as it stood at a moment."""


def _partnership_figure(field: str) -> Traced:
    """The partnerships a figure counts (or sums), each by the event of the figure's stage."""
    figure = FIGURES[field]
    p = partnerships.c
    event, subject, at = p[f"{figure.stage}_event"], p[f"{figure.stage}_subject"], p[f"{figure.stage}_at"]
    amount = p[figure.amount] if figure.amount else literal(None)

    def trace(session: Session, edition_ids: list[str], as_of: Moment) -> Trace:
        rows = session.execute(
            select(p.id, p.title, amount.label("amount"), event, subject, at)
            .where(p.edition_id.in_(edition_ids), figure.counts(p, as_of))
            .order_by(at, event)
        )
        return Trace(
            "sum amount" if figure.total else "count distinct partnership_id",
            figure.explanation,
            [
                _source(r[3], figure.event_type, r[5], r[4], partnership_id=r.id, title=r.title,
                        amount=hundredths(r.amount) if figure.amount else None)
                for r in rows
            ],
        )

    return trace


# -- institutions -----------------------------------------------------------------------------------


def _institutions(column: str | None = None, value: str | None = None):
    """institutions.count, or its part by_kind / by_district with the given value."""

    def trace(session: Session, edition_ids: list[str], as_of: Moment) -> Trace:
        named = named_institutions(edition_ids, as_of)
        joined, details = with_details(named, named.c.institution_id, as_of)
        chosen = select(named.c.institution_id).select_from(joined)
        if column is not None:
            attribute = getattr(details, column)
            chosen = chosen.where(attribute.is_(None) if value == UNKNOWN else attribute == value)
        ids = set(session.execute(chosen).scalars())
        sources = []
        pi = partnership_institutions.c
        for partner in session.execute(
            select(pi.institution_id, pi.partnership_id, pi.proposed_event, pi.proposed_subject, pi.proposed_at)
            .where(pi.edition_id.in_(edition_ids), known(pi.proposed_at, as_of), pi.institution_id.in_(ids))
        ):
            sources.append(_source(partner.proposed_event, "PartnershipProposed", partner.proposed_at,
                                   partner.proposed_subject, institution_id=partner.institution_id,
                                   partnership_id=partner.partnership_id))
        en = enrolments.c
        for enrolled in session.execute(
            select(en.institution_id, en.enrolled_event, en.enrolled_subject, en.enrolled_at)
            .where(en.edition_id.in_(edition_ids), known(en.enrolled_at, as_of), en.institution_id.in_(ids))
        ):
            sources.append(_source(enrolled.enrolled_event, "InstitutionEnrolled", enrolled.enrolled_at,
                                   enrolled.enrolled_subject, institution_id=enrolled.institution_id))
        explanation = ("Liczba różnych instytucji wymienionych w partnerstwach zgłoszonych w edycji lub zgłoszonych do niej "
                       "(w kilku edycjach: każda instytucja liczona raz).")
        if column is not None:
            assert value is not None, "a part of the count names its kind or district"
            sources += _details_sources(session, ids, as_of)
            what = "rodzaju" if column == "kind" else "dzielnicy"
            shown = polish.kind(value) if column == "kind" else value
            explanation += (
                f" Tylko instytucje {what} „{shown}” według rejestru w tym momencie (zdarzenie InstitutionRegistered "
                "albo ostatnia wcześniejsza poprawka InstitutionDetailsChanged)"
                if value != UNKNOWN
                else f" Tylko instytucje, których {what} jeszcze nie znamy (brak zdarzenia InstitutionRegistered)"
            ) + "."
        sources.sort(key=lambda s: (s["time"], s["event_id"], s["contributes"]["institution_id"]))
        return Trace("count distinct institution_id of events naming institutions", explanation, sources)

    return trace


def _details_sources(session: Session, ids: set[str], as_of: Moment) -> list[dict[str, Any]]:
    """The event that stated each institution's details in effect at `as_of`: its registration, or the correction since."""
    wanted = select(institutions.c.id.label("institution_id")).where(institutions.c.id.in_(ids)).union(
        select(institution_changes.c.institution_id).where(institution_changes.c.institution_id.in_(ids))
    ).subquery("wanted")
    joined, details = with_details(wanted, wanted.c.institution_id, as_of)
    change, registered = details.change.c, details.registered.c
    rows = session.execute(
        select(wanted.c.institution_id, details.name, details.kind, details.district, details.stated_by,
               func.coalesce(change.changed_event, registered.registered_event),
               func.coalesce(change.changed_subject, registered.registered_subject),
               func.coalesce(change.changed_at, registered.registered_at))
        .select_from(joined)
        .where(details.stated_by.is_not(None))
    )
    return [_source(r[5], r[4], r[7], r[6], institution_id=r[0], name=r[1], kind=r[2], district=r[3]) for r in rows]


# -- volunteers -------------------------------------------------------------------------------------


def _volunteers(active: bool):
    def trace(session: Session, edition_ids: list[str], as_of: Moment) -> Trace:
        m = memberships.c
        condition = known(m.joined_at, as_of)
        if active:
            condition = and_(condition, not_yet(m.left_at, as_of))
        rows = session.execute(
            select(m.membership_id, m.volunteer_id, m.institution_id, m.partnership_id, m.joined_on,
                   m.joined_event, m.joined_subject, m.joined_at)
            .where(m.edition_id.in_(edition_ids), condition)
            .order_by(m.joined_at, m.joined_event)
        )
        return Trace(
            "count distinct volunteer_id",
            "Liczba różnych wolontariuszy z członkostwem w edycji, które nie zostało zakończone (w kilku edycjach: każdy "
            "wolontariusz liczony raz)."
            if active
            else "Liczba różnych wolontariuszy, którzy kiedykolwiek dołączyli w edycji (w kilku edycjach: każdy liczony raz).",
            [
                _source(r.joined_event, "VolunteerJoined", r.joined_at, r.joined_subject, volunteer_id=r.volunteer_id,
                        membership_id=r.membership_id, institution_id=r.institution_id,
                        partnership_id=r.partnership_id, joined_on=r.joined_on.isoformat() if r.joined_on else None)
                for r in rows
            ],
        )

    return trace


# -- trainings, visits, programmes, approved hours ----------------------------------------------------


def _measure(field: str) -> Traced:
    """The rows a measure counts, each by the event that stated it."""
    measure = MEASURES[field]
    c = measure.table.c
    event, subject, at = c[f"{measure.stage}_event"], c[f"{measure.stage}_subject"], c[f"{measure.stage}_at"]
    derivation = {Aggregate.ROWS: f"count distinct {measure.shown[0]}", Aggregate.SUM: "sum hours",
                  Aggregate.DISTINCT: f"count distinct {measure.column}"}[measure.aggregate]

    def contributes(row) -> dict[str, Any]:
        shown = {name: _plain(row._mapping[name]) for name in measure.shown}
        return shown | ({"hours": hundredths(row.hours)} if measure.aggregate is Aggregate.SUM else {})

    def trace(session: Session, edition_ids: list[str], as_of: Moment) -> Trace:
        amount = measure.operand if measure.aggregate is Aggregate.SUM else literal(None)
        rows = session.execute(
            select(*(c[name] for name in measure.shown), amount.label("hours"), event, subject, at)
            .where(c.edition_id.in_(edition_ids), measure.counts(as_of))
            .order_by(at, event, *(c[name] for name in measure.shown))
        )
        return Trace(derivation, measure.explanation,
                     [_source(r._mapping[event.name], measure.event_type, r._mapping[at.name], r._mapping[subject.name],
                              **contributes(r)) for r in rows])

    return trace


def _plain(value: Any) -> Any:
    """A column's value as JSON writes it (a day as ISO 8601)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


TRACES: dict[str, Traced] = {
    **{field: _partnership_figure(field) for field in FIGURES},
    "institutions.count": _institutions(),
    **{f"institutions.by_kind.{k}": _institutions("kind", k) for k in (*vocabulary.INSTITUTION_KINDS, UNKNOWN)},
    **{f"institutions.by_district.{d}": _institutions("district", d) for d in (*vocabulary.DISTRICTS, UNKNOWN)},
    "volunteers.joined": _volunteers(active=False),
    "volunteers.active": _volunteers(active=True),
    **{field: _measure(field) for field in MEASURES},
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


def trace(session: Session, edition_ids: list[str], field: str, as_of: Moment) -> Trace:
    """The events behind `field` of one edition's summary (a list of one) or of a programme's over several editions."""
    return TRACES[field](session, edition_ids, as_of)
