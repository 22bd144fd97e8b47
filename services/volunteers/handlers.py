"""One handler per command, each one transaction: load, decide, commit."""

from __future__ import annotations

from infra.bus import Handlers
from infra.errors import Conflict, NotFound, check_version
from infra.uow import UnitOfWork
from services.volunteers import access, commands
from services.volunteers.domain.paperwork import Paperwork
from services.volunteers.domain.personal import Person
from services.volunteers.domain.volunteers import Volunteer
from services.volunteers.facts import Facts

HANDLERS = Handlers()
handles = HANDLERS.handles
Uow = UnitOfWork[Facts]


def _volunteer(uow: Uow, volunteer_id: str, expected_version: int | None = None) -> Volunteer:
    volunteer = uow.aggregates.get(Volunteer, volunteer_id)
    if volunteer is None:
        raise NotFound(f"Nie ma wolontariusza {volunteer_id}.")
    check_version(volunteer.version, expected_version, "Dane wolontariusza zmieniły się")
    return volunteer


@handles(commands.RegisterVolunteer)
def register_volunteer(cmd: commands.RegisterVolunteer, uow: Uow) -> str:
    with uow:
        person = Person.of(cmd.first_name, cmd.last_name, cmd.email, cmd.phone, cmd.birth_date, today=uow.facts.today())
        _refuse_taken_email(uow, person.email)
        cipher = uow.facts.create_key(cmd.volunteer_id, person.email)
        uow.facts.log_access(cmd.volunteer_id, access.REGISTERED)
        uow.aggregates.add(Volunteer.register(cmd.volunteer_id, person, cipher))
        uow.commit()
    return cmd.volunteer_id


@handles(commands.JoinInstitution)
def join_institution(cmd: commands.JoinInstitution, uow: Uow) -> str:
    with uow:
        volunteer = _volunteer(uow, cmd.volunteer_id, cmd.expected_version)
        volunteer.join(
            cmd.membership_id,
            institution_id=cmd.institution_id,
            edition_id=cmd.edition_id,
            partnership_id=cmd.partnership_id,
            joined_on=cmd.joined_on,
            facts=uow.facts.joining(cmd.institution_id, cmd.edition_id, cmd.partnership_id),
            paperwork=Paperwork.of(cmd.agreement_signed_on, cmd.accident_insurance, cmd.guardian_consent,
                                   today=uow.facts.today()),
            # the birth date says whether a guardian must consent: the key is read only when there is one
            cipher=uow.facts.cipher(cmd.volunteer_id) if volunteer.has_birth_date else None,
        )
        uow.commit()
    return cmd.membership_id


@handles(commands.LeaveInstitution)
def leave_institution(cmd: commands.LeaveInstitution, uow: Uow) -> str:
    with uow:
        volunteer = _volunteer(uow, cmd.volunteer_id, cmd.expected_version)
        volunteer.leave(cmd.membership_id, cmd.left_on)
        uow.commit()
    return cmd.membership_id


@handles(commands.RecordPaperwork)
def record_paperwork(cmd: commands.RecordPaperwork, uow: Uow) -> str:
    with uow:
        volunteer = _volunteer(uow, cmd.volunteer_id, cmd.expected_version)
        volunteer.record_paperwork(cmd.membership_id, agreement_signed_on=cmd.agreement_signed_on,
                                   accident_insurance=cmd.accident_insurance, guardian_consent=cmd.guardian_consent,
                                   today=uow.facts.today())
        uow.commit()  # also when nothing changed: the request's key is claimed all the same
    return cmd.membership_id


@handles(commands.RectifyVolunteer)
def rectify_volunteer(cmd: commands.RectifyVolunteer, uow: Uow) -> str:
    """Corrects personal data as an event sealed with the person's key; a new e-mail moves its digest too."""
    with uow:
        volunteer = _volunteer(uow, cmd.volunteer_id, cmd.expected_version)
        cipher = uow.facts.cipher(cmd.volunteer_id)
        before = volunteer.person(cipher)
        changed = volunteer.rectify(cipher, today=uow.facts.today(), first_name=cmd.first_name,
                                    last_name=cmd.last_name, email=cmd.email, phone=cmd.phone, birth_date=cmd.birth_date)
        if changed is not None:
            if before is not None and changed.email.casefold() != before.email.casefold():
                _refuse_taken_email(uow, changed.email, cmd.volunteer_id)
                uow.facts.change_email(cmd.volunteer_id, changed.email)
            uow.facts.log_access(cmd.volunteer_id, access.CHANGED)
        uow.commit()
    return cmd.volunteer_id


def _refuse_taken_email(uow: Uow, email: str, volunteer_id: str | None = None) -> None:
    existing = uow.facts.holder_of(email)
    if existing is not None and existing != volunteer_id:
        # The address is not repeated: messages travel into logs and screenshots.
        raise Conflict(
            f"Ten adres e-mail ma już wolontariusz {existing}. Skorzystaj z istniejącego wpisu.",
            rule="duplicate_email",
            field="email",
        )


@handles(commands.SubmitHours)
def submit_hours(cmd: commands.SubmitHours, uow: Uow) -> str:
    with uow:
        volunteer = _volunteer(uow, cmd.volunteer_id, cmd.expected_version)
        volunteer.submit_hours(cmd.entry_id, cmd.membership_id, month=cmd.month, hours=cmd.hours, activity=cmd.activity,
                               today=uow.facts.today())
        uow.commit()
    return cmd.entry_id


@handles(commands.ApproveHours)
def approve_hours(cmd: commands.ApproveHours, uow: Uow) -> str:
    with uow:
        _volunteer(uow, cmd.volunteer_id, cmd.expected_version).approve_hours(cmd.entry_id)
        uow.commit()
    return cmd.entry_id


@handles(commands.DeclineHours)
def decline_hours(cmd: commands.DeclineHours, uow: Uow) -> str:
    with uow:
        _volunteer(uow, cmd.volunteer_id, cmd.expected_version).decline_hours(cmd.entry_id, cmd.reason)
        uow.commit()
    return cmd.entry_id


@handles(commands.EraseVolunteer)
def erase_volunteer(cmd: commands.EraseVolunteer, uow: Uow) -> str:
    """Shreds the key, forgets stored answers about the person and marks the erasure in one transaction.

    Repeating it changes nothing. It takes no expected version: a person's data is erased whatever happened since.
    The erasure is written to the ledger first (a restore may bring the key back: the ledger says to erase again),
    and the write-ahead log is folded after the commit (no page there keeps the key).
    """
    with uow:
        volunteer = _volunteer(uow, cmd.volunteer_id)
        if not volunteer.erased:
            uow.facts.remember_erasure(cmd.volunteer_id)
        uow.facts.shred_key(cmd.volunteer_id)
        uow.facts.forget_answers(cmd.volunteer_id)  # answers kept before they were sealed may hold the data in the clear
        uow.facts.log_access(cmd.volunteer_id, access.ERASED)
        volunteer.erase()
        uow.commit()  # the projection nulls the read model's personal columns in this same transaction
    uow.facts.fold_log()
    return cmd.volunteer_id
