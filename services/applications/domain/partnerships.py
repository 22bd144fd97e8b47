"""A partnership of institutions proposing a joint initiative in an edition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from contracts.applications import (
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from contracts.vocabulary import EditionKind, MalStatus
from infra.errors import Conflict, RuleBroken
from infra.eventstore.aggregate import Aggregate
from infra.freetext import required_words
from infra.polish import bracket_label, pln
from services.applications.domain.editions import Edition
from services.applications.domain.institutions import InstitutionFacts


def _distinct(ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


class Partnership(Aggregate):
    """Proposed once; MAL-verified by staff; withdrawn at most once, after which nothing changes."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.proposed: PartnershipProposed | None = None
        self.mal_required = False
        self.mal_status = MalStatus.NOT_REQUIRED
        self.withdrawn = False

    @classmethod
    def propose(
        cls,
        partnership_id: str,
        *,
        edition: Edition,
        title: str,
        lead_institution_id: str,
        institution_ids: Sequence[str],
        requested_amount: Decimal,
        institutions: Mapping[str, InstitutionFacts],
    ) -> Partnership:
        """Checks every rule of the edition; `institutions` holds the partners that exist."""
        ids = _distinct(institution_ids)
        rules = edition.rules
        if edition.closed:
            raise RuleBroken(f"Edycja „{edition.name}” jest zamknięta i nie przyjmuje wniosków.",
                             rule="edition_closed", field="edition_id")
        if rules.kind != EditionKind.PARTNERSHIP:
            raise RuleBroken(f"Edycja „{edition.name}” przyjmuje zgłoszenia pojedynczych instytucji, nie partnerstw.",
                             rule="edition_kind", field="edition_id")
        unknown = [i for i in ids if i not in institutions]
        if unknown:
            raise RuleBroken(f"Nieznana instytucja: {', '.join(unknown)}. Najpierw zarejestruj ją w rejestrze instytucji.",
                             rule="unknown_institution", field="institution_ids")
        if lead_institution_id not in ids:
            raise RuleBroken("Instytucja wiodąca musi znajdować się na liście instytucji partnerstwa.",
                             rule="lead_among_partners", field="lead_institution_id")
        if len(ids) < 2:
            raise RuleBroken("Partnerstwo musi tworzyć co najmniej 2 różne instytucje.",
                             rule="min_institutions", field="institution_ids")
        cap = rules.cap_for(len(ids))
        if cap is None:
            raise RuleBroken(f"Edycja „{edition.name}” nie przewiduje dofinansowania dla partnerstwa {len(ids)} instytucji.",
                             rule="no_cap_for_size", field="institution_ids")
        if requested_amount > cap.cap:
            raise RuleBroken(
                f"Wnioskowana kwota {pln(requested_amount)} przekracza limit {pln(cap.cap)} "
                f"dla partnerstwa {bracket_label(cap)}.",
                rule="grant_cap",
                field="requested_amount",
            )
        if rules.mal_required and not any(institutions[i].is_mal for i in ids):
            raise RuleBroken(
                f"W edycji „{edition.name}” jednym z partnerów musi być Miejsce Aktywności Lokalnej (MAL).",
                rule="mal_required",
                field="institution_ids",
            )
        title = required_words(title, field="title", message="Podaj tytuł partnerstwa.")
        partnership = cls(partnership_id)
        partnership._record(
            PartnershipProposed(
                partnership_id=partnership_id,
                edition_id=edition.id,
                title=title,
                lead_institution_id=lead_institution_id,
                institution_ids=ids,
                requested_amount=requested_amount,
            )
        )
        return partnership

    def verify_mal(self, institution: InstitutionFacts | None, *, verified: bool, reason: str | None) -> None:
        """Staff confirm (or not) that the partnership's MAL takes part."""
        self._refuse_if_withdrawn()
        if self.mal_status == MalStatus.VERIFIED:
            raise Conflict("MAL tego partnerstwa został już zweryfikowany.", rule="mal_already_verified")
        assert self.proposed is not None
        if institution is None or institution.id not in self.proposed.institution_ids:
            raise RuleBroken("Weryfikować można tylko MAL, który jest partnerem tego partnerstwa.",
                             rule="mal_not_partner", field="institution_id")
        if not institution.is_mal:
            raise RuleBroken(f"Instytucja „{institution.name}” nie jest Miejscem Aktywności Lokalnej (MAL).",
                             rule="not_a_mal", field="institution_id")
        if verified:
            self._record(MALVerified(partnership_id=self.id, edition_id=self.proposed.edition_id,
                                     institution_id=institution.id))
            return
        reason = required_words(reason, field="reason", message="Podaj powód negatywnej weryfikacji MAL.",
                                rule="reason_required")
        self._record(MALVerificationFailed(partnership_id=self.id, edition_id=self.proposed.edition_id,
                                           reason=reason, institution_id=institution.id))

    def withdraw(self, reason: str) -> None:
        self._refuse_if_withdrawn()
        assert self.proposed is not None
        reason = required_words(reason, field="reason", message="Podaj powód wycofania partnerstwa.",
                                rule="reason_required")
        self._record(PartnershipWithdrawn(partnership_id=self.id, edition_id=self.proposed.edition_id,
                                          reason=reason))

    def _refuse_if_withdrawn(self) -> None:
        if self.withdrawn:
            raise Conflict("Partnerstwo zostało wycofane; nie można go już zmieniać.", rule="withdrawn")

    def apply(self, event) -> None:
        if isinstance(event, PartnershipProposed):
            self.proposed = event
            self.mal_status = MalStatus.PENDING
        elif isinstance(event, MALVerified):
            self.mal_status = MalStatus.VERIFIED
        elif isinstance(event, MALVerificationFailed):
            self.mal_status = MalStatus.FAILED
        elif isinstance(event, PartnershipWithdrawn):
            self.withdrawn = True
        else:
            super().apply(event)
