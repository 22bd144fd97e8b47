"""A volunteer: registered once with sealed personal data, joins and leaves institutions, may be erased."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from contracts.volunteers import VolunteerJoined, VolunteerLeft
from infra.errors import Conflict, NotFound, RuleBroken
from infra.eventstore.aggregate import Aggregate
from services.volunteers.domain.events import VolunteerErased, VolunteerRegistered
from services.volunteers.domain.personal import Cipher, Person, Sealed, Unreadable, seal, unseal

WAIT_A_MOMENT = (
    "Jeśli wpis został dopiero co dodany w usłudze wniosków, poczekaj chwilę, aż dotrze tutaj, "
    "i spróbuj ponownie; w przeciwnym razie sprawdź identyfikator."
)


@dataclasses.dataclass(frozen=True)
class InstitutionFacts:
    id: str
    name: str


@dataclasses.dataclass(frozen=True)
class EditionFacts:
    id: str
    name: str
    closed: bool


@dataclasses.dataclass(frozen=True)
class PartnershipFacts:
    id: str
    edition_id: str
    institution_ids: tuple[str, ...]
    withdrawn: bool


@dataclasses.dataclass(frozen=True)
class Facts:
    """What this service knows, from the applications service's events, about where a volunteer joins."""

    institution: InstitutionFacts | None
    edition: EditionFacts | None
    partnership: PartnershipFacts | None = None
    takes_part: bool = False
    """The institution is enrolled in the edition, or a partner of one of its proposals not withdrawn."""


@dataclasses.dataclass(frozen=True)
class Membership:
    id: str
    institution_id: str
    edition_id: str
    partnership_id: str | None
    joined_on: datetime.date
    left_on: datetime.date | None = None

    @property
    def active(self) -> bool:
        return self.left_on is None


