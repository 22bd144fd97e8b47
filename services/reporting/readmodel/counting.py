"""The figures of the summary as SQL over the fact tables: for each edition apart, or once across several editions.

Across editions (a programme's totals over some years) every distinct count stays distinct: an institution named in two
of the editions is one institution, a volunteer who joined in two is one volunteer. Each statement is built once per
shape (`as_of` given or not, editions listed or all, per edition or across) and run with its parameters.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, case, distinct, func, select, true, union
from sqlalchemy.orm import Session

from infra.db.statements import UtcDateTime, built_once
from services.reporting.readmodel import enrolments, memberships, partnership_institutions, partnerships
from services.reporting.readmodel.figures import FIGURES, MEASURES, Aggregate, Figure, Measure
from services.reporting.readmodel.registry import with_details
from services.reporting.readmodel.timeline import Moment, When, known, not_yet

UNKNOWN = "unknown"
"""by_kind / by_district key of institutions whose InstitutionRegistered has not arrived yet."""
ALL = ""
"""The key of the one group of figures counted across all the editions asked for."""
AS_OF: BindParameter[datetime.datetime] = bindparam("as_of", type_=UtcDateTime())
IDS: BindParameter[list[str]] = bindparam("ids", expanding=True)


def hundredths(value: int | None) -> str:
    """An integer of hundredths (grosze, hundredths of an hour) as the wire's decimal string: 600000 → "6000.00"."""
    value = int(value or 0)
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


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


def measure_value(measure: Measure, as_of: When) -> ColumnElement[int]:
    """The measure over the rows grouped."""
    condition = measure.counts(as_of)
    if measure.aggregate is Aggregate.ROWS:
        return count_if(condition)
    if measure.aggregate is Aggregate.SUM:
        return sum_if(condition, measure.operand)
    return func.count(distinct(case((condition, measure.operand))))


def where_edition(column, edition_ids):
    """Only the given editions (a list, or the expanding parameter IDS); None: every edition."""
    if edition_ids is None:
        return true()
    return column.in_(edition_ids if isinstance(edition_ids, BindParameter) else list(edition_ids))


def _by(column, across: bool) -> list:
    """What a statement groups by: the edition, or nothing (one group across all the editions)."""
    return [] if across else [column]


def named_institutions(edition_ids, as_of, across: bool = False):
    """(edition_id, institution_id) of every institution named in a partnership proposed in the
    edition, or enrolled in it, by `as_of` (a UNION, so each pair once); `across`: only institution_id, each once."""
    pi, en = partnership_institutions.c, enrolments.c
    named = select(*_by(pi.edition_id, across), pi.institution_id).where(
        where_edition(pi.edition_id, edition_ids), known(pi.proposed_at, as_of)
    )
    enrolled = select(*_by(en.edition_id, across), en.institution_id).where(
        where_edition(en.edition_id, edition_ids), known(en.enrolled_at, as_of)
    )
    return union(named, enrolled).subquery("named")


@built_once
def _statements(timed: bool, filtered: bool, across: bool) -> dict[str, Any]:
    """The queries of the figures; `as_of` and the edition ids are parameters."""
    t = AS_OF if timed else None
    ids = IDS if filtered else None
    p = partnerships.c
    key = _by(p.edition_id, across)
    found: dict[str, Any] = {
        "partnerships": select(*key, *(figure_value(f, p, t).label(field) for field, f in FIGURES.items()))
        .where(where_edition(p.edition_id, ids)).group_by(*key),
    }
    named = named_institutions(ids, t, across)  # across: each institution once, whichever editions named it
    joined, details = with_details(named, named.c.institution_id, t)
    kind, district = func.coalesce(details.kind, UNKNOWN), func.coalesce(details.district, UNKNOWN)
    key = _by(named.c.get("edition_id"), across)
    found["institutions"] = (
        select(*key, kind.label("kind"), district.label("district"), func.count().label("n"))
        .select_from(joined).group_by(*key, kind, district)
    )
    m = memberships.c
    key = _by(m.edition_id, across)
    # Per volunteer first (the index is ordered so), then per edition (or across): distinct volunteers without a sort.
    per_volunteer = (
        select(
            *key,
            func.max(case((known(m.joined_at, t), 1), else_=0)).label("joined"),
            func.max(case((and_(known(m.joined_at, t), not_yet(m.left_at, t)), 1), else_=0)).label("active"),
        )
        .where(where_edition(m.edition_id, ids))
        .group_by(*key, m.volunteer_id)
        .subquery("per_volunteer")
    )
    key = _by(per_volunteer.c.get("edition_id"), across)
    found["volunteers"] = select(
        *key, func.sum(per_volunteer.c.joined).label("joined"), func.sum(per_volunteer.c.active).label("active")
    ).group_by(*key)
    for table in dict.fromkeys(measure.table for measure in MEASURES.values()):
        key = _by(table.c.edition_id, across)
        found[table.name] = (
            select(*key, *(measure_value(measure, t).label(field) for field, measure in MEASURES.items() if measure.table is table))
            .where(where_edition(table.c.edition_id, ids)).group_by(*key)
        )
    return found


