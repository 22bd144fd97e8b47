"""What an edition's page and report show besides the summary and the grants: funding by size, volunteers by month."""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from collections import defaultdict
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.reporting.readmodel import memberships, partnerships
from services.reporting.readmodel.counting import figure_value
from services.reporting.readmodel.figures import FIGURES
from services.reporting.readmodel.timeline import Moment, known


def funding_by_size(session: Session, edition_id: str, as_of: Moment) -> list[dict[str, Any]]:
    """Per partnership size (number of institutions): proposals, funded ones, requested and granted sums (as the summary's)."""
    p = partnerships.c
    columns = {"proposed": "partnerships.proposed", "funded": "partnerships.funded",
               "requested": "funding.requested_total", "granted": "funding.granted_total"}
    rows = session.execute(
        select(p.size, *(figure_value(FIGURES[field], p, as_of).label(name) for name, field in columns.items()))
        .where(p.edition_id == edition_id, or_(known(p.proposed_at, as_of), known(p.granted_at, as_of)))
        .group_by(p.size)
        .order_by(p.size.nulls_last())
    )
    # PostgreSQL sums bigints as numeric: back to plain integers (counts, grosze).
    return [{k: (int(v) if k != "size" or v is not None else None) for k, v in r._mapping.items()} for r in rows]


@dataclasses.dataclass(frozen=True)
class Month:
    year: int
    month: int
    joined: int  # volunteers who had joined by the month's end (cumulative)
    active: int  # volunteers with a membership not left at the month's end


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def volunteers_by_month(session: Session, edition_id: str, as_of: Moment, today: datetime.date, limit: int = 36) -> list[Month]:
    """Joined (cumulative) and active volunteers at the end of each month, by the dates of joining and
    leaving (`joined_on`, `left_on`), counting only memberships and departures known by `as_of`."""
    m = memberships.c
    rows = session.execute(
        select(m.volunteer_id, m.joined_on, m.left_on, known(m.left_at, as_of).label("left_known")).where(
            m.edition_id == edition_id, known(m.joined_at, as_of), m.joined_on.is_not(None)
        )
    ).all()
    if not rows:
        return []
    first = min(r.joined_on for r in rows)
    last = max([r.joined_on for r in rows] + [r.left_on for r in rows if r.left_on and r.left_known])
    last = max(first, min(last, today))
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    months = months[-limit:]
    ends = [_month_end(year, month) for year, month in months]
    # Each membership covers the month ends in [joined, left): a range of indexes. A volunteer is
    # active at a month end covered by any of their memberships, so merge their ranges, then add up.
    ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    first_joined: dict[str, datetime.date] = {}
    for r in rows:
        start = bisect.bisect_left(ends, r.joined_on)
        stop = bisect.bisect_left(ends, r.left_on) if (r.left_known and r.left_on is not None) else len(ends)
        if start < stop:
            ranges[r.volunteer_id].append((start, stop))
        if r.volunteer_id not in first_joined or r.joined_on < first_joined[r.volunteer_id]:
            first_joined[r.volunteer_id] = r.joined_on
    active = [0] * (len(ends) + 1)
    for spans in ranges.values():
        spans.sort()
        current_start, current_stop = spans[0]
        for start, stop in spans[1:] + [(len(ends) + 1, len(ends) + 1)]:
            if start > current_stop:
                active[current_start] += 1
                active[current_stop] -= 1
                current_start, current_stop = start, stop
            else:
                current_stop = max(current_stop, stop)
    joined = [0] * (len(ends) + 1)
    for day in first_joined.values():
        joined[bisect.bisect_left(ends, day)] += 1
    result, active_now, joined_now = [], 0, 0
    for index, (year, month) in enumerate(months):
        active_now += active[index]
        joined_now += joined[index]
        result.append(Month(year, month, joined_now, active_now))
    return result
