"""One handler per command, each one transaction: load, decide, commit."""

from __future__ import annotations

from infra.bus import Handlers
from infra.errors import Conflict, NotFound, check_version
from infra.uow import UnitOfWork
from services.volunteers import access, commands
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
        person = Person.of(cmd.first_name, cmd.last_name, cmd.email, cmd.phone)
        existing = uow.facts.holder_of(person.email)
        if existing is not None:
            # The address is not repeated: messages travel into logs and screenshots.
            raise Conflict(
                f"Ten adres e-mail ma już wolontariusz {existing}. Skorzystaj z istniejącego wpisu.",
                rule="duplicate_email",
                field="email",
            )
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


@handles(commands.EraseVolunteer)
def erase_volunteer(cmd: commands.EraseVolunteer, uow: Uow) -> str:
    """Shreds the key, forgets stored answers about the person and marks the erasure in one transaction.

    Repeating it changes nothing. It takes no expected version: a person's data is erased whatever happened since.
    """
    with uow:
        volunteer = _volunteer(uow, cmd.volunteer_id)
        uow.facts.shred_key(cmd.volunteer_id)
        uow.facts.forget_answers(cmd.volunteer_id)  # a registration's answer holds the data in the clear
        uow.facts.log_access(cmd.volunteer_id, access.ERASED)
        volunteer.erase()
        uow.commit()  # the projection nulls the read model's personal columns in this same transaction
    return cmd.volunteer_id
