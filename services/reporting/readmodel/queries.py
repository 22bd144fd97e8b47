"""Summaries computed from the fact tables, as they stood at any moment.

`as_of` is compared with the CloudEvent `time` of each event (when the fact happened at the
service that recorded it, in UTC). `as_of=None` means everything received so far.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import bindparam, or_, select, true
from sqlalchemy.orm import Session

from infra.db.statements import built_once
from services.reporting.readmodel import counting, current_summaries, editions
from services.reporting.readmodel.counting import AS_OF, IDS, hundredths, where_edition
from services.reporting.readmodel.timeline import Moment

money = hundredths
"""Grosze as the wire's decimal string: 600000 → "6000.00"."""


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


# -- editions ---------------------------------------------------------------------------------------


_EDITION = built_once(select(editions).where(editions.c.id == bindparam("id")))
_KEPT = built_once(select(current_summaries.c.summary).where(current_summaries.c.edition_id == bindparam("id")))


def edition(session: Session, edition_id: str) -> dict[str, Any] | None:
    row = session.execute(_EDITION, {"id": edition_id}).first()
    return dict(row._mapping) if row else None


def edition_rows(session: Session, ids: list[str] | None = None, as_of: Moment = None) -> list[dict[str, Any]]:
    """The editions (all, or `ids`), newest first; `as_of`: only those opened by then, or whose opening has not arrived."""
    params = ({} if ids is None else {"ids": list(ids)}) | ({} if as_of is None else {"as_of": as_of})
    return [dict(r._mapping) for r in session.execute(_edition_rows_statement(ids is not None, as_of is not None), params)]


@built_once
def _edition_rows_statement(filtered: bool, timed: bool):
    """The editions' query (the projection runs it for every batch)."""
    opened = or_(editions.c.opened_at.is_(None), editions.c.opened_at <= AS_OF) if timed else true()
    return select(editions).where(where_edition(editions.c.id, IDS if filtered else None), opened).order_by(
        editions.c.year.desc().nulls_last(), editions.c.opens_on.desc().nulls_last(), editions.c.name, editions.c.id
    )


def summaries(
    session: Session, edition_list: Iterable[dict[str, Any]], as_of: Moment, now: datetime.datetime | None = None
) -> list[dict[str, Any]]:
    """The contract's summary of each edition (in the given order), as it stood at `as_of`.

    Now (no `as_of`): the summaries the projection keeps, computed here only for an edition not kept yet.
    """
    edition_list = list(edition_list)
    if as_of is not None or not edition_list:
        return compute(session, edition_list, as_of, now)
    kept = {
        row.edition_id: orjson.loads(row.summary)
        for row in session.execute(
            select(current_summaries).where(current_summaries.c.edition_id.in_([e["id"] for e in edition_list]))
        )
    }
    missing = {f["edition_id"]: f for f in compute(session, [e for e in edition_list if e["id"] not in kept], None, now)}
    stamp = iso(now or datetime.datetime.now(datetime.timezone.utc))
    return [{**kept[e["id"]], "as_of": stamp} if e["id"] in kept else missing[e["id"]] for e in edition_list]


def compute(
    session: Session, edition_list: Iterable[dict[str, Any]], as_of: Moment, now: datetime.datetime | None = None
) -> list[dict[str, Any]]:
    """Summaries computed from the facts, as they stood at `as_of`."""
    edition_list = list(edition_list)
    if not edition_list:
        return []
    # Up to a few hundred editions by their ids (an index probe each); more: every edition's figures, then those wanted.
    ids = [e["id"] for e in edition_list] if len(edition_list) < 500 else None
    found = counting.figures(session, ids, as_of)
    stamp = iso(as_of or now or datetime.datetime.now(datetime.timezone.utc))
    return [
        {
            "edition_id": e["id"],
            "programme": e["programme"],
            "name": e["name"],
            "year": e["year"],
            "round": e["round"],
            **(found[e["id"]] if e["id"] in found else counting.nothing()),
            "as_of": stamp,
        }
        for e in edition_list
    ]


def summary(session: Session, edition_row: dict[str, Any], as_of: Moment) -> dict[str, Any]:
    return summaries(session, [edition_row], as_of)[0]


def kept_summary(session: Session, edition_id: str, now: datetime.datetime | None = None) -> dict[str, Any] | None:
    """The summary the projection keeps for this edition, as it stands now (one lookup); None if none is kept."""
    kept = session.execute(_KEPT, {"id": edition_id}).scalar()
    if kept is None:
        return None
    return {**orjson.loads(kept), "as_of": iso(now or datetime.datetime.now(datetime.timezone.utc))}
