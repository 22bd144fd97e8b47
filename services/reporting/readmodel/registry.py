"""Institutions' details (name, kind, district) as the register stated them at a moment.

A registration holds from the start; each correction (InstitutionDetailsChanged) holds from its own time
on, so a summary as of a moment before a correction shows what the register said then, never a rewritten past.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import ColumnElement, FromClause, Join, and_, case, func

from services.reporting.readmodel import Stage, institution_changes, institutions
from services.reporting.readmodel.timeline import When, in_effect


@dataclasses.dataclass(frozen=True)
class Details:
    """The columns of an institution's details at a moment, and of the event that stated them."""

    name: ColumnElement
    kind: ColumnElement
    district: ColumnElement
    registered: FromClause  # the registration's row (its event columns: registered_*)
    change: FromClause  # the correction in effect, if any (its event columns: changed_*)

    @property
    def stated_by(self) -> ColumnElement:
        """The type of the event whose details hold: the correction in effect, else the registration (NULL: neither known)."""
        return case(
            (self.change.c.changed_event.is_not(None), "InstitutionDetailsChanged"),
            (self.registered.c.registered_event.is_not(None), "InstitutionRegistered"),
        )


def with_details(source: FromClause, institution_id: ColumnElement, as_of: When, name: str = "inst") -> tuple[Join, Details]:
    """`source` joined to the details of the institution `institution_id` names, as they stood at `as_of`."""
    registered = institutions.alias(f"{name}_registered")
    change = institution_changes.alias(f"{name}_change")
    joined = source.outerjoin(registered, registered.c.id == institution_id).outerjoin(
        change, and_(change.c.institution_id == institution_id, in_effect(change, "institution_id", Stage.CHANGED, as_of))
    )
    details = Details(
        name=func.coalesce(change.c.name, registered.c.name),
        kind=func.coalesce(change.c.kind, registered.c.kind),
        district=func.coalesce(change.c.district, registered.c.district),
        registered=registered,
        change=change,
    )
    return joined, details
