"""The volunteers service's private events: they stay in its own event store, never on a topic.

Personal fields hold ciphertext only (sealed with the volunteer's own key before the event is
recorded), so deleting that key makes them unreadable in the event history too (crypto-shredding).
The public events, VolunteerJoined, VolunteerLeft and VolunteerHoursApproved, live in `contracts.volunteers`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from contracts import PUBLIC
from contracts.types import Hours, Id, Month, Text

REGISTRY = PUBLIC.child()
"""Every event this service reads or writes: the public ones and its private ones."""


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class VolunteerRegistered:
    volunteer_id: Id
    first_name: str
    last_name: str
    email: str
    phone: str | None
    birth_date: str | None = None
    """Sealed too (its ISO text); registrations before birth dates were kept have none."""


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class VolunteerRectified:
    """The person's data corrected (GDPR art. 16): every personal field as it now stands, sealed anew."""

    volunteer_id: Id
    first_name: str
    last_name: str
    email: str
    phone: str | None
    birth_date: str | None


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class VolunteerErased:
    volunteer_id: Id


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class MembershipPaperworkRecorded:
    """A membership's paperwork as it now stands, and whether the volunteer was under 18 when joining.

    `minor` is kept here, not worked out from the birth date when read: the birth date is sealed (and gone after
    an erasure), while what is missing of a membership must read the same in a replay. Recorded beside
    VolunteerJoined when a joining brings paperwork (or a minor), when staff mend it, and when a rectified birth
    date changes who was a minor.
    """

    volunteer_id: Id
    membership_id: Id
    agreement_signed_on: datetime.date | None
    accident_insurance: bool
    guardian_consent: bool
    minor: bool


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class HoursSubmitted:
    """A month's hours of one membership, waiting for approval (approved: the public VolunteerHoursApproved)."""

    entry_id: Id
    volunteer_id: Id
    membership_id: Id
    month: Month
    hours: Hours
    activity: str | None


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class HoursDeclined:
    entry_id: Id
    volunteer_id: Id
    reason: Text
