"""What the volunteers handlers read and keep beside the events: the keys, and what applications told us."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from infra import db, idempotency
from infra.errors import Conflict
from services.volunteers import access, clock, keystore, queries
from services.volunteers.crypto import VolunteerCipher, new_key
from services.volunteers.domain import joining as domain
from services.volunteers.ledger import Ledger


class Facts(Protocol):
    def holder_of(self, email: str) -> str | None:
        """The volunteer registered with this e-mail (not erased), if any."""

    def create_key(self, volunteer_id: str, email: str) -> VolunteerCipher:
        """A new volunteer's key (Conflict if the e-mail was registered meanwhile)."""

    def cipher(self, volunteer_id: str) -> VolunteerCipher | None:
        """The volunteer's key (None once erased), to open their data for a rule (a minor's consent, a correction)."""

    def change_email(self, volunteer_id: str, email: str) -> None:
        """The volunteer's e-mail digest follows a corrected address (Conflict if another volunteer holds it)."""

    def shred_key(self, volunteer_id: str) -> None:
        """The key and e-mail digest gone: the sealed data can never be opened again."""

    def forget_answers(self, volunteer_id: str) -> None:
        """Stored answers to requests about the volunteer forgotten (a registration's answer holds the data)."""

    def remember_erasure(self, volunteer_id: str) -> None:
        """The erasure written to the ledger outside the database (on disk before the erasure commits)."""

    def fold_log(self) -> None:
        """After an erasure's commit: no older copy of the shredded key is left in the database's write-ahead log."""

    def joining(self, institution_id: str, edition_id: str, partnership_id: str | None) -> domain.Facts:
        """What a join needs to know of the institution, the edition and the partnership."""

    def log_access(self, volunteer_id: str, action: str) -> None:
        """Records in the access log that the acting person did `action` to the person's data."""

    def today(self) -> datetime.date:
        """The day the rules are judged on."""


@dataclasses.dataclass
class SqlFacts:
    session: Session
    ledger: Ledger
    fold: bool = True
    """False inside a transaction that goes on after the handler (a checkpoint would wait for it)."""

    def holder_of(self, email: str) -> str | None:
        return keystore.holder_of(self.session, email)

    def create_key(self, volunteer_id: str, email: str) -> VolunteerCipher:
        return keystore.create(self.session, volunteer_id, email)

    def cipher(self, volunteer_id: str) -> VolunteerCipher | None:
        return keystore.cipher(self.session, volunteer_id)

    def change_email(self, volunteer_id: str, email: str) -> None:
        keystore.change_email(self.session, volunteer_id, email)

    def shred_key(self, volunteer_id: str) -> None:
        keystore.shred(self.session, volunteer_id)

    def forget_answers(self, volunteer_id: str) -> None:
        idempotency.forget(self.session, volunteer_id)

    def remember_erasure(self, volunteer_id: str) -> None:
        self.ledger.write(volunteer_id, datetime.datetime.now(datetime.timezone.utc))

    def fold_log(self) -> None:
        if self.fold:
            db.fold_log(self.session.get_bind().engine)

    def joining(self, institution_id: str, edition_id: str, partnership_id: str | None) -> domain.Facts:
        return queries.facts(self.session, institution_id, edition_id, partnership_id)

    def log_access(self, volunteer_id: str, action: str) -> None:
        access.record(self.session, [volunteer_id], action)

    def today(self) -> datetime.date:
        return clock.today()


@dataclasses.dataclass
class MemoryFacts:
    """Keys by e-mail and what a join would learn, for handlers' unit tests."""

    keys: dict[str, tuple[str, bytes]] = dataclasses.field(default_factory=dict)
    """e-mail (lower case) → (volunteer id, key)"""
    forgotten: list[str] = dataclasses.field(default_factory=list)
    ledger: list[str] = dataclasses.field(default_factory=list)
    """the erased ids, as the erasure ledger would keep them"""
    institutions: dict[str, domain.InstitutionFacts] = dataclasses.field(default_factory=dict)
    editions: dict[str, domain.EditionFacts] = dataclasses.field(default_factory=dict)
    partnerships: dict[str, domain.PartnershipFacts] = dataclasses.field(default_factory=dict)
    participants: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    """(edition id, institution id) of institutions taking part"""
    accessed: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    """(volunteer id, action) as the access log would record them"""
    day: datetime.date = datetime.date(2021, 12, 1)
    """What `today()` says: tests set the day their rules are judged on."""

    def holder_of(self, email: str) -> str | None:
        held = self.keys.get(email.lower())
        return held[0] if held else None

    def create_key(self, volunteer_id: str, email: str) -> VolunteerCipher:
        if email.lower() in self.keys:
            raise Conflict("Wolontariusz z tym adresem e-mail został właśnie zarejestrowany.", rule="duplicate_email",
                           field="email")
        key = new_key()
        self.keys[email.lower()] = (volunteer_id, key)
        return VolunteerCipher(volunteer_id, key)

    def cipher(self, volunteer_id: str) -> VolunteerCipher | None:
        return next((VolunteerCipher(held, key) for held, key in self.keys.values() if held == volunteer_id), None)

    def change_email(self, volunteer_id: str, email: str) -> None:
        holder = self.holder_of(email)
        if holder is not None and holder != volunteer_id:
            raise Conflict("Ten adres e-mail ma już inny wolontariusz.", rule="duplicate_email", field="email")
        [(old, key)] = [(e, held[1]) for e, held in self.keys.items() if held[0] == volunteer_id]
        del self.keys[old]
        self.keys[email.lower()] = (volunteer_id, key)

    def shred_key(self, volunteer_id: str) -> None:
        self.keys = {e: held for e, held in self.keys.items() if held[0] != volunteer_id}

    def forget_answers(self, volunteer_id: str) -> None:
        self.forgotten.append(volunteer_id)

    def remember_erasure(self, volunteer_id: str) -> None:
        self.ledger.append(volunteer_id)

    def fold_log(self) -> None:
        pass  # no log in memory

    def log_access(self, volunteer_id: str, action: str) -> None:
        self.accessed.append((volunteer_id, action))

    def today(self) -> datetime.date:
        return self.day

    def joining(self, institution_id: str, edition_id: str, partnership_id: str | None) -> domain.Facts:
        return domain.Facts(
            institution=self.institutions.get(institution_id),
            edition=self.editions.get(edition_id),
            partnership=self.partnerships.get(partnership_id) if partnership_id is not None else None,
            takes_part=(edition_id, institution_id) in self.participants,
        )
