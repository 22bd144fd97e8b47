"""Volunteers' monthly hours in the load: recorded, approved or declined, and refusals no other client can turn into a
2xx (a month outside every membership, more hours than the month has, a month approved already, a decision taken
twice)."""

from __future__ import annotations

from tests.support.people import LEFT
from tests.support.recording import Command, Recorder
from tests.support.world import Entry, World

OUTSIDE = "2018-12"
"""Before every membership of the load (they begin on one of `people.JOINED`)."""
TOO_MANY = "745.00"
"""More hours than any month has (31 × 24 = 744)."""


def _months(joined_on: str) -> list[str]:
    """The months of a membership from its joining to the day the load's departures name."""
    year, month = int(joined_on[:4]), int(joined_on[5:7])
    found = []
    while f"{year}-{month:02d}" <= LEFT[:7]:
        found.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


class Hours:
    """What coordinators and staff do with volunteers' hours, on the memberships the clients know of."""

    def __init__(self, recorder: Recorder, world: World) -> None:
        self.recorder = recorder
        self.world = world

    def _submit(self, session, volunteer: str, membership: str, month: str, hours: str, deliberate: bool = False
                ) -> Command:
        return self.recorder.send(session, "volunteers", "POST",
                                  f"/api/v1/volunteers/{volunteer}/memberships/{membership}/hours",
                                  {"month": month, "hours": hours, "activity": "Głośne czytanie"}, action="record_hours",
                                  aggregate_id=volunteer, event_types=("HoursSubmitted",), deliberate=deliberate)

    def record(self, session, rng):
        """A month not yet recorded (as far as the clients know) of a membership still going on."""
        with self.world.lock:
            if not self.world.memberships:
                return None
            volunteer, membership = rng.choice(self.world.memberships)
            taken = {e.month for e in self.world.hours.values() if e.membership == membership and e.status != "declined"}
            free = [m for m in _months(self.world.joined[membership]) if m not in taken]
        if not free:
            return None
        month = rng.choice(free)
        command = self._submit(session, volunteer, membership, month, f"{rng.randrange(1, 120)}.{rng.choice(('00', '50'))}")
        if command.ok:
            with self.world.lock:
                self.world.hours[command.json()["id"]] = Entry(command.json()["id"], volunteer, membership, month)
        return command

    def _decide(self, session, entry: Entry, approve: bool, deliberate: bool = False) -> Command:
        step, body, event = ("approve", {}, "VolunteerHoursApproved") if approve else (
            "decline", {"reason": "Instytucja potwierdziła mniej godzin."}, "HoursDeclined")
        return self.recorder.send(session, "volunteers", "POST", f"/api/v1/volunteers/{entry.volunteer}/hours/{entry.id}/{step}",
                                  body, action=f"{step}_hours", aggregate_id=entry.volunteer, event_types=(event,),
                                  deliberate=deliberate)

    def _entry(self, rng, *statuses: str) -> Entry | None:
        return self.world.pick(rng, self.world.hours.values(), lambda e: e.status in statuses)

    def decide(self, session, rng, approve: bool):
        entry = self._entry(rng, "submitted")
        if entry is None:
            return None
        command = self._decide(session, entry, approve)
        if command.ok or (command.json() or {}).get("rule") == "hours_already_decided":
            with self.world.lock:
                entry.status = ("approved" if approve else "declined") if command.ok else "decided"
        return command

    def approve(self, session, rng):
        return self.decide(session, rng, approve=True)

    def decline(self, session, rng):
        return self.decide(session, rng, approve=False)

    def refused(self, session, rng):
        """One of the refusals: a month outside the membership (422), more hours than the month has (422), a second
        entry for a month approved already (409: an approved entry stays so), or an entry decided again (409)."""
        chance = rng.random()
        approved, decided = self._entry(rng, "approved"), self._entry(rng, "approved", "declined", "decided")
        if chance < 0.25 and approved is not None:
            return self._submit(session, approved.volunteer, approved.membership, approved.month, "4.00", deliberate=True)
        if chance < 0.5 and decided is not None:
            return self._decide(session, decided, approve=rng.random() < 0.5, deliberate=True)
        membership = self.world.pick(rng, self.world.memberships)
        if membership is None:
            return None
        volunteer, membership_id = membership
        if chance < 0.75:
            return self._submit(session, volunteer, membership_id, OUTSIDE, "4.00", deliberate=True)
        return self._submit(session, volunteer, membership_id, rng.choice(_months(self.world.joined[membership_id])),
                            TOO_MANY, deliberate=True)
