"""One handler per command, each one transaction: load, decide, commit."""

from __future__ import annotations

from collections.abc import Iterable

from contracts.applications import EditionOpened
from infra.bus import Handlers
from infra.errors import Conflict, NotFound, RuleBroken, check_version
from infra.uow import UnitOfWork
from services.applications import commands
from services.applications.domain.editions import Edition
from services.applications.domain.enrolments import Enrolment, enrolment_id
from services.applications.domain.institutions import Institution, normalised_name
from services.applications.domain.partnerships import Partnership
from services.applications.domain.trainings import Training
from services.applications.facts import Facts

HANDLERS = Handlers()
handles = HANDLERS.handles
Uow = UnitOfWork[Facts]


def _edition(uow: Uow, edition_id: str) -> Edition:
    edition = uow.aggregates.get(Edition, edition_id)
    if edition is None:
        raise NotFound(f"Nie ma edycji {edition_id}.")
    return edition


def _partnership(uow: Uow, partnership_id: str, expected_version: int | None) -> Partnership:
    partnership = uow.aggregates.get(Partnership, partnership_id)
    if partnership is None:
        raise NotFound(f"Nie ma partnerstwa {partnership_id}.")
    check_version(partnership.version, expected_version, "Partnerstwo zmieniło się")
    return partnership


@handles(commands.OpenEdition)
def open_edition(cmd: commands.OpenEdition, uow: Uow) -> str:
    with uow:
        uow.aggregates.add(Edition.open(EditionOpened(**vars(cmd))))  # the command is the rules opening records, by design
        uow.commit()
    return cmd.edition_id


@handles(commands.CloseEdition)
def close_edition(cmd: commands.CloseEdition, uow: Uow) -> str:
    with uow:
        edition = _edition(uow, cmd.edition_id)
        check_version(edition.version, cmd.expected_version, "Edycja zmieniła się")
        edition.close()
        uow.commit()
    return cmd.edition_id


def _refuse_namesake(uow: Uow, name: str, district: str, institution_id: str) -> None:
    """The register holds a name once per district, however it is spelt or folded (the institution's own aside)."""
    # Namesakes take turns: the key is no longer unique in the read model, so two registered at once must not both pass.
    uow.locks.hold(f"institution-name:{district}:{normalised_name(name)}")
    existing = uow.facts.institution_named(name, district)
    if existing is not None and existing["id"] != institution_id:
        raise Conflict(
            f"W dzielnicy {district} jest już instytucja „{existing['name']}” (id {existing['id']}).",
            rule="duplicate_institution",
            field="name",
        )


def _hold_institutions(uow: Uow, ids: Iterable[str]) -> None:
    """Takes turns with a correction of these institutions before their kind or MAL status is read and judged.

    A proposal or enrolment writes only itself, so no version check would see a correction committed meanwhile: it
    could be judged on a kind or MAL status the register had just changed. Taken in one order, so no two wait on each
    other.
    """
    for institution_id in sorted(set(ids)):
        uow.locks.hold(f"institution:{institution_id}")


@handles(commands.RegisterInstitution)
def register_institution(cmd: commands.RegisterInstitution, uow: Uow) -> str:
    with uow:
        _refuse_namesake(uow, cmd.name, cmd.district, cmd.institution_id)
        uow.aggregates.add(Institution.register(cmd.institution_id, cmd.name, cmd.kind, cmd.district, cmd.is_mal))
        uow.commit()
    return cmd.institution_id


@handles(commands.ChangeInstitutionDetails)
def change_institution_details(cmd: commands.ChangeInstitutionDetails, uow: Uow) -> str:
    with uow:
        _hold_institutions(uow, [cmd.institution_id])
        institution = uow.aggregates.get(Institution, cmd.institution_id)
        if institution is None:
            raise NotFound(f"Nie ma instytucji {cmd.institution_id}.")
        check_version(institution.version, cmd.expected_version, "Instytucja zmieniła się")
        changed = institution.correct(name=cmd.name, kind=cmd.kind, district=cmd.district, is_mal=cmd.is_mal)
        if changed is not None:
            _refuse_namesake(uow, changed.name, changed.district, cmd.institution_id)
        uow.commit()  # also when nothing changed: the request's key is claimed all the same
    return cmd.institution_id


@handles(commands.ProposePartnership)
def propose_partnership(cmd: commands.ProposePartnership, uow: Uow) -> str:
    with uow:
        edition = uow.aggregates.get(Edition, cmd.edition_id)
        if edition is None:
            raise RuleBroken(f"Nie ma edycji {cmd.edition_id}.", rule="unknown_edition", field="edition_id")
        _hold_institutions(uow, cmd.institution_ids)
        partnership = Partnership.propose(
            cmd.partnership_id,
            edition=edition,
            title=cmd.title,
            lead_institution_id=cmd.lead_institution_id,
            institution_ids=cmd.institution_ids,
            requested_amount=cmd.requested_amount,
            institutions=uow.facts.institutions(cmd.institution_ids),
        )
        uow.aggregates.add(partnership)
        uow.commit()
    return cmd.partnership_id


