"""Events of the volunteers service: memberships and approved hours only; personal data never leaves it."""

import datetime
from dataclasses import dataclass

from contracts.registry import public_event
from contracts.topics import VOLUNTEERS
from contracts.types import Hours, Id, Month


@public_event(topic=VOLUNTEERS)
@dataclass(frozen=True)
class VolunteerJoined:
    """Wolontariusz dołączył do instytucji w edycji (bez danych osobowych)."""

    volunteer_id: Id
    membership_id: Id
    institution_id: Id
    edition_id: Id
    partnership_id: Id | None
    joined_on: datetime.date


@public_event(topic=VOLUNTEERS)
@dataclass(frozen=True)
class VolunteerLeft:
    """Wolontariusz zakończył członkostwo w instytucji w edycji (bez danych osobowych)."""

    volunteer_id: Id
    membership_id: Id
    institution_id: Id
    edition_id: Id
    left_on: datetime.date


@public_event(topic=VOLUNTEERS)
@dataclass(frozen=True)
class VolunteerHoursApproved:
    """Zatwierdzono godziny wolontariatu z jednego miesiąca w jednym członkostwie (bez danych osobowych i bez opisu
    zajęć)."""

    entry_id: Id
    volunteer_id: Id
    membership_id: Id
    institution_id: Id
    edition_id: Id
    month: Month
    hours: Hours
