"""What a programme's total across editions counts once, read from the roster: a row per edition, institution and role,
never one per partnership, training or visit, so the read grows with the institutions, not with the log.

An institution named in two of the editions, or trained in both, is one institution; `as_of` is a WHERE on the roster's
earliest times. Volunteers are counted in their memberships, already a row per membership (hours are kept apart): being
active is a state a volunteer leaves, not a first sighting, so it has no place in the roster.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from infra.db.statements import built_once
from services.reporting.readmodel import Role, counting, roster
from services.reporting.readmodel.counting import ALL, AS_OF, IDS, UNKNOWN
from services.reporting.readmodel.registry import with_details
from services.reporting.readmodel.timeline import Moment, known

ROLE_OF = {
    "training.institutions_trained": Role.TRAINED,
    "training.institutions_visited": Role.VISITED,
    "training.programmes_adopted": Role.ADOPTED,
}
"""The roster's role each distinct measure (Aggregate.DISTINCT) counts; institutions.* count Role.NAMED."""


@built_once
def _statements(timed: bool) -> tuple[Any, Any]:
    """Distinct institutions per role, and the named ones by kind and district as the register stated them; over IDS."""
    t = AS_OF if timed else None
    r = roster.c
    listed = r.edition_id.in_(IDS), known(r.first_at, t)
    per_role = (
        select(r.role, func.count(distinct(r.institution_id)).label("n"))
        .where(*listed, r.role.in_([role.value for role in ROLE_OF.values()]))
        .group_by(r.role)
    )
    named = select(r.institution_id).where(*listed, r.role == Role.NAMED.value).distinct().subquery("named")
    joined, details = with_details(named, named.c.institution_id, t)
    kind, district = func.coalesce(details.kind, UNKNOWN), func.coalesce(details.district, UNKNOWN)
    by_details = select(kind.label("kind"), district.label("district"), func.count().label("n")).select_from(joined).group_by(
        kind, district
    )
    return per_role, by_details


def count(session: Session, edition_ids: list[str], as_of: Moment, figures: dict[str, dict]) -> None:
    """Sets in `figures` (the summary's groups across `edition_ids`) what is counted once across them: the institutions,
    the volunteers (joined, active) and the distinct training figures."""
    per_role, by_details = _statements(as_of is not None)
    params: dict[str, Any] = {"ids": list(edition_ids)} | ({} if as_of is None else {"as_of": as_of})
    found = {row.role: int(row.n) for row in session.execute(per_role, params)}
    for field, role in ROLE_OF.items():
        group, name = field.split(".")
        figures[group][name] = found.get(role.value, 0)
    kinds: Counter[str] = Counter()
    districts: Counter[str] = Counter()
    for row in session.execute(by_details, params):
        kinds[row.kind] += row.n
        districts[row.district] += row.n
    figures["institutions"] = {
        "count": kinds.total(), "by_kind": dict(sorted(kinds.items())), "by_district": dict(sorted(districts.items())),
    }
    people = counting.figures(session, edition_ids, as_of, across=True, only=frozenset({"volunteers"}))[ALL]["volunteers"]
    figures["volunteers"] |= {"joined": people["joined"], "active": people["active"]}
