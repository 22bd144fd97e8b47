"""Where a volunteer joins: what this service knows of the institution, the edition and the partnership, from the
applications service's events, and the rules a joining place must meet (no I/O)."""

from __future__ import annotations

import dataclasses

from infra.errors import RuleBroken

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


def check_place(institution_id: str, edition_id: str, partnership_id: str | None, facts: Facts) -> None:
    """The edition and institution are known, and the institution takes part in the edition (or the partnership)."""
    if facts.edition is None or facts.edition.id != edition_id:
        raise RuleBroken(f"Nieznana edycja {edition_id}. {WAIT_A_MOMENT}", rule="unknown_edition", field="edition_id")
    if facts.institution is None or facts.institution.id != institution_id:
        raise RuleBroken(
            f"Nieznana instytucja {institution_id}. {WAIT_A_MOMENT}", rule="unknown_institution", field="institution_id"
        )
    if partnership_id is not None:
        _check_partnership(partnership_id, facts)
    elif not facts.takes_part:
        raise RuleBroken(
            f"Instytucja „{facts.institution.name}” nie bierze udziału w edycji „{facts.edition.name}”: nie jest do "
            f"niej zgłoszona ani nie należy do żadnego jej partnerstwa. {WAIT_A_MOMENT}",
            rule="institution_not_in_edition", field="institution_id",
        )


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
