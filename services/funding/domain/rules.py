"""Caps and eligibility: pure functions of a case's facts and its edition's rules.

The facts come from the applications service's events (a proposal, its withdrawal, the MAL
verification); the rules from the edition's `EditionOpened`. Closing an edition stops new
proposals in the applications service; it does not stop decisions here: staff decide on
cases after the call for proposals has closed, so a closed edition is no reason to refuse.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from contracts.applications import GrantCap
from contracts.rules import bracket_for
from contracts.vocabulary import MalStatus, Outcome
from infra.polish import pln

PENDING, VERIFIED, FAILED = MalStatus.PENDING, MalStatus.VERIFIED, MalStatus.FAILED  # short names the service already uses
GRANTED, REJECTED = Outcome.GRANTED, Outcome.REJECTED


@dataclasses.dataclass(frozen=True)
class EditionRules:
    """What funding knows of an edition: its rules, from EditionOpened."""

    edition_id: str
    name: str
    kind: str
    mal_required: bool
    grant_caps: tuple[GrantCap, ...]
    budget: Decimal | None
    closed: bool = False

    def bracket_for(self, size: int) -> GrantCap | None:
        """The bracket a partnership of `size` institutions falls in (None when no bracket covers it)."""
        return bracket_for(self.grant_caps, size)


@dataclasses.dataclass(frozen=True)
class CaseFacts:
    """What the applications service told funding about one partnership."""

    partnership_id: str
    edition_id: str
    size: int
    requested_amount: Decimal
    withdrawn: bool = False
    withdrawn_reason: str | None = None
    mal_status: str = MalStatus.PENDING  # a MalStatus, or the same word read back from a row
    mal_reason: str | None = None


@dataclasses.dataclass(frozen=True)
class Decision:
    """The decision staff took on a case, if any."""

    outcome: str  # an Outcome, or the same word read back from a row
    amount: Decimal | None = None
    reason: str | None = None


@dataclasses.dataclass(frozen=True)
class Reason:
    """Why a case cannot be granted now: a machine code and a sentence for staff."""

    code: str
    message: str


@dataclasses.dataclass(frozen=True)
class Assessment:
    """A case's cap and whether it may be granted now; if not, every reason why."""

    bracket: GrantCap | None
    reasons: tuple[Reason, ...]

    @property
    def cap(self) -> Decimal | None:
        return self.bracket.cap if self.bracket is not None else None

    @property
    def eligible(self) -> bool:
        return not self.reasons


def decided_reason(decision: Decision) -> Reason:
    if decision.outcome == Outcome.GRANTED:
        assert decision.amount is not None
        return Reason("already_decided", f"Decyzja już zapadła: przyznano {pln(decision.amount)}.")
    return Reason("already_decided", f"Decyzja już zapadła: odmówiono dofinansowania ({decision.reason}).")


def withdrawn_reason(facts: CaseFacts) -> Reason:
    why = f": {facts.withdrawn_reason}" if facts.withdrawn_reason else ""
    return Reason("withdrawn", f"Partnerstwo zostało wycofane{why}.")


def assess(facts: CaseFacts, rules: EditionRules | None, decision: Decision | None = None) -> Assessment:
    """The cap for the partnership's size and every reason it cannot be granted now."""
    reasons: list[Reason] = []
    if decision is not None:
        reasons.append(decided_reason(decision))
    if facts.withdrawn:
        reasons.append(withdrawn_reason(facts))
    if rules is None:
        reasons.append(Reason(
            "edition_unknown",
            "Edycja jeszcze nieznana: dane edycji (limity, wymóg MAL) jeszcze nie dotarły. Spróbuj za chwilę.",
        ))
        return Assessment(bracket=None, reasons=tuple(reasons))
    bracket = rules.bracket_for(facts.size)
    if bracket is None:
        reasons.append(Reason(
            "no_cap_for_size",
            f"Edycja „{rules.name}” nie przewiduje dofinansowania dla partnerstwa {facts.size} instytucji.",
        ))
    if rules.mal_required:
        if facts.mal_status == MalStatus.FAILED:
            why = f": {facts.mal_reason}" if facts.mal_reason else ""
            reasons.append(Reason("mal_failed", f"Weryfikacja MAL zakończyła się negatywnie{why}."))
        elif facts.mal_status != MalStatus.VERIFIED:
            reasons.append(Reason(
                "mal_not_verified",
                f"MAL nie został jeszcze zweryfikowany, a edycja „{rules.name}” wymaga "
                "Miejsca Aktywności Lokalnej wśród partnerów.",
            ))
    return Assessment(bracket=bracket, reasons=tuple(reasons))