@handles(commands.VerifyMAL)
def verify_mal(cmd: commands.VerifyMAL, uow: Uow) -> str:
    with uow:
        partnership = _partnership(uow, cmd.partnership_id, cmd.expected_version)
        # The proposal keeps the MAL facts it was judged on: a correction of the register since then does not count.
        facts = uow.facts.institutions_as_proposed(cmd.partnership_id, [cmd.institution_id]).get(cmd.institution_id)
        partnership.verify_mal(facts, verified=cmd.verified, reason=cmd.reason)
        uow.commit()
    return cmd.partnership_id


@handles(commands.WithdrawPartnership)
def withdraw_partnership(cmd: commands.WithdrawPartnership, uow: Uow) -> str:
    with uow:
        partnership = _partnership(uow, cmd.partnership_id, cmd.expected_version)
        partnership.withdraw(cmd.reason)
        uow.commit()
    return cmd.partnership_id


@handles(commands.EnrolInstitution)
def enrol_institution(cmd: commands.EnrolInstitution, uow: Uow) -> str:
    with uow:
        edition = _edition(uow, cmd.edition_id)
        _hold_institutions(uow, [cmd.institution_id])
        facts = uow.facts.institutions([cmd.institution_id]).get(cmd.institution_id)
        enrolment = Enrolment.enrol(edition, facts, cmd.institution_id)
        existing = uow.aggregates.get(Enrolment, enrolment.id)
        if existing is not None and existing.withdrawn is not None:
            raise Conflict("Ta instytucja wycofała się z tej edycji; nie można zgłosić jej ponownie.", rule="withdrawn")
        if existing is not None:
            raise Conflict("Ta instytucja jest już zgłoszona do tej edycji.", rule="already_enrolled")
        uow.aggregates.add(enrolment)
        uow.commit()
    return enrolment.id


def enrolments_lock(edition_id: str) -> str:
    """The lock by which the changes to an edition's enrolments and its trainings take turns.

    A training reads its institutions' enrolments but writes only itself, so no version check would see a withdrawal
    committed meanwhile: without the lock it could list an institution that had just withdrawn. Taken before any
    enrolment is read.
    """
    return f"applications:enrolments:{edition_id}"


def _enrolment(uow: Uow, edition_id: str, institution_id: str, doing: str) -> tuple[Edition, Enrolment | None, str]:
    """The edition (of enrolments), the institution's enrolment in it if any, and the institution's name, under the lock."""
    uow.locks.hold(enrolments_lock(edition_id))
    edition = _edition(uow, edition_id)
    edition.require_enrolments(doing)
    facts = uow.facts.institutions([institution_id]).get(institution_id)
    return edition, uow.aggregates.get(Enrolment, enrolment_id(edition_id, institution_id)), facts.name if facts else institution_id


def _not_enrolled(name: str, edition: Edition) -> NotFound:
    return NotFound(f"Instytucja „{name}” nie jest zgłoszona do edycji „{edition.name}”.", rule="not_enrolled")


@handles(commands.WithdrawEnrolment)
def withdraw_enrolment(cmd: commands.WithdrawEnrolment, uow: Uow) -> str:
    with uow:
        edition, enrolment, name = _enrolment(uow, cmd.edition_id, cmd.institution_id, "wycofanie instytucji")
        if enrolment is None:
            raise _not_enrolled(name, edition)
        check_version(enrolment.version, cmd.expected_version, "Zgłoszenie zmieniło się")
        enrolment.withdraw(cmd.reason, name)
        uow.commit()
    return enrolment.id


@handles(commands.RecordTraining)
def record_training(cmd: commands.RecordTraining, uow: Uow) -> str:
    with uow:
        uow.locks.hold(enrolments_lock(cmd.edition_id))
        edition = _edition(uow, cmd.edition_id)
        ids = tuple(dict.fromkeys(cmd.institution_ids))
        enrolments = {i: uow.aggregates.get(Enrolment, enrolment_id(cmd.edition_id, i)) for i in ids}
        uow.aggregates.add(Training.hold(
            cmd.training_id, edition=edition, kind=cmd.kind, title=cmd.title, held_on=cmd.held_on, hours=cmd.hours,
            institution_ids=ids, enrolments={i: e for i, e in enrolments.items() if e is not None},
            names={i: f.name for i, f in uow.facts.institutions(ids).items()},
        ))
        uow.commit()
    return cmd.training_id


@handles(commands.RecordMonitoringVisit)
def record_monitoring_visit(cmd: commands.RecordMonitoringVisit, uow: Uow) -> str:
    with uow:
        edition, enrolment, name = _enrolment(uow, cmd.edition_id, cmd.institution_id, "wizyta monitorująca")
        if enrolment is None:
            raise RuleBroken(f"Instytucja „{name}” nie jest zgłoszona do edycji „{edition.name}”: trenerzy odwiedzają tylko "
                             "instytucje zgłoszone do edycji.", rule="not_enrolled", field="institution_id")
        enrolment.visit(edition, cmd.visit_id, cmd.visited_on, cmd.stage, name)
        uow.commit()
    return cmd.visit_id


@handles(commands.AdoptProgramme)
def adopt_programme(cmd: commands.AdoptProgramme, uow: Uow) -> str:
    with uow:
        edition, enrolment, name = _enrolment(uow, cmd.edition_id, cmd.institution_id, "program wolontariatu")
        if enrolment is None:
            raise _not_enrolled(name, edition)
        check_version(enrolment.version, cmd.expected_version, "Zgłoszenie zmieniło się")
        enrolment.adopt_programme(edition, cmd.adopted_on, name)
        uow.commit()
    return enrolment.id
