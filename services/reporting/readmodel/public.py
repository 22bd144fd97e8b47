"""Open results for residents: each opened edition's headline figures, funded partnerships and taking part institutions.

Only what staff made public: an edition appears once its EditionOpened has arrived (one only named by other events
was never opened), a partnership once its grant is in force (a revoked grant is not funded), and of the institutions
only what the public register says (name, kind, district). No person appears: volunteers only as counts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.vocabulary import EditionKind
from infra.polish import PROGRAMMES, ROUNDS
from services.reporting.readmodel import enrolments, partnership_institutions, partnerships
from services.reporting.readmodel.counting import hundredths
from services.reporting.readmodel.figures import FIGURES, MEASURES
from services.reporting.readmodel.queries import edition_rows, summaries
from services.reporting.readmodel.registry import with_details
from services.reporting.readmodel.timeline import known

GROUPS = ("partnerships", "funding", "institutions", "volunteers", "training")
"""The summary's groups of figures published as an edition's headline figures (all of them are counts or sums)."""


def opened(session: Session, edition_id: str | None = None) -> list[dict[str, Any]]:
    """The editions staff opened (all, or the one asked for), newest first."""
    rows = edition_rows(session, None if edition_id is None else [edition_id])
    return [r for r in rows if r["opened_at"] is not None]


def results(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The open record of each edition as it stands now: what it is, its headline figures, its funded partnerships and its
    institutions. Nothing in it names the moment it was read, so an unchanged record keeps its ETag."""
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    figures = {s["edition_id"]: s for s in summaries(session, rows, None)}
    funded, enrolled = _funded(session, ids), _enrolled(session, ids)
    return [
        {
            "edition_id": r["id"],
            "programme": r["programme"],
            "programme_name": PROGRAMMES.get(r["programme"], r["programme"]),
            "name": r["name"],
            "year": r["year"],
            "round": r["round"],
            "round_name": ROUNDS.get(r["round"], r["round"]),
            "opens_on": r["opens_on"].isoformat() if r["opens_on"] else None,
            "closes_on": r["closes_on"].isoformat() if r["closes_on"] else None,
            "closed": r["closed_at"] is not None,
            "figures": {group: figures[r["id"]][group] for group in GROUPS},
            "funded_partnerships": funded.get(r["id"], []),
            "institutions": enrolled.get(r["id"], []) if r["kind"] == EditionKind.ENROLMENT else [],
        }
        for r in rows
    ]


def _funded(session: Session, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each edition's partnerships with a grant in force now, by title, with their institutions (the lead first)."""
    p, pi = partnerships.c, partnership_institutions.c
    joined, details = with_details(partnership_institutions.join(partnerships, p.id == pi.partnership_id), pi.institution_id, None)
    found: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in session.execute(
        select(p.edition_id, p.id, p.title, p.granted_gr, pi.lead, details.name.label("name"), details.kind.label("kind"),
               details.district.label("district"))
        .select_from(joined)
        .where(p.edition_id.in_(ids), FIGURES["partnerships.funded"].counts(p, None))
        .order_by(p.edition_id, p.title, p.id, pi.lead.desc(), details.name)
    ):
        partnership = found[r.edition_id].setdefault(r.id, {
            "partnership_id": r.id, "title": r.title, "district": None, "amount_granted": hundredths(r.granted_gr), "institutions": []})
        partnership["institutions"].append({"name": r.name, "kind": r.kind, "district": r.district})
        if r.lead:
            partnership["district"] = r.district  # where the partnership is: its lead institution's district
    return {edition: list(by_id.values()) for edition, by_id in found.items()}


def _enrolled(session: Session, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each enrolment edition's institutions, by name: whether each adopted its volunteering programme or withdrew."""
    e = enrolments.c
    joined, details = with_details(enrolments, e.institution_id, None)
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in session.execute(
        select(e.edition_id, details.name.label("name"), details.kind.label("kind"), details.district.label("district"),
               MEASURES["training.programmes_adopted"].counts(None).label("adopted"), known(e.withdrawn_at, None).label("withdrawn"))
        .select_from(joined)
        .where(e.edition_id.in_(ids), known(e.enrolled_at, None))
        .order_by(e.edition_id, details.name)
    ):
        found[r.edition_id].append({"name": r.name, "kind": r.kind, "district": r.district, "programme_adopted": bool(r.adopted),
                                    "withdrawn": bool(r.withdrawn)})
    return found

