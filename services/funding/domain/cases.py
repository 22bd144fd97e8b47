"""A funding case: one per proposed partnership, decided once (granted or rejected), then revoked or settled."""

from __future__ import annotations

from decimal import Decimal

from contracts.funding import (
    FundingGranted,
    FundingRejected,
    FundingRevoked,
    FundingSettled,
    GrantInputs,
    RulesApplied,
    SettlementReturned,
    SettlementSubmitted,
)
from contracts.vocabulary import Outcome
from infra.errors import Conflict, RuleBroken
from infra.eventstore.aggregate import Aggregate
from infra.freetext import required_words
from infra.polish import bracket_label, pln
from services.funding.domain.rules import (
    CaseFacts,
    Decision,
    EditionRules,
    assess,
    decided_reason,
    withdrawn_reason,
)
from services.funding.domain.settlement import Report, check

CENT = Decimal("0.01")


class FundingCase(Aggregate):
    """Its id is the partnership's id; its events are the decision and what follows a grant."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.decision: Decision | None = None
        self.revoked: str | None = None
        """Why the grant was taken back, once it was."""
        self.edition_id: str | None = None
        self.report: Report | None = None
        """The final report awaiting acceptance, if one was submitted and not yet returned."""
        self.settled = False

    def grant(
        self, facts: CaseFacts, rules: EditionRules | None, amount: Decimal, budget_committed_before: Decimal | None = None
    ) -> Decimal:
        """Grants `amount` if the case is eligible and the amount within its cap and request; returns the cap.

        The edition's budget is the EditionBudget's to check: it is shared by every case of the edition.
        The decision records the rules and inputs it applied, so an auditor can re-check it later.
        """
        assessment = assess(facts, rules, self.decision)
        if not assessment.eligible:
            raise Conflict(
                "Nie można przyznać dofinansowania. " + " ".join(r.message for r in assessment.reasons),
                rule=assessment.reasons[0].code,
            )
        assert rules is not None and assessment.bracket is not None
        if amount <= 0:
            raise RuleBroken("Kwota dofinansowania musi być większa od zera.", rule="amount_positive", field="amount")
        if amount != amount.quantize(CENT):
            raise RuleBroken("Kwotę podaj z dokładnością do grosza, np. 5000.00.", rule="amount_precision", field="amount")
        cap = assessment.bracket.cap
        if amount > cap:
            raise RuleBroken(
                f"Kwota {pln(amount)} przekracza limit {pln(cap)} dla partnerstwa "
                f"{bracket_label(assessment.bracket)} w edycji „{rules.name}”.",
                rule="over_cap",
                field="amount",
            )
        if amount > facts.requested_amount:
            raise RuleBroken(
                f"Kwota {pln(amount)} przekracza kwotę, o którą partnerstwo wnioskowało ({pln(facts.requested_amount)}).",
                rule="over_request",
                field="amount",
            )
        self._record(
            FundingGranted(
                partnership_id=self.id,
                edition_id=facts.edition_id,
                amount=amount,
                cap=cap,
                rules=RulesApplied(mal_required=rules.mal_required, grant_caps=rules.grant_caps, budget=rules.budget),
                inputs=GrantInputs(
                    partnership_size=facts.size,
                    requested_amount=facts.requested_amount,
                    mal_status=facts.mal_status,
                    budget_committed_before=budget_committed_before if rules.budget is not None else None,
                ),
            )
        )
        return cap

    def reject(self, facts: CaseFacts, reason: str) -> None:
        """Refuses funding, e.g. because the MAL verification failed; a withdrawn or decided case is closed."""
        if self.decision is not None:
            raise Conflict(decided_reason(self.decision).message, rule="already_decided")
        if facts.withdrawn:
            raise Conflict(withdrawn_reason(facts).message + " Nie ma już o czym decydować.", rule="withdrawn")
        reason = required_words(reason, field="reason", message="Podaj powód odmowy dofinansowania.", rule="reason_required")
        self._record(FundingRejected(partnership_id=self.id, edition_id=facts.edition_id, reason=reason))

    def revoke(self, reason: str) -> Decimal:
        """Takes the grant back (the partnership withdrew, or staff decided so); returns the amount given back."""
        if self.revoked is not None:
            raise Conflict(f"Dofinansowanie już cofnięto: {self.revoked}", rule="already_revoked")
        amount = self._grant_in_force("Cofnąć można tylko przyznane dofinansowanie.")
        reason = required_words(reason, field="reason", message="Podaj powód cofnięcia dofinansowania.", rule="reason_required")
        assert self.edition_id is not None, "a granted case knows its edition"
        self._record(FundingRevoked(partnership_id=self.id, edition_id=self.edition_id, amount=amount, reason=reason))
        return amount

    @property
    def revocable(self) -> bool:
        """Whether a withdrawal still takes something back: a grant in force, not yet settled."""
        granted = self.decision is not None and self.decision.outcome == Outcome.GRANTED
        return granted and self.revoked is None and not self.settled

    def _grant_in_force(self, not_granted: str) -> Decimal:
        """The amount granted, or 409 when there is no grant to act on (none, revoked, or settled already)."""
        if self.revoked is not None:
            raise Conflict(f"Dofinansowanie cofnięto: {self.revoked}", rule="revoked")
        if self.decision is None or self.decision.outcome != Outcome.GRANTED or self.decision.amount is None:
            raise Conflict(not_granted, rule="not_granted")
        if self.settled:
            raise Conflict("Dofinansowanie zostało już rozliczone: sprawa jest zamknięta.", rule="already_settled")
        return self.decision.amount

    def submit_settlement(self, report: Report) -> None:
        """Records the final report of a grant in force (one awaiting acceptance at a time)."""
        granted = self._grant_in_force("Sprawozdanie końcowe składa się tylko z przyznanego dofinansowania.")
        if self.report is not None:
            raise Conflict(
                "Sprawozdanie końcowe czeka już na przyjęcie albo zwrot; nowe można złożyć dopiero po zwrocie.",
                rule="settlement_pending",
            )
        check(report, granted)
        assert self.edition_id is not None
        self._record(SettlementSubmitted(partnership_id=self.id, edition_id=self.edition_id, **report.figures()))

    def _awaiting(self) -> Report:
        self._grant_in_force("Rozliczyć można tylko przyznane dofinansowanie.")
        if self.report is None:
            raise Conflict("Nie ma sprawozdania końcowego czekającego na decyzję.", rule="no_settlement")
        return self.report

    def accept_settlement(self) -> None:
        """Accepts the report: the grant is settled, and what was not spent is to be returned."""
        report = self._awaiting()
        assert self.decision is not None and self.decision.amount is not None and self.edition_id is not None
        granted = self.decision.amount
        self._record(FundingSettled(
            partnership_id=self.id, edition_id=self.edition_id, granted_amount=granted,
            spent_amount=report.spent_amount, returned_amount=granted - report.spent_amount,
        ))

    def return_settlement(self, reason: str) -> None:
        """Sends the report back for correction, with a reason; a new one may follow."""
        self._awaiting()
        reason = required_words(reason, field="reason", message="Podaj powód zwrotu sprawozdania.", rule="reason_required")
        assert self.edition_id is not None
        self._record(SettlementReturned(partnership_id=self.id, edition_id=self.edition_id, reason=reason))

    def apply(self, event) -> None:
        if isinstance(event, FundingRevoked):
            self.revoked, self.report = event.reason, None
        elif isinstance(event, SettlementSubmitted):
            self.report = Report.of(event)
        elif isinstance(event, SettlementReturned):
            self.report = None
        elif isinstance(event, FundingSettled):
            self.report, self.settled = None, True
        elif isinstance(event, FundingGranted):
            self.decision, self.edition_id = Decision(Outcome.GRANTED, amount=event.amount), event.edition_id
        elif isinstance(event, FundingRejected):
            self.decision, self.edition_id = Decision(Outcome.REJECTED, reason=event.reason), event.edition_id
        else:
            super().apply(event)
