"""One handler per command, each one transaction: load, decide, commit (again, if beaten to it)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from infra.bus import Handlers
from infra.errors import Conflict, NotFound, check_version
from infra.eventstore.records import ConcurrencyError
from infra.uow import UnitOfWork
from services.funding import commands
from services.funding.domain.budget import EditionBudget, budget_id
from services.funding.domain.cases import FundingCase
from services.funding.domain.rules import CaseFacts
from services.funding.domain.settlement import Report
from services.funding.facts import Facts

HANDLERS = Handlers()
handles = HANDLERS.handles
Uow = UnitOfWork[Facts]
ATTEMPTS = 8
T = TypeVar("T")


def retrying(decide: Callable[[], T]) -> T:
    """Runs a whole decision again when a concurrent one got to the same aggregate version first."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return decide()
        except ConcurrencyError:
            if attempt == ATTEMPTS:
                break
            time.sleep(random.uniform(0.005, 0.02) * attempt)
    raise Conflict(
        "Inna decyzja zapisała się w tym samym momencie i nie udało się ponowić tej. Odśwież dane i spróbuj ponownie.",
        rule="concurrent_change",
    )


def decisions(edition_id: str) -> str:
    """The lock by which decisions in one edition take turns (grants, revocations: the budget's changes).

    Taken before any case's row: whoever holds a row and then asks for it would deadlock with a grant.
    """
    return f"funding:decisions:{edition_id}"


def _case(uow: Uow, partnership_id: str, expected_version: int | None) -> FundingCase:
    case = uow.aggregates.get(FundingCase, partnership_id)
    if case is None:
        case = FundingCase(partnership_id)
        uow.aggregates.add(case)
    check_version(case.version, expected_version, "Sprawa zmieniła się")
    return case


def _facts(uow: Uow, partnership_id: str) -> CaseFacts:
    facts = uow.facts.case(partnership_id)
    if facts is None:
        raise NotFound(f"Nie ma sprawy dofinansowania partnerstwa {partnership_id}.")
    return facts


@handles(commands.GrantFunding)
def grant_funding(cmd: commands.GrantFunding, uow: Uow) -> str:
    return retrying(lambda: _grant(cmd, uow))


def _grant(cmd: commands.GrantFunding, uow: Uow) -> str:
    with uow:
        edition_id = uow.facts.edition_of(cmd.partnership_id)
        if edition_id is None:
            raise NotFound(f"Nie ma sprawy dofinansowania partnerstwa {cmd.partnership_id}.")
        # Decisions in one edition take turns. Correctness does not rest on it (the budget's version does);
        # it spares concurrent grants in one edition a storm of conflicts and retries.
        uow.locks.hold(decisions(edition_id))
        facts = _facts(uow, cmd.partnership_id)
        rules = uow.facts.rules(edition_id)
        case = _case(uow, cmd.partnership_id, cmd.expected_version)
        budget = None
        if rules is not None and rules.budget is not None:
            budget = uow.aggregates.get(EditionBudget, budget_id(edition_id))
            if budget is None:
                budget = EditionBudget.of_edition(edition_id)
                uow.aggregates.add(budget)
        case.grant(facts, rules, cmd.amount, budget.committed if budget is not None else None)
        if budget is not None:
            assert rules is not None and rules.budget is not None, "a budget is kept only under rules that set one"
            budget.commit(cmd.partnership_id, cmd.amount, budget=rules.budget, edition_name=rules.name)
        uow.commit()
    return cmd.partnership_id


@handles(commands.RejectFunding)
def reject_funding(cmd: commands.RejectFunding, uow: Uow) -> str:
    return retrying(lambda: _reject(cmd, uow))


def _reject(cmd: commands.RejectFunding, uow: Uow) -> str:
    with uow:
        facts = _facts(uow, cmd.partnership_id)
        case = _case(uow, cmd.partnership_id, cmd.expected_version)
        case.reject(facts, cmd.reason)
        uow.commit()
    return cmd.partnership_id


@handles(commands.RevokeFunding)
def revoke_funding(cmd: commands.RevokeFunding, uow: Uow) -> str:
    """Staff take a grant back, with a reason (409 unless it is granted and not yet revoked)."""
    return retrying(lambda: _revoke(cmd, uow))


def _revoke(cmd: commands.RevokeFunding, uow: Uow) -> str:
    with uow:
        _take_back(uow, _decided(uow, cmd.partnership_id, cmd.expected_version), cmd.reason)
        uow.commit()
    return cmd.partnership_id


def _decided(uow: Uow, partnership_id: str, expected_version: int | None) -> FundingCase:
    """A case to act on after its decision: 404 when funding knows no such proposal; an undecided one says so itself."""
    case = uow.aggregates.get(FundingCase, partnership_id)
    if case is None:
        if uow.facts.edition_of(partnership_id) is None:
            raise NotFound(f"Nie ma sprawy dofinansowania partnerstwa {partnership_id}.")
        case = FundingCase(partnership_id)  # proposed, not decided: its methods answer 409
    check_version(case.version, expected_version, "Sprawa zmieniła się")
    return case


@handles(commands.SubmitSettlement)
def submit_settlement(cmd: commands.SubmitSettlement, uow: Uow) -> str:
    """Staff enter a granted partnership's final report."""
    with uow:
        _decided(uow, cmd.partnership_id, cmd.expected_version).submit_settlement(Report.of(cmd))
        uow.commit()
    return cmd.partnership_id


@handles(commands.AcceptSettlement)
def accept_settlement(cmd: commands.AcceptSettlement, uow: Uow) -> str:
    """Staff accept the report: FundingSettled, with granted, spent and returned amounts."""
    with uow:
        _decided(uow, cmd.partnership_id, cmd.expected_version).accept_settlement()
        uow.commit()
    return cmd.partnership_id


@handles(commands.ReturnSettlement)
def return_settlement(cmd: commands.ReturnSettlement, uow: Uow) -> str:
    """Staff send the report back for correction, with a reason."""
    with uow:
        _decided(uow, cmd.partnership_id, cmd.expected_version).return_settlement(cmd.reason)
        uow.commit()
    return cmd.partnership_id


def revoke_on_withdrawal(partnership_id: str, reason: str, uow: Uow) -> None:
    """The compensating event: a partnership withdrawn after its grant loses it (nothing, if there is no grant left)."""
    with uow:
        case = uow.aggregates.get(FundingCase, partnership_id)
        if case is None or not case.revocable:  # nothing granted, taken back already, or settled: the project is done
            return
        _take_back(uow, case, f"Partnerstwo wycofało się po przyznaniu dofinansowania ({reason})")
        uow.commit()


def _take_back(uow: Uow, case: FundingCase, reason: str) -> None:
    case.revoke(reason)
    assert case.edition_id is not None
    uow.locks.hold(decisions(case.edition_id))  # the budget changes: decisions in the edition take turns
    budget = uow.aggregates.get(EditionBudget, budget_id(case.edition_id))
    if budget is not None:
        budget.release(case.id)
