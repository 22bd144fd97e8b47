"""A volunteer's membership of an institution in an edition, with its paperwork (no I/O)."""

from __future__ import annotations

import dataclasses
import datetime

from services.volunteers.domain import paperwork as papers
from services.volunteers.domain.paperwork import Paperwork


@dataclasses.dataclass(frozen=True)
class Membership:
    id: str
    institution_id: str
    edition_id: str
    partnership_id: str | None
    joined_on: datetime.date
    left_on: datetime.date | None = None
    paperwork: Paperwork = papers.NONE
    minor: bool = False
    """Under 18 on the day of joining (as the birth date known then said)."""

    @property
    def active(self) -> bool:
        return self.left_on is None
