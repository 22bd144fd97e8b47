"""What the load's clients know exists: ids learned from 2xx answers, and the personal data they sent."""

from __future__ import annotations

import dataclasses
import random
import threading

CAPS = [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
        {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}]
KINDS = ("library", "culture_house", "social_welfare_centre", "school", "care_home", "ngo", "other")


@dataclasses.dataclass
class Partnership:
    id: str
    edition_id: str
    institution_ids: list[str]
    mal_ids: list[str]
    mal_required: bool
    requested: int
    status: str = "proposed"
    mal: str = "pending"
    decided: bool = False
    granted: bool = False
    """A grant in force as far as the clients know: granted, not revoked nor settled."""
    granted_amount: int = 0
    settlement: str = ""
    """Its final report: "", "submitted", "returned" or "settled"."""
    proposed_at: float = 0.0


@dataclasses.dataclass
class Entry:
    """A month's hours the clients recorded, and its status as far as they know."""

    id: str
    volunteer: str
    membership: str
    month: str
    status: str = "submitted"
    """"submitted", "approved", "declined", or "decided" (one of the two, by another client)."""


class World:
    """What the clients know exists (ids learned from 2xx answers), and the personal data they sent."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.lock = threading.Lock()
        self.editions: dict[str, dict] = {}
        self.institutions: dict[str, dict] = {}
        self.partnerships: dict[str, Partnership] = {}
        self.volunteers: list[str] = []
        self.memberships: list[tuple[str, str]] = []
        """(volunteer id, membership id) of every joining answered 2xx, until the membership is left or the person erased."""
        self.joined: dict[str, str] = {}
        """Each membership's joining day."""
        self.minors: set[str] = set()
        """Volunteers registered or rectified with a minor's birth date: they join with the guardian's consent."""
        self.hours: dict[str, Entry] = {}
        self.enrolments: list[tuple[str, str]] = []
        """(edition id, institution id) of every enrolment answered 2xx, until it is withdrawn."""
        self.withdrawn: list[tuple[str, str]] = []
        """The enrolments withdrawn since: they get nothing new (409)."""
        self.programmes: set[tuple[str, str]] = set()
        """The enrolments whose programme was adopted: a second one is a 409."""
        self.personal: list[str] = []
        """Every name, e-mail and phone sent: they must never show up in a log or a non-personal answer."""

    def pick(self, rng: random.Random, items, where=None):
        """One of `items` (those `where` accepts), read under the lock: the load's other threads write them meanwhile."""
        with self.lock:
            items = [item for item in items if where is None or where(item)]
        return rng.choice(items) if items else None

    def partnership_editions(self) -> list[dict]:
        return [e for e in self.editions.values() if e["kind"] == "partnership"]

    def enrolment_editions(self) -> list[dict]:
        return [e for e in self.editions.values() if e["kind"] == "enrolment"]

