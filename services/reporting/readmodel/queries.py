"""Summaries computed from the fact tables, as they stood at any moment.

`as_of` is compared with the CloudEvent `time` of each event (when the fact happened at the
service that recorded it, in UTC). `as_of=None` means everything received so far.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, case, func, or_, select, true, union
from sqlalchemy.orm import Session

from infra.db.statements import UtcDateTime, built_once
from services.reporting.readmodel import (
    current_summaries,
    editions,
    enrolments,
    memberships,
    partnership_institutions,
    partnerships,
)
from services.reporting.readmodel.figures import FIGURES, Figure
from services.reporting.readmodel.registry import with_details
from services.reporting.readmodel.timeline import Moment, When, known, not_yet

UNKNOWN = "unknown"
"""by_kind / by_district key of institutions whose InstitutionRegistered has not arrived yet."""


def money(grosze: int | None) -> str:
    """Grosze as the wire's decimal string: 600000 → "6000.00"."""
    grosze = int(grosze or 0)
    sign = "-" if grosze < 0 else ""
    grosze = abs(grosze)
    return f"{sign}{grosze // 100}.{grosze % 100:02d}"


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


# -- the summary -----------------------------------------------------------------------------------


def count_if(condition) -> ColumnElement[int]:
    """How many rows meet `condition` (0, not NULL, when none do)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def sum_if(condition, column) -> ColumnElement[int]:
    """The sum of `column` over the rows meeting `condition` (0, not NULL, when none do)."""
    return func.coalesce(func.sum(case((condition, column), else_=0)), 0)


def figure_value(figure: Figure, p, as_of: When) -> ColumnElement[int]:
    """The figure over the partnerships grouped: a count of those it counts, or the sum of its amount over them."""
    condition = figure.counts(p, as_of)
    return sum_if(condition, p[figure.amount]) if figure.total and figure.amount else count_if(condition)


def _where_edition(column, edition_ids):
    """Only the given editions (a list, or the expanding parameter IDS); None: every edition."""
    if edition_ids is None:
        return true()
    return column.in_(edition_ids if isinstance(edition_ids, BindParameter) else list(edition_ids))


def named_institutions(edition_ids, as_of):
    """(edition_id, institution_id) of every institution named in a partnership proposed in the
    edition, or enrolled in it, by `as_of` (a UNION, so each pair once)."""
    named = select(partnership_institutions.c.edition_id, partnership_institutions.c.institution_id).where(
        _where_edition(partnership_institutions.c.edition_id, edition_ids),
        known(partnership_institutions.c.proposed_at, as_of),
    )
    enrolled = select(enrolments.c.edition_id, enrolments.c.institution_id).where(
        _where_edition(enrolments.c.edition_id, edition_ids), known(enrolments.c.enrolled_at, as_of)
    )
    return union(named, enrolled).subquery("named")


AS_OF: BindParameter[datetime.datetime] = bindparam("as_of", type_=UtcDateTime())
IDS: BindParameter[list[str]] = bindparam("ids", expanding=True)


@built_once
def _edition_rows_statement(filtered: bool, timed: bool):
    """The editions' query (the projection runs it for every batch)."""
    opened = or_(editions.c.opened_at.is_(None), editions.c.opened_at <= AS_OF) if timed else true()
    return select(editions).where(_where_edition(editions.c.id, IDS if filtered else None), opened).order_by(
        editions.c.year.desc().nulls_last(), editions.c.opens_on.desc().nulls_last(), editions.c.name, editions.c.id
    )


