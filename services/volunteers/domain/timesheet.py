"""A volunteer's monthly hours as part of the aggregate: recorded, then approved or declined once (no I/O)."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from contracts.volunteers import VolunteerHoursApproved
from infra.errors import NotFound
from services.volunteers.domain import hours as rules
from services.volunteers.domain.events import HoursDeclined, HoursSubmitted
from services.volunteers.domain.hours import HoursEntry
from services.volunteers.domain.membership import Membership


class Timesheet:
    """The hours half of `Volunteer`: its decisions and how their events change it."""

    id: str
    hours: dict[str, HoursEntry]
    memberships: dict[str, Membership]

    if TYPE_CHECKING:  # given by Aggregate and Volunteer; stubs here would shadow them at run time
        def _record(self, event: Any) -> None: ...
        def _not_erased(self, so: str) -> None: ...
        def membership(self, membership_id: str) -> Membership: ...

    def submit_hours(self, entry_id: str, membership_id: str, *, month: str, hours: Decimal, activity: str | None,
                     today: datetime.date) -> HoursEntry:
        """A month's hours of one membership, to be approved or declined."""
        self._not_erased("nie wpisuje się mu godzin")
        membership = self.membership(membership_id)
        rules.check_month(month, joined_on=membership.joined_on, left_on=membership.left_on, today=today)
        rules.check_hours(month, hours)
        rules.check_first_of_month(self.hours.values(), membership_id, month)
        self._record(HoursSubmitted(entry_id=entry_id, volunteer_id=self.id, membership_id=membership_id, month=month,
                                    hours=hours, activity=activity or None))
        return self.hours[entry_id]

    def approve_hours(self, entry_id: str) -> HoursEntry:
        """Approved hours are a public event: ids, the month and the hours (no activity, nothing personal)."""
        entry = self._entry(entry_id)
        rules.undecided(entry)
        membership = self.memberships[entry.membership_id]
        self._record(VolunteerHoursApproved(
            entry_id=entry_id, volunteer_id=self.id, membership_id=membership.id, institution_id=membership.institution_id,
            edition_id=membership.edition_id, month=entry.month, hours=entry.hours))
        return self.hours[entry_id]

    def decline_hours(self, entry_id: str, reason: str) -> HoursEntry:
        """A declined entry stays, with its reason; the month may then be entered again."""
        entry = self._entry(entry_id)
        rules.undecided(entry)
        self._record(HoursDeclined(entry_id=entry_id, volunteer_id=self.id, reason=rules.decline_reason(reason)))
        return self.hours[entry_id]

    def _entry(self, entry_id: str) -> HoursEntry:
        entry = self.hours.get(entry_id)
        if entry is None:
            raise NotFound(f"Ten wolontariusz nie ma wpisu godzin {entry_id}.")
        return entry

    def apply_hours(self, event: Any) -> bool:
        """Applies an hours event; False for any other event."""
        if isinstance(event, HoursSubmitted):
            self.hours[event.entry_id] = HoursEntry(event.entry_id, event.membership_id, event.month, event.hours,
                                                    event.activity)
        elif isinstance(event, VolunteerHoursApproved):
            self.hours[event.entry_id] = dataclasses.replace(self.hours[event.entry_id], status=rules.APPROVED)
        elif isinstance(event, HoursDeclined):
            self.hours[event.entry_id] = dataclasses.replace(self.hours[event.entry_id], status=rules.DECLINED,
                                                             reason=event.reason)
        else:
            return False
        return True
