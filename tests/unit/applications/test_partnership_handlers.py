"""The partnership handlers over the in-memory unit of work: proposing, verifying the MAL, withdrawing."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from infra.errors import Conflict, NotFound, RuleBroken
from services.applications import commands
from services.applications.domain.partnerships import Partnership
from tests.support.memory import Memory, rule_and_field
from tests.unit.applications.domain import uid
from tests.unit.applications.world import applications, open_edition


@pytest.fixture
def world() -> Memory:
    return applications()


@dataclasses.dataclass
class Proposal:
    world: Memory
    edition_id: str
    partners: list[str]
    mal: str

    def command(self, amount: str = "6000.00", partners: list[str] | None = None, **overrides) -> commands.ProposePartnership:
        ids = tuple(self.partners if partners is None else partners)
        values = dict(partnership_id=uid(), edition_id=self.edition_id, title="Sąsiedzi razem",
                      lead_institution_id=ids[0], institution_ids=ids, requested_amount=Decimal(amount))
        return commands.ProposePartnership(**(values | overrides))

    def proposed(self) -> str:
        return self.world.run(self.command())


@pytest.fixture
def proposal(world) -> Proposal:
    """An open partnership edition (MAL required) and three registered partners, the last one a MAL."""
    partners = [world.facts.add(uid(), f"Biblioteka {i}", "library").id for i in range(2)]
    mal = world.facts.add(uid(), "MAL Surma", "mal", is_mal=True).id
    return Proposal(world, open_edition(world), partners + [mal], mal)


# -- propose_partnership -----------------------------------------------------------------------------------------------

def test_a_valid_proposal_stores_partnership_proposed(world, proposal):
    partnership_id = proposal.proposed()
    assert world.history(partnership_id) == [("PartnershipProposed", 1)]
    assert world.store.load(partnership_id)[0].data["institution_ids"] == proposal.partners


def test_a_proposal_in_an_unknown_edition_breaks_a_rule_on_the_edition(world, proposal):
    cmd = proposal.command(edition_id=uid())
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("unknown_edition", "edition_id")


def test_a_proposal_over_the_cap_for_its_size_is_refused(world, proposal):
    cmd = proposal.command(amount="6000.01")
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("grant_cap", "requested_amount")


def test_a_proposal_with_an_unregistered_partner_is_refused(world, proposal):
    stranger = uid()
    error = world.refused(proposal.command(partners=proposal.partners + [stranger]), RuleBroken)
    assert rule_and_field(error) == ("unknown_institution", "institution_ids") and stranger in error.message


def test_a_proposal_without_a_mal_where_the_edition_requires_one_is_refused(world, proposal):
    cmd = proposal.command(partners=proposal.partners[:2])
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("mal_required", "institution_ids")


def test_a_proposal_in_a_closed_edition_is_refused(world, proposal):
    world.run(commands.CloseEdition(proposal.edition_id))
    assert world.refused(proposal.command(), RuleBroken).rule == "edition_closed"


# -- verify_mal --------------------------------------------------------------------------------------------------------

def test_verifying_the_partnerships_mal_stores_mal_verified(world, proposal):
    partnership_id = proposal.proposed()
    world.run(commands.VerifyMAL(partnership_id, proposal.mal, verified=True, expected_version=1))
    assert world.history(partnership_id) == [("PartnershipProposed", 1), ("MALVerified", 2)]
    assert world.get(Partnership, partnership_id).mal_status == "verified"


def test_a_failed_verification_stores_its_reason(world, proposal):
    partnership_id = proposal.proposed()
    world.run(commands.VerifyMAL(partnership_id, proposal.mal, verified=False, reason="  MAL zamknięty "))
    [_, failed] = world.store.load(partnership_id)
    assert (failed.type, failed.version, failed.data["reason"]) == ("MALVerificationFailed", 2, "MAL zamknięty")


def test_a_failed_verification_without_a_reason_is_refused(world, proposal):
    cmd = commands.VerifyMAL(proposal.proposed(), proposal.mal, verified=False, reason=" ")
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("reason_required", "reason")


def test_verifying_an_institution_that_is_not_a_mal_is_refused(world, proposal):
    cmd = commands.VerifyMAL(proposal.proposed(), proposal.partners[0], verified=True)
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("not_a_mal", "institution_id")


def test_verifying_a_mal_that_is_not_a_partner_is_refused(world, proposal):
    outsider = world.facts.add(uid(), "MAL Szczęśliwice", "mal", is_mal=True).id
    cmd = commands.VerifyMAL(proposal.proposed(), outsider, verified=True)
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("mal_not_partner", "institution_id")


def test_verifying_twice_is_a_conflict(world, proposal):
    partnership_id = proposal.proposed()
    world.run(commands.VerifyMAL(partnership_id, proposal.mal, verified=True))
    cmd = commands.VerifyMAL(partnership_id, proposal.mal, verified=True)
    assert world.refused(cmd, Conflict).rule == "mal_already_verified"


def test_verifying_at_a_stale_version_is_a_version_conflict(world, proposal):
    partnership_id = proposal.proposed()
    cmd = commands.VerifyMAL(partnership_id, proposal.mal, verified=True, expected_version=2)
    assert world.refused(cmd, Conflict).rule == "version_mismatch"


def test_verifying_an_unknown_partnership_is_not_found(world, proposal):
    world.refused(commands.VerifyMAL(uid(), proposal.mal, verified=True), NotFound)


# -- withdraw_partnership ----------------------------------------------------------------------------------------------

def test_withdrawing_stores_partnership_withdrawn_and_then_nothing_changes(world, proposal):
    partnership_id = proposal.proposed()
    assert world.run(commands.WithdrawPartnership(partnership_id, "Rezygnacja", expected_version=1)) == partnership_id
    assert world.history(partnership_id) == [("PartnershipProposed", 1), ("PartnershipWithdrawn", 2)]
    assert world.refused(commands.WithdrawPartnership(partnership_id, "Jeszcze raz"), Conflict).rule == "withdrawn"
    cmd = commands.VerifyMAL(partnership_id, proposal.mal, verified=True)
    assert world.refused(cmd, Conflict).rule == "withdrawn"


def test_withdrawing_at_a_stale_version_is_a_version_conflict(world, proposal):
    partnership_id = proposal.proposed()
    world.run(commands.VerifyMAL(partnership_id, proposal.mal, verified=True))
    cmd = commands.WithdrawPartnership(partnership_id, "Rezygnacja", expected_version=1)
    assert world.refused(cmd, Conflict).rule == "version_mismatch"


def test_withdrawing_without_a_reason_is_refused(world, proposal):
    cmd = commands.WithdrawPartnership(proposal.proposed(), "   ")
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("reason_required", "reason")


def test_withdrawing_an_unknown_partnership_is_not_found(world):
    world.refused(commands.WithdrawPartnership(uid(), "Rezygnacja"), NotFound)
