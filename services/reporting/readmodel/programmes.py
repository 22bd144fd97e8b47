"""A programme's totals over the editions of some years: the summary's figures, each counted once across those editions.

A read, never a replay. What adds up across editions (partnerships, money, trainings, visits, hours) is, now, the sum
of the editions' kept summaries, and as of a moment read from the facts as an edition's summary as of a moment is. What
is counted once (institutions, volunteers) is read from the roster and the memberships (counted_once), as of any moment.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from infra.db.statements import built_once
from services.reporting.readmodel import counted_once, counting, editions
from services.reporting.readmodel.counting import AS_OF
from services.reporting.readmodel.figures import FIGURES, MEASURES
from services.reporting.readmodel.queries import iso, summaries
from services.reporting.readmodel.timeline import Moment

ROUND_ORDER = {"spring": 0, "autumn": 1}
"""Within a year, the spring round before the autumn one; a yearly edition (no round) after both."""


@dataclasses.dataclass(frozen=True)
class Span:
    """The editions of a programme a total covers: those of the years `from_year`–`to_year` opened by the moment."""

    programme: str
    from_year: int | None  # None: no edition of the programme yet
    to_year: int | None
    editions: list[dict[str, Any]]  # the editions' rows, oldest first
    years: list[int]  # every year the programme has an edition in (opened by the moment), for a choice of range

    @property
    def ids(self) -> list[str]:
        return [e["id"] for e in self.editions]


@built_once
def _programme_editions(timed: bool):
    """The editions of a programme opened (by AS_OF)."""
    opened = editions.c.opened_at <= AS_OF if timed else editions.c.opened_at.is_not(None)
    return select(editions).where(editions.c.programme == bindparam("programme"), opened)


def span(session: Session, programme: str, from_year: int | None, to_year: int | None, as_of: Moment) -> Span:
    """The editions a programme's total covers; a year not given is the programme's first (or last) edition's."""
    params: dict[str, Any] = {"programme": programme} | ({} if as_of is None else {"as_of": as_of})
    rows = [dict(r._mapping) for r in session.execute(_programme_editions(as_of is not None), params)]
    years = sorted({r["year"] for r in rows if r["year"] is not None})
    first = from_year if from_year is not None else (years[0] if years else None)
    last = to_year if to_year is not None else (years[-1] if years else None)
    chosen = [r for r in rows if r["year"] is not None and first is not None and last is not None and first <= r["year"] <= last]
    chosen.sort(key=lambda r: (r["year"], ROUND_ORDER.get(r["round"], 2), r["name"] or "", r["id"]))
    return Span(programme, first, last, chosen, years)


def summary(session: Session, found: Span, as_of: Moment, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The contract's programme summary: the editions covered and the summary's figures counted once across them."""
    if not found.ids:
        figures = counting.nothing()
    elif as_of is None:
        figures = _kept_added(session, found)
        counted_once.count(session, found.ids, as_of, figures)
    else:
        figures = counting.figures(session, found.ids, as_of, across=True, only=counting.ADDED)[counting.ALL]
        counted_once.count(session, found.ids, as_of, figures)
    return {
        "programme": found.programme,
        "from_year": found.from_year,
        "to_year": found.to_year,
        "editions": [{"edition_id": e["id"], "name": e["name"], "year": e["year"], "round": e["round"]} for e in found.editions],
        **figures,
        "as_of": iso(as_of or now or datetime.datetime.now(datetime.timezone.utc)),
    }


def _kept_added(session: Session, found: Span) -> dict[str, dict]:
    """Now, what adds up across editions is the sum of their kept summaries (a row each); the rest stays 0 here."""
    totals = counting.nothing()
    kept = summaries(session, found.editions, None)
    for field in (*FIGURES, *MEASURES):
        if counting.additive(field):
            group, name = field.split(".")
            added = sum(decimal.Decimal(str(s[group][name])) for s in kept)
            totals[group][name] = counting.hundredths(int(added * 100)) if isinstance(totals[group][name], str) else int(added)
    return totals
