"""Taking a grant back: by staff with a reason, or by funding itself when the partnership withdrew (no I/O)."""

from __future__ import annotations

from decimal import Decimal

from infra.errors import Conflict, NotFound, RuleBroken
from services.funding import handlers
from services.funding.commands import RejectFunding, RevokeFunding
from services.funding.domain.budget import EditionBudget, budget_id
from tests.support.memory import rule_and_field
from tests.unit.funding.world import uid


def test_staff_revoke_a_grant_and_its_amount_goes_back_to_the_budget(world):
    edition_id = world.edition(budget="10000.00")
    partnership_id = world.case(edition_id)
    world.grant(partnership_id, "6000.00")
    uow = world.uow()
    world.run(RevokeFunding(partnership_id, "  Projekt   nie ruszył "), uow)
    assert world.history(partnership_id) == [("FundingGranted", 1), ("FundingRevoked", 2)]
    assert world.store.load(partnership_id)[-1].data["reason"] == "Projekt nie ruszył"
    assert world.history(budget_id(edition_id)) == [("BudgetCommitted", 1), ("BudgetReleased", 2)]
    assert uow.locks.held == [f"funding:decisions:{edition_id}"]
    other = world.case(edition_id, size=5, requested="10000.00")
    world.grant(other, "10000.00")  # the whole budget again: the revoked grant no longer counts


def test_only_a_grant_is_revoked_and_only_once(world):
    undecided = world.case()
    assert world.refused(RevokeFunding(undecided, "x"), Conflict).rule == "not_granted"
    rejected = world.case()
    world.run(RejectFunding(rejected, "Brak MAL"))
    assert world.refused(RevokeFunding(rejected, "x"), Conflict).rule == "not_granted"
    granted = world.case()
    world.grant(granted, "5000.00")
    assert rule_and_field(world.refused(RevokeFunding(granted, " "), RuleBroken)) == ("reason_required", "reason")
    assert world.refused(RevokeFunding(granted, "x", expected_version=0), Conflict).rule == "version_mismatch"
    world.run(RevokeFunding(granted, "Rezygnacja"))
    assert world.refused(RevokeFunding(granted, "Rezygnacja"), Conflict).rule == "already_revoked"
    assert world.refused(RevokeFunding(uid(), "x"), NotFound)


def test_a_withdrawal_takes_back_a_grant_once_and_leaves_an_undecided_case_alone(world):
    undecided, granted = world.case(), world.case()
    world.grant(granted, "5000.00")
    handlers.revoke_on_withdrawal(undecided, "Rezygnacja lidera", world.uow())
    assert world.history(undecided) == []
    for _ in range(2):  # the fact may come twice
        handlers.revoke_on_withdrawal(granted, "Rezygnacja lidera", world.uow())
    assert world.history(granted) == [("FundingGranted", 1), ("FundingRevoked", 2)]
    assert "Rezygnacja lidera" in world.store.load(granted)[-1].data["reason"]


def test_a_long_budget_loads_from_its_snapshot_and_still_releases_a_grant_made_before_it(world):
    edition_id = world.edition(budget="1000000.00")
    first, *others = [world.case(edition_id) for _ in range(EditionBudget.snapshot_every + 2)]
    for partnership_id in (first, *others):
        world.grant(partnership_id, "100.00")
    snapshot = world.store.snapshot(budget_id(edition_id))
    assert snapshot.version == EditionBudget.snapshot_every and snapshot.state["grants"][first] == "100.00"
    world.run(RevokeFunding(first, "Rezygnacja"))  # granted before the snapshot: its amount is known from it
    assert world.history(budget_id(edition_id))[-1] == ("BudgetReleased", EditionBudget.snapshot_every + 3)
    budget = world.get(EditionBudget, budget_id(edition_id))
    assert budget.committed == Decimal("100.00") * (EditionBudget.snapshot_every + 1) and first not in budget.grants
    events = [world.registry.decode(e.type, e.schema_version, e.data) for e in world.store.load(budget_id(edition_id))]
    whole = EditionBudget.rehydrate(budget_id(edition_id), events)  # the stream read whole gives the same
    assert (whole.committed, whole.grants) == (budget.committed, budget.grants)