@dataclasses.dataclass
class _Groups:
    """The figures of one group (an edition, or all of them), as the summary writes them."""

    partnerships: dict[str, int] = dataclasses.field(default_factory=dict)  # every partnership and funding figure (grosze)
    by_kind: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    by_district: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    count: int = 0
    volunteers: dict[str, Any] = dataclasses.field(default_factory=lambda: {"joined": 0, "active": 0})
    measures: dict[str, Any] = dataclasses.field(default_factory=dict)

    def figures(self) -> dict[str, dict[str, Any]]:
        partnerships = {field.split(".")[1]: self.partnerships.get(field, 0) for field, f in FIGURES.items() if not f.total}
        funding = {field.split(".")[1]: hundredths(self.partnerships.get(field, 0)) for field, f in FIGURES.items() if f.total}
        measured = {field: (hundredths if m.aggregate is Aggregate.SUM else int)(self.measures.get(field, 0))
                    for field, m in MEASURES.items()}
        return {
            "partnerships": partnerships,
            "funding": funding,
            "institutions": {"count": self.count, "by_kind": dict(sorted(self.by_kind.items())),
                             "by_district": dict(sorted(self.by_district.items()))},
            "volunteers": {**self.volunteers, "hours_approved": measured["volunteers.hours_approved"]},
            "training": {field.split(".")[1]: value for field, value in measured.items() if field.startswith("training.")},
        }


def nothing() -> dict[str, dict]:
    """The figure groups of an edition without any fact: zeros."""
    return _Groups().figures()


def additive(field: str) -> bool:
    """Whether a figure across editions is the sum of the editions' figures: each thing it counts belongs to one edition
    (a partnership, a training, a visit, an entry of hours). Institutions and volunteers may belong to several."""
    if field in FIGURES:
        return True
    return field in MEASURES and MEASURES[field].aggregate is not Aggregate.DISTINCT


ADDED = frozenset({"partnerships"} | {m.table.name for m in MEASURES.values() if m.aggregate is not Aggregate.DISTINCT})
"""The statements of the figures that add up across editions (a total as of a moment reads them in the facts; what they
count once besides is read from the roster: counted_once)."""


def figures(session: Session, edition_ids: list[str] | None, as_of: Moment, *, across: bool = False,
            only: frozenset[str] | None = None) -> dict[str, dict]:
    """The summary's figure groups (partnerships … training) of each edition of `edition_ids` (None: every edition) that has
    any fact (`nothing()` are the others'), or, `across`, of all of them together under the key ALL; `only`: just these
    statements run (ADDED, or "volunteers"), the other figures stay 0."""
    statements = _statements(as_of is not None, edition_ids is not None, across)
    if only is not None:
        statements = {name: statement for name, statement in statements.items() if name in only}
    params: dict[str, Any] = ({} if as_of is None else {"as_of": as_of}) | ({} if edition_ids is None else {"ids": list(edition_ids)})
    groups: dict[str, _Groups] = defaultdict(_Groups)

    def rows(name: str):
        for row in session.execute(statements[name], params) if name in statements else ():
            yield groups[ALL if across else row.edition_id], row._mapping

    for group, row in rows("partnerships"):
        group.partnerships = {field: int(row[field]) for field in FIGURES}
    for group, row in rows("institutions"):
        group.count += row["n"]
        group.by_kind[row["kind"]] += row["n"]
        group.by_district[row["district"]] += row["n"]
    for group, row in rows("volunteers"):
        group.volunteers = {"joined": int(row["joined"] or 0), "active": int(row["active"] or 0)}
    for name in statements.keys() - {"partnerships", "institutions", "volunteers"}:  # the measures' tables
        for group, row in rows(name):
            group.measures.update((field, int(row[field])) for field in row.keys() if field in MEASURES)
    return {key: group.figures() for key, group in groups.items()}  # across: one row always (aggregates without GROUP BY)
