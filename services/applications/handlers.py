"""One handler per command, each one transaction: load, decide, commit."""

from __future__ import annotations

from contracts.applications import EditionOpened
from infra.bus import Handlers
from infra.errors import Conflict, NotFound, RuleBroken, check_version
from infra.uow import UnitOfWork
from services.applications import commands
from services.applications.domain.editions import Edition
from services.applications.domain.enrolments import Enrolment
from services.applications.domain.institutions import Institution
from services.applications.domain.partnerships import Partnership
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
    """The register holds a name once per district, in any spelling of case and spaces (the institution's own aside)."""
    existing = uow.facts.institution_named(name, district)
    if existing is not None and existing["id"] != institution_id:
        raise Conflict(
            f"W dzielnicy {district} jest już instytucja „{existing['name']}” (id {existing['id']}).",
            rule="duplicate_institution",
            field="name",
        )


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
        facts = uow.facts.institutions([cmd.institution_id]).get(cmd.institution_id)
        enrolment = Enrolment.enrol(edition, facts, cmd.institution_id)
        if uow.aggregates.get(Enrolment, enrolment.id) is not None:
            raise Conflict("Ta instytucja jest już zgłoszona do tej edycji.", rule="already_enrolled")
        uow.aggregates.add(enrolment)
        uow.commit()
    return enrolment.id
