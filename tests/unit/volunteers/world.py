"""The volunteers handlers' in-memory world, shared by their unit tests: register, place, join in one line each."""

from __future__ import annotations

import datetime
import uuid

from services.volunteers.commands import JoinInstitution, RegisterVolunteer
from services.volunteers.crypto import VolunteerCipher
from services.volunteers.domain.joining import EditionFacts, InstitutionFacts
from services.volunteers.domain.personal import Person
from services.volunteers.domain.volunteers import Volunteer
from tests.support.memory import Memory

D = datetime.date


def uid() -> str:
    return str(uuid.uuid4())


class Volunteers(Memory):
    def registered(self, email: str = "anna.nowak@example.pl", birth_date: datetime.date | None = None) -> str:
        return self.run(RegisterVolunteer(uid(), "Anna", "Nowak", email, "600 100 200", birth_date))

    def place(self, takes_part: bool = True) -> tuple[str, str]:
        """An institution and an edition the service has learnt of: (institution id, edition id)."""
        institution, edition = InstitutionFacts(uid(), "Filia nr 7"), EditionFacts(uid(), "Biblioteki 2019", False)
        self.facts.institutions[institution.id], self.facts.editions[edition.id] = institution, edition
        if takes_part:
            self.facts.participants.add((edition.id, institution.id))
        return institution.id, edition.id

    def joined(self, volunteer_id: str, on: datetime.date = D(2019, 3, 1), **paperwork) -> str:
        institution_id, edition_id = self.place()
        return self.run(JoinInstitution(volunteer_id, uid(), institution_id, edition_id, on, **paperwork))

    def person(self, volunteer_id: str) -> Person | None:
        """The volunteer's data opened with their key, as the next request would see it."""
        key = next((key for held, key in self.facts.keys.values() if held == volunteer_id), None)
        volunteer = self.get(Volunteer, volunteer_id)
        return volunteer.person(VolunteerCipher(volunteer_id, key) if key else None) if volunteer else None
