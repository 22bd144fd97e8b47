"""Granting and rejecting funding on the in-memory unit of work: rules, conflicts, versions, the lock and the retry."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infra.errors import Conflict, NotFound, RuleBroken
from infra.eventstore.records import ConcurrencyError
from services.funding import handlers
from services.funding.commands import GrantFunding, RejectFunding
from services.funding.domain.budget import budget_id
from services.funding.domain.rules import FAILED, PENDING
from tests.support.memory import Memory, rule_and_field
from tests.unit.funding.world import uid


class Racing:
    """A unit of work whose first commit finds `rival` committed just before it (a concurrent request)."""

    def __init__(self, world: Memory, rival: object) -> None:
        self.commits, self.beaten = 0, 0
        self.uow = uow = world.uow()
        real_commit = uow.commit

        def commit():
            self.commits += 1
            if self.commits == 1:
                world.run(rival)
            try:
                return real_commit()
            except ConcurrencyError:
                self.beaten += 1
                raise

        uow.commit = commit  # type: ignore[method-assign]


# -- grant_funding -----------------------------------------------------------------------------------------------------

def test_a_grant_within_the_cap_stores_funding_granted_with_its_cap(world):
    partnership_id = world.case(size=4, requested="9000.00")
    assert world.grant(partnership_id, "8500.00", expected_version=0) == partnership_id
    decision = world.decision(partnership_id)
    assert (decision["type"], decision["version"]) == ("FundingGranted", 1)
    assert (Decimal(decision["amount"]), Decimal(decision["cap"])) == (Decimal("8500.00"), Decimal("10000.00"))


def test_a_grant_holds_its_editions_decision_lock(world):
    edition_id = world.edition()
    uow = world.uow()
    world.run(GrantFunding(world.case(edition_id), Decimal("6000.00")), uow)
    assert uow.locks.held == [f"funding:decisions:{edition_id}"]


@pytest.mark.parametrize("size, requested, amount, rule", [
    (3, "6000.00", "6000.01", "over_cap"), (4, "20000.00", "10000.01", "over_cap"),
    (3, "4000.00", "4000.01", "over_request"), (3, "6000.00", "0.00", "amount_positive"),
])
def test_a_grant_over_the_cap_or_the_request_breaks_a_rule_on_the_amount(world, size, requested, amount, rule):
    partnership_id = world.case(size=size, requested=requested)
    error = world.refused(GrantFunding(partnership_id, Decimal(amount)), RuleBroken)
    assert rule_and_field(error) == (rule, "amount")


def test_granting_a_case_funding_never_heard_of_is_not_found(world):
    world.refused(GrantFunding(uid(), Decimal("1000.00")), NotFound)


@pytest.mark.parametrize("mal_status, rule", [(PENDING, "mal_not_verified"), (FAILED, "mal_failed")])
def test_a_grant_before_the_mal_is_verified_is_a_conflict(world, mal_status, rule):
    partnership_id = world.case(mal_status=mal_status)
    assert world.refused(GrantFunding(partnership_id, Decimal("1000.00")), Conflict).rule == rule


def test_a_grant_in_an_edition_funding_has_not_learnt_yet_is_a_conflict(world):
    partnership_id = world.case(edition_id=uid())
    assert world.refused(GrantFunding(partnership_id, Decimal("1000.00")), Conflict).rule == "edition_unknown"


def test_grants_commit_the_editions_budget_and_record_what_was_committed_before(world):
    edition_id = world.edition(budget="10000.00")
    first, second = world.case(edition_id), world.case(edition_id)
    world.grant(first, "6000.00")
    world.grant(second, "4000.00")
    assert world.history(budget_id(edition_id)) == [("BudgetCommitted", 1), ("BudgetCommitted", 2)]
    assert Decimal(world.decision(second)["inputs"]["budget_committed_before"]) == Decimal("6000.00")


def test_a_grant_over_the_remaining_budget_is_refused_and_the_case_stays_undecided(world):
    edition_id = world.edition(budget="10000.00")
    world.grant(world.case(edition_id), "6000.00")
    late = world.case(edition_id)
    error = world.refused(GrantFunding(late, Decimal("4000.01")), RuleBroken)
    assert rule_and_field(error) == ("over_budget", "amount") and "4 000,00 zł" in error.message
    assert world.history(late) == []


def test_granting_a_withdrawn_case_is_a_conflict(world):
    partnership_id = world.case(withdrawn=True, withdrawn_reason="Rezygnacja")
    error = world.refused(GrantFunding(partnership_id, Decimal("1000.00")), Conflict)
    assert error.rule == "withdrawn" and "Rezygnacja" in error.message


def test_granting_a_decided_case_is_a_conflict(world):
    partnership_id = world.case()
    world.grant(partnership_id, "5000.00")
    assert world.refused(GrantFunding(partnership_id, Decimal("1000.00")), Conflict).rule == "already_decided"
    assert world.history(partnership_id) == [("FundingGranted", 1)]


def test_a_grant_for_a_stale_version_is_a_version_conflict(world):
    partnership_id = world.case()
    cmd = GrantFunding(partnership_id, Decimal("5000.00"), expected_version=1)
    assert world.refused(cmd, Conflict).rule == "version_mismatch"


def test_a_grant_beaten_to_the_budget_decides_again_on_what_the_other_committed(world):
    edition_id = world.edition(budget="10000.00")
    mine = world.case(edition_id)
    racing = Racing(world, GrantFunding(world.case(edition_id), Decimal("6000.00")))
    world.run(GrantFunding(mine, Decimal("4000.00")), racing.uow)
    assert (racing.beaten, racing.commits) == (1, 2)
    assert world.history(budget_id(edition_id)) == [("BudgetCommitted", 1), ("BudgetCommitted", 2)]
    assert Decimal(world.decision(mine)["inputs"]["budget_committed_before"]) == Decimal("6000.00")


def test_a_grant_beaten_to_the_last_of_the_budget_is_refused_on_the_retry(world):
    edition_id = world.edition(budget="10000.00")
    mine = world.case(edition_id)
    racing = Racing(world, GrantFunding(world.case(edition_id), Decimal("6000.00")))
    with pytest.raises(RuleBroken) as refused:
        world.run(GrantFunding(mine, Decimal("5000.00")), racing.uow)
    assert (refused.value.rule, racing.beaten) == ("over_budget", 1)
    assert world.history(mine) == []


def test_a_decision_beaten_every_time_gives_up_with_a_conflict(world, monkeypatch):
    monkeypatch.setattr(handlers.time, "sleep", lambda seconds: None)
    uow, commits = world.uow(), []

    def beaten():
        commits.append(1)
        raise ConcurrencyError("beaten")

    uow.commit = beaten  # type: ignore[method-assign]
    with pytest.raises(Conflict) as refused:
        world.run(GrantFunding(world.case(), Decimal("1000.00")), uow)
    assert refused.value.rule == "concurrent_change" and len(commits) == handlers.ATTEMPTS


# -- reject_funding ----------------------------------------------------------------------------------------------------

def test_a_rejection_stores_funding_rejected_with_its_reason(world):
    partnership_id = world.case(mal_status=FAILED)
    assert world.run(RejectFunding(partnership_id, "  MAL nie bierze udziału ", expected_version=0)) == partnership_id
    decision = world.decision(partnership_id)
    assert (decision["type"], decision["version"], decision["reason"]) == ("FundingRejected", 1, "MAL nie bierze udziału")


def test_a_rejection_without_a_reason_is_refused(world):
    cmd = RejectFunding(world.case(), "  ")
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("reason_required", "reason")


def test_rejecting_a_case_funding_never_heard_of_is_not_found(world):
    world.refused(RejectFunding(uid(), "Brak MAL"), NotFound)


def test_rejecting_a_withdrawn_case_is_a_conflict(world):
    partnership_id = world.case(withdrawn=True)
    assert world.refused(RejectFunding(partnership_id, "Brak MAL"), Conflict).rule == "withdrawn"


@pytest.mark.parametrize("first", [GrantFunding, RejectFunding])
def test_rejecting_a_decided_case_is_a_conflict(world, first):
    partnership_id = world.case()
    world.run(first(partnership_id, Decimal("1000.00")) if first is GrantFunding else first(partnership_id, "Nie"))
    assert world.refused(RejectFunding(partnership_id, "Brak MAL"), Conflict).rule == "already_decided"


def test_a_rejection_for_a_stale_version_is_a_version_conflict(world):
    cmd = RejectFunding(world.case(), "Brak MAL", expected_version=1)
    assert world.refused(cmd, Conflict).rule == "version_mismatch"


def test_a_rejection_beaten_by_a_grant_decides_again_and_finds_the_case_decided(world):
    partnership_id = world.case()
    racing = Racing(world, GrantFunding(partnership_id, Decimal("5000.00")))
    with pytest.raises(Conflict) as refused:
        world.run(RejectFunding(partnership_id, "Brak MAL"), racing.uow)
    assert (refused.value.rule, racing.beaten) == ("already_decided", 1)
    assert world.history(partnership_id) == [("FundingGranted", 1)]
