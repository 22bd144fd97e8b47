"""The volunteers service's private events: they stay in its own event store, never on a topic.

Personal fields hold ciphertext only (sealed with the volunteer's own key before the event is
recorded), so deleting that key makes them unreadable in the event history too (crypto-shredding).
The public events, VolunteerJoined and VolunteerLeft, live in `contracts.volunteers`.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts import PUBLIC
from contracts.types import Id

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


@REGISTRY.event(topic=None)
@dataclass(frozen=True)
class VolunteerErased:
    volunteer_id: Id
