"""A volunteer: registered with sealed personal data (rectified as an event), joins and leaves institutions with the
paperwork each membership needs, has monthly hours recorded and decided, may be erased."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from contracts.volunteers import VolunteerJoined, VolunteerLeft
from infra.errors import Conflict, NotFound, RuleBroken
from infra.eventstore.aggregate import Aggregate
from services.volunteers.domain import paperwork as papers
from services.volunteers.domain.events import (
    MembershipPaperworkRecorded,
    VolunteerErased,
    VolunteerRectified,
    VolunteerRegistered,
)
from services.volunteers.domain.joining import Facts, check_place
from services.volunteers.domain.membership import Membership
from services.volunteers.domain.paperwork import Paperwork
from services.volunteers.domain.personal import Cipher, Person, Sealed, Unreadable, seal, unseal
from services.volunteers.domain.timesheet import Timesheet


class Volunteer(Timesheet, Aggregate):
    """Memberships: at most one active per institution and edition. After erasure, no new memberships.

    An erased volunteer's existing memberships may still end (staff record that the person left), and hours
    recorded before may still be approved or declined, so the edition's counts stay true; nothing else changes
    after erasure (no new memberships, hours, paperwork or corrections).
    """

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.sealed: Sealed | None = None
        self.erased = False
        self.memberships: dict[str, Membership] = {}
        self.hours = {}

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

    @property
    def has_birth_date(self) -> bool:
        """Whether a (sealed) birth date is kept: only then is there an age to open for a rule."""
        return not self.erased and self.sealed is not None and self.sealed.birth_date is not None

    def birth_date(self, cipher: Cipher | None) -> datetime.date | None:
        """The birth date in the clear (None when none is kept, or it cannot be opened)."""
        if not self.has_birth_date:
            return None
        person = self.person(cipher)
        return person.birth_date if person else None

    def join(
        self,
        membership_id: str,
        *,
        institution_id: str,
        edition_id: str,
        partnership_id: str | None,
        joined_on: datetime.date,
        facts: Facts,
        paperwork: Paperwork = papers.NONE,
        cipher: Cipher | None = None,
    ) -> Membership:
        """`paperwork` as recorded on joining (checked by `Paperwork.of`); the birth date, opened with `cipher`,
        says whether the volunteer is a minor, who joins only with the guardian's consent."""
        self._not_erased("nie można dodawać mu członkostw")
        check_place(institution_id, edition_id, partnership_id, facts)
        assert facts.institution is not None and facts.edition is not None  # check_place refuses a place unknown
        for membership in self.active_memberships():
            if membership.institution_id == institution_id and membership.edition_id == edition_id:
                raise Conflict(
                    f"Wolontariusz już działa w instytucji „{facts.institution.name}” w edycji „{facts.edition.name}” "
                    f"(członkostwo {membership.id}). Najpierw zakończ tamto członkostwo.",
                    rule="already_member",
                )
        minor = papers.is_minor(self.birth_date(cipher), joined_on)
        papers.require_consent(minor, paperwork)
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
        if paperwork != papers.NONE or minor:  # nothing recorded is what a membership starts with
            self._record_paperwork(self.memberships[membership_id], paperwork, minor)
        return self.memberships[membership_id]

    def leave(self, membership_id: str, left_on: datetime.date) -> Membership:
        membership = self.membership(membership_id)
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

    def record_paperwork(self, membership_id: str, *, agreement_signed_on: datetime.date | None = None,
                         accident_insurance: bool | None = None, guardian_consent: bool | None = None,
                         today: datetime.date) -> Membership:
        """Mends a membership's paperwork: the items given (not None) change; nothing changed records nothing."""
        self._not_erased("jego członkostw się nie uzupełnia")
        membership = self.membership(membership_id)
        if agreement_signed_on is None and accident_insurance is None and guardian_consent is None:
            raise RuleBroken("Podaj, co uzupełnić: agreement_signed_on, accident_insurance lub guardian_consent.",
                             rule="nothing_to_change")
        paperwork = membership.paperwork.changed(agreement_signed_on=agreement_signed_on,
                                                 accident_insurance=accident_insurance,
                                                 guardian_consent=guardian_consent, today=today)
        if paperwork != membership.paperwork:
            self._record_paperwork(membership, paperwork, membership.minor)
        return self.memberships[membership_id]

    def _record_paperwork(self, membership: Membership, paperwork: Paperwork, minor: bool) -> None:
        self._record(MembershipPaperworkRecorded(
            volunteer_id=self.id, membership_id=membership.id, agreement_signed_on=paperwork.agreement_signed_on,
            accident_insurance=paperwork.accident_insurance, guardian_consent=paperwork.guardian_consent, minor=minor))

    def rectify(self, cipher: Cipher | None, *, today: datetime.date, **changes: object) -> Person | None:
        """Corrects personal data (GDPR art. 16): the fields given (not None) change, every field is sealed anew.

        Gives the person as they now stand, or None when nothing changed (then nothing is recorded). A birth date
        that makes the volunteer a minor on joining, or no longer one, records that for each membership it touches:
        a minor without the guardian's consent then shows as missing it.
        """
        self._not_erased("nie ma czego poprawiać")
        if all(value is None for value in changes.values()):
            raise RuleBroken("Podaj, co poprawić: first_name, last_name, email, phone lub birth_date.",
                             rule="nothing_to_change")
        now = self.person(cipher)
        if now is None:
            raise Conflict("Danych tego wolontariusza nie da się odczytać, więc nie można ich poprawić.",
                           rule="personal_data_unreadable")
        changed = now.with_changes(today=today, **changes)
        if changed == now:
            return None
        assert cipher is not None  # the person opened with it
        self._record(VolunteerRectified(volunteer_id=self.id, **dataclasses.asdict(seal(changed, cipher))))
        for membership in list(self.memberships.values()):
            minor = papers.is_minor(changed.birth_date, membership.joined_on)
            if minor != membership.minor:
                self._record_paperwork(membership, membership.paperwork, minor)
        return changed

    def membership(self, membership_id: str) -> Membership:
        membership = self.memberships.get(membership_id)
        if membership is None:
            raise NotFound(f"Ten wolontariusz nie ma członkostwa {membership_id}.")
        return membership

    def _not_erased(self, so: str) -> None:
        if self.erased:
            raise Conflict(f"Dane tego wolontariusza zostały usunięte na jego żądanie (RODO); {so}.",
                           rule="volunteer_erased")

    def erase(self) -> None:
        """Marks the personal data erased (the caller deletes the key); erasing twice changes nothing."""
        if not self.erased:
            self._record(VolunteerErased(volunteer_id=self.id))

    # -- state --------------------------------------------------------------
    def active_memberships(self) -> Iterable[Membership]:
        return (m for m in self.memberships.values() if m.active)

    def apply(self, event) -> None:
        if isinstance(event, (VolunteerRegistered, VolunteerRectified)):
            self.sealed = Sealed(event.first_name, event.last_name, event.email, event.phone, event.birth_date)
        elif isinstance(event, VolunteerJoined):
            self.memberships[event.membership_id] = Membership(
                event.membership_id, event.institution_id, event.edition_id, event.partnership_id, event.joined_on
            )
        elif isinstance(event, VolunteerLeft):
            self.memberships[event.membership_id] = dataclasses.replace(
                self.memberships[event.membership_id], left_on=event.left_on
            )
        elif isinstance(event, MembershipPaperworkRecorded):
            self.memberships[event.membership_id] = dataclasses.replace(
                self.memberships[event.membership_id], minor=event.minor,
                paperwork=Paperwork(event.agreement_signed_on, event.accident_insurance, event.guardian_consent))
        elif isinstance(event, VolunteerErased):
            self.erased = True
        elif not self.apply_hours(event):
            super().apply(event)