@built_once
def _summary_statements(timed: bool, filtered: bool):
    """The three queries of a summary; `as_of` and the edition ids are parameters."""
    t = AS_OF if timed else None
    ids = IDS if filtered else None
    p = partnerships.c
    figures = (
        select(
            p.edition_id,
            *(figure_value(f, p, t).label(field) for field, f in FIGURES.items()),
        )
        .where(_where_edition(p.edition_id, ids))
        .group_by(p.edition_id)
    )
    named = named_institutions(ids, t)
    joined, details = with_details(named, named.c.institution_id, t)
    kind, district = func.coalesce(details.kind, UNKNOWN), func.coalesce(details.district, UNKNOWN)
    kinds = (
        select(named.c.edition_id, kind.label("kind"), district.label("district"), func.count().label("n"))
        .select_from(joined)
        .group_by(named.c.edition_id, kind, district)
    )
    m = memberships.c
    # Per volunteer first (the index is ordered so), then per edition: distinct volunteers without a sort.
    per_volunteer = (
        select(
            m.edition_id,
            func.max(case((known(m.joined_at, t), 1), else_=0)).label("joined"),
            func.max(case((and_(known(m.joined_at, t), not_yet(m.left_at, t)), 1), else_=0)).label("active"),
        )
        .where(_where_edition(m.edition_id, ids))
        .group_by(m.edition_id, m.volunteer_id)
        .subquery("per_volunteer")
    )
    people = select(
        per_volunteer.c.edition_id,
        func.sum(per_volunteer.c.joined).label("joined"),
        func.sum(per_volunteer.c.active).label("active"),
    ).group_by(per_volunteer.c.edition_id)
    return figures, kinds, people


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
    filtered = len(edition_list) < 500
    statements = _summary_statements(as_of is not None, filtered)
    params: dict[str, Any] = {}
    if as_of is not None:
        params["as_of"] = as_of
    if filtered:
        params["ids"] = [e["id"] for e in edition_list]
    figures = {r.edition_id: r for r in session.execute(statements[0], params)}
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_district: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counted: dict[str, int] = defaultdict(int)
    for row in session.execute(statements[1], params):
        counted[row.edition_id] += row.n
        by_kind[row.edition_id][row.kind] += row.n
        by_district[row.edition_id][row.district] += row.n
    people = {r.edition_id: r for r in session.execute(statements[2], params)}
    stamp = iso(as_of or now or datetime.datetime.now(datetime.timezone.utc))
    result = []
    for e in edition_list:
        f, v = figures.get(e["id"]), people.get(e["id"])
        result.append(
            {
                "edition_id": e["id"],
                "programme": e["programme"],
                "name": e["name"],
                "year": e["year"],
                "round": e["round"],
                **_partnership_figures(f),
                "institutions": {
                    "count": counted.get(e["id"], 0),
                    "by_kind": dict(sorted(by_kind[e["id"]].items())) if e["id"] in by_kind else {},
                    "by_district": dict(sorted(by_district[e["id"]].items())) if e["id"] in by_district else {},
                },
                "volunteers": {"joined": int(v.joined) if v else 0, "active": int(v.active) if v else 0},
                "as_of": stamp,
            }
        )
    return result


def _partnership_figures(row) -> dict[str, dict[str, Any]]:
    """The summary's partnerships and funding groups from a row of the figures' query (None: an edition without any)."""
    groups: dict[str, dict[str, Any]] = {"partnerships": {}, "funding": {}}
    for field, figure in FIGURES.items():
        group, name = field.split(".")
        value = row._mapping[field] if row else 0
        groups[group][name] = money(value) if figure.total else int(value)
    return groups


def summary(session: Session, edition_row: dict[str, Any], as_of: Moment) -> dict[str, Any]:
    return summaries(session, [edition_row], as_of)[0]


def kept_summary(session: Session, edition_id: str, now: datetime.datetime | None = None) -> dict[str, Any] | None:
    """The summary the projection keeps for this edition, as it stands now (one lookup); None if none is kept."""
    kept = session.execute(_KEPT, {"id": edition_id}).scalar()
    if kept is None:
        return None
    return {**orjson.loads(kept), "as_of": iso(now or datetime.datetime.now(datetime.timezone.utc))}
