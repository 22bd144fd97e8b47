"""Personal data kept no longer than needed (GDPR art. 5(1)(e)): who is due for erasure, and erasing them.

A volunteer is due once every membership has ended, the last more than the retention period ago (five years by
default, `OCHOTNICY_RETENTION_YEARS`); one who never joined anywhere, once that period has passed since registering.
Each is erased through the same command and handler as a DELETE, so the key, the kept answers and the access log go
as they would there, with the erasure ledger written too.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infra import context
from infra.bus import CommandBus
from services.volunteers import clock, commands, keystore
from services.volunteers.readmodel import memberships, volunteers

ACTOR = "retention"
"""Who the access log and the events name for an erasure made by the retention sweep."""
REAPPLIED = "erasure-ledger"
"""… and for one made again after a restore, from the erasure ledger."""


@dataclasses.dataclass(frozen=True)
class Due:
    volunteer_id: str
    ended_on: datetime.date
    """The day their last membership ended (or, with `joined` false, the day they registered)."""
    joined: bool = True


def cutoff(today: datetime.date, years: int) -> datetime.date:
    """`years` before `today` (a 29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due(session: Session, before: datetime.date) -> list[Due]:
    """People not erased, all of whose memberships ended before `before` (or who registered before it and never
    joined); longest gone first."""
    last = func.max(memberships.c.left_on)
    ended = (
        select(memberships.c.volunteer_id, last.label("ended_on"))
        .join(volunteers, volunteers.c.id == memberships.c.volunteer_id)
        .where(volunteers.c.erased.is_(False))
        .group_by(memberships.c.volunteer_id)
        .having(func.count() == func.count(memberships.c.left_on), last < before)  # none goes on, the last long ago
    )
    found = [Due(r.volunteer_id, r.ended_on) for r in session.execute(ended)]
    midnight = datetime.datetime.combine(before, datetime.time(), tzinfo=clock.WARSAW)
    never = (
        select(volunteers.c.id, volunteers.c.registered_at)
        .where(volunteers.c.erased.is_(False), volunteers.c.registered_at < midnight,
               ~select(memberships.c.id).where(memberships.c.volunteer_id == volunteers.c.id).exists())
    )
    found += [Due(r.id, r.registered_at.astimezone(clock.WARSAW).date(), joined=False) for r in session.execute(never)]
    return sorted(found, key=lambda d: (d.ended_on, d.volunteer_id))


def with_key(session: Session, volunteer_ids: list[str]) -> list[str]:
    """Of these people, those whose key is held (after a restore: the erased whose key came back)."""
    held: set[str] = set()
    for start in range(0, len(volunteer_ids), 500):
        held |= set(keystore.ciphers(session, volunteer_ids[start:start + 500]))
    return [i for i in volunteer_ids if i in held]


def erase(bus: CommandBus, volunteer_ids: Iterable[str], actor: str) -> int:
    """Erases each person through the erasure's own handler, as `actor`; how many."""
    done = 0
    for volunteer_id in volunteer_ids:
        token = context.set_current(context.Context(actor, context.new_correlation_id()))
        try:
            bus.handle(commands.EraseVolunteer(volunteer_id))
        finally:
            context.reset(token)
        done += 1
    return done