class Volunteer(Aggregate):
    """Memberships: at most one active per institution and edition. After erasure, no new memberships.

    An erased volunteer's existing memberships may still end (staff record that the person left),
    so the edition's count of active volunteers stays true; nothing else changes after erasure.
    """

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.sealed: Sealed | None = None
        self.erased = False
        self.memberships: dict[str, Membership] = {}

    # -- decisions ----------------------------------------------------------
    @classmethod
    def register(cls, volunteer_id: str, person: Person, cipher: Cipher) -> Volunteer:
        """Records the person's data sealed with their own key: nothing in the clear is kept."""
        sealed = seal(person, cipher)
        volunteer = cls(volunteer_id)
        volunteer._record(VolunteerRegistered(volunteer_id=volunteer_id, **dataclasses.asdict(sealed)))
        return volunteer

    def person(self, cipher: Cipher | None) -> Person | None:
        """The personal data in the clear, or None once erased (the key is gone)."""
        if self.erased or self.sealed is None:
            return None
        try:
            return unseal(self.sealed, cipher)
        except Unreadable:
            return None

    def join(
        self,
        membership_id: str,
        *,
        institution_id: str,
        edition_id: str,
        partnership_id: str | None,
        joined_on: datetime.date,
        facts: Facts,
    ) -> Membership:
        if self.erased:
            raise Conflict(
                "Dane tego wolontariusza zostały usunięte na jego żądanie (RODO); nie można dodawać mu członkostw.",
                rule="volunteer_erased",
            )
        if facts.edition is None or facts.edition.id != edition_id:
            raise RuleBroken(f"Nieznana edycja {edition_id}. {WAIT_A_MOMENT}", rule="unknown_edition", field="edition_id")
        if facts.institution is None or facts.institution.id != institution_id:
            raise RuleBroken(
                f"Nieznana instytucja {institution_id}. {WAIT_A_MOMENT}", rule="unknown_institution", field="institution_id"
            )
        if partnership_id is not None:
            self._check_partnership(partnership_id, facts)
        elif not facts.takes_part:
            raise RuleBroken(
                f"Instytucja „{facts.institution.name}” nie bierze udziału w edycji „{facts.edition.name}”: nie jest do "
                f"niej zgłoszona ani nie należy do żadnego jej partnerstwa. {WAIT_A_MOMENT}",
                rule="institution_not_in_edition", field="institution_id",
            )
        for membership in self.active_memberships():
            if membership.institution_id == institution_id and membership.edition_id == edition_id:
                raise Conflict(
                    f"Wolontariusz już działa w instytucji „{facts.institution.name}” w edycji „{facts.edition.name}” "
                    f"(członkostwo {membership.id}). Najpierw zakończ tamto członkostwo.",
                    rule="already_member",
                )
        self._record(
            VolunteerJoined(
                volunteer_id=self.id,
                membership_id=membership_id,
                institution_id=institution_id,
                edition_id=edition_id,
                partnership_id=partnership_id,
                joined_on=joined_on,
            )
        )
        return self.memberships[membership_id]

    @staticmethod
    def _check_partnership(partnership_id: str, facts: Facts) -> None:
        partnership = facts.partnership
        assert facts.edition is not None and facts.institution is not None
        if partnership is None or partnership.id != partnership_id:
            raise RuleBroken(
                f"Nieznane partnerstwo {partnership_id}. {WAIT_A_MOMENT}", rule="unknown_partnership", field="partnership_id"
            )
        if partnership.edition_id != facts.edition.id:
            raise RuleBroken(
                f"Partnerstwo {partnership_id} należy do innej edycji niż „{facts.edition.name}”.",
                rule="partnership_in_other_edition",
                field="partnership_id",
            )
        if facts.institution.id not in partnership.institution_ids:
            raise RuleBroken(
                f"Instytucja „{facts.institution.name}” nie jest partnerem partnerstwa {partnership_id}.",
                rule="institution_not_partner",
                field="partnership_id",
            )
        if partnership.withdrawn:
            raise RuleBroken(
                f"Partnerstwo {partnership_id} zostało wycofane; nie można dołączyć do jego inicjatywy.",
                rule="partnership_withdrawn",
                field="partnership_id",
            )

    def leave(self, membership_id: str, left_on: datetime.date) -> Membership:
        membership = self.memberships.get(membership_id)
        if membership is None:
            raise NotFound(f"Ten wolontariusz nie ma członkostwa {membership_id}.")
        if membership.left_on is not None:  # no longer active
            raise Conflict(f"To członkostwo zakończyło się już {membership.left_on.isoformat()}.", rule="already_left")
        if left_on < membership.joined_on:
            raise RuleBroken(
                f"Data odejścia ({left_on.isoformat()}) nie może być wcześniejsza niż data dołączenia "
                f"({membership.joined_on.isoformat()}).",
                rule="left_before_joined",
                field="left_on",
            )
        self._record(
            VolunteerLeft(
                volunteer_id=self.id,
                membership_id=membership_id,
                institution_id=membership.institution_id,
                edition_id=membership.edition_id,
                left_on=left_on,
            )
        )
        return self.memberships[membership_id]

    def erase(self) -> None:
        """Marks the personal data erased (the caller deletes the key); erasing twice changes nothing."""
        if not self.erased:
            self._record(VolunteerErased(volunteer_id=self.id))

    # -- state --------------------------------------------------------------
    def active_memberships(self) -> Iterable[Membership]:
        return (m for m in self.memberships.values() if m.active)

    def apply(self, event) -> None:
        if isinstance(event, VolunteerRegistered):
            self.sealed = Sealed(event.first_name, event.last_name, event.email, event.phone)
        elif isinstance(event, VolunteerJoined):
            self.memberships[event.membership_id] = Membership(
                event.membership_id, event.institution_id, event.edition_id, event.partnership_id, event.joined_on
            )
        elif isinstance(event, VolunteerLeft):
            self.memberships[event.membership_id] = dataclasses.replace(
                self.memberships[event.membership_id], left_on=event.left_on
            )
        elif isinstance(event, VolunteerErased):
            self.erased = True
        else:
            super().apply(event)
