"""Conditions on the times facts were stated: what had happened by a moment, and which of several statements held then.

`as_of` is compared with the CloudEvent `time` of each event (when the fact happened at the service that
recorded it, in UTC); `as_of=None` means everything received so far.
"""

from __future__ import annotations

import datetime

from sqlalchemy import Alias, BindParameter, ColumnElement, FromClause, and_, exists, or_

Moment = datetime.datetime | None
When = Moment | BindParameter[datetime.datetime]
"""A moment, or the parameter AS_OF that a statement built once leaves to its execution."""


def known(column, as_of: When) -> ColumnElement[bool]:
    """The fact had happened by `as_of`."""
    return column.is_not(None) if as_of is None else column <= as_of


def not_yet(column, as_of: When) -> ColumnElement[bool]:
    """The fact had not happened by `as_of` (or never)."""
    return column.is_(None) if as_of is None else or_(column.is_(None), column > as_of)


def in_effect(history: FromClause, key: str, stage: str, as_of: When) -> ColumnElement[bool]:
    """The row of a history (one row per event, `stage`'s columns) that held at `as_of` for its `key`:
    stated by then, and no later statement of the same key stated by then (equal times: the greater event id)."""
    at, event = history.c[f"{stage}_at"], history.c[f"{stage}_event"]
    newer = (history.element if isinstance(history, Alias) else history).alias()
    later = or_(newer.c[f"{stage}_at"] > at, and_(newer.c[f"{stage}_at"] == at, newer.c[f"{stage}_event"] > event))
    return and_(known(at, as_of), ~exists().where(newer.c[key] == history.c[key], known(newer.c[f"{stage}_at"], as_of), later))
