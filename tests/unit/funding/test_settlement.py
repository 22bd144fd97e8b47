"""A grant's final report: entered, returned and entered again, accepted once; each refusal writes nothing (no I/O)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from infra.errors import Conflict, NotFound, RuleBroken
from services.funding import handlers
from services.funding.commands import (
    AcceptSettlement,
    RejectFunding,
    ReturnSettlement,
    RevokeFunding,
    SubmitSettlement,
)
from tests.support.memory import rule_and_field
from tests.unit.funding.world import uid


def report(partnership_id: str, spent: str = "4800.00", volunteers: int = 12, hours: str = "140.5", **kwargs):
    return SubmitSettlement(partnership_id=partnership_id, spent_amount=Decimal(spent), volunteers_engaged=volunteers,
                            hours=Decimal(hours), submitted_on=datetime.date(2022, 1, 14), **kwargs)


@pytest.fixture
def granted(world) -> str:
    partnership_id = world.case()
    world.grant(partnership_id, "5000.00")
    return partnership_id


def test_an_accepted_report_settles_the_grant_with_what_was_spent_and_what_comes_back(world, granted):
    world.run(report(granted))
    assert world.store.load(granted)[-1].data == {
        "partnership_id": granted, "edition_id": world.facts.cases[granted].edition_id, "spent_amount": "4800.00",
        "volunteers_engaged": 12, "hours": "140.50", "submitted_on": "2022-01-14",
    }
    world.run(AcceptSettlement(granted))
    settled = world.store.load(granted)[-1]
    assert settled.type == "FundingSettled"
    assert {k: settled.data[k] for k in ("granted_amount", "spent_amount", "returned_amount")} == {
        "granted_amount": "5000.00", "spent_amount": "4800.00", "returned_amount": "200.00"}


def test_a_returned_report_may_be_followed_by_a_new_one_and_only_then(world, granted):
    world.run(report(granted, spent="5000.00"))
    assert world.refused(report(granted), Conflict).rule == "settlement_pending"
    assert rule_and_field(world.refused(ReturnSettlement(granted, "  "), RuleBroken)) == ("reason_required", "reason")
    world.run(ReturnSettlement(granted, "Brak faktur za materiały"))
    assert world.refused(AcceptSettlement(granted), Conflict).rule == "no_settlement"
    assert world.refused(ReturnSettlement(granted, "x"), Conflict).rule == "no_settlement"
    world.run(report(granted, spent="4999.99"))
    world.run(AcceptSettlement(granted))
    assert world.history(granted) == [("FundingGranted", 1), ("SettlementSubmitted", 2), ("SettlementReturned", 3),
                                      ("SettlementSubmitted", 4), ("FundingSettled", 5)]
    assert world.store.load(granted)[-1].data["returned_amount"] == "0.01"


def test_no_report_without_a_grant_in_force_and_none_after_settlement(world, granted):
    undecided, rejected = world.case(), world.case()
    world.run(RejectFunding(rejected, "Brak MAL"))
    assert world.refused(report(undecided), Conflict).rule == "not_granted"
    assert world.refused(report(rejected), Conflict).rule == "not_granted"
    assert world.refused(AcceptSettlement(undecided), Conflict).rule == "not_granted"
    assert world.refused(report(uid()), NotFound)
    world.run(report(granted))
    world.run(AcceptSettlement(granted))
    assert world.refused(report(granted), Conflict).rule == "already_settled"
    assert world.refused(AcceptSettlement(granted), Conflict).rule == "already_settled"
    assert world.refused(RevokeFunding(granted, "Za późno"), Conflict).rule == "already_settled"
    handlers.revoke_on_withdrawal(granted, "Rezygnacja", world.uow())  # a settled project is done: nothing to take back
    assert world.history(granted)[-1] == ("FundingSettled", 3)


def test_a_revoked_grant_has_nothing_to_settle_and_its_pending_report_lapses(world, granted):
    world.run(report(granted))
    world.run(RevokeFunding(granted, "Partnerstwo się rozpadło"))
    assert world.refused(AcceptSettlement(granted), Conflict).rule == "revoked"
    assert world.refused(report(granted), Conflict).rule == "revoked"


@pytest.mark.parametrize(("figures", "rule", "field"), [
    ({"spent": "5000.01"}, "over_grant", "spent_amount"),
    ({"spent": "-1.00"}, "spent_negative", "spent_amount"),
    ({"spent": "10.001"}, "amount_precision", "spent_amount"),
    ({"volunteers": -1}, "volunteers_negative", "volunteers_engaged"),
    ({"hours": "-2"}, "hours_invalid", "hours"),
    ({"hours": "1.125"}, "hours_invalid", "hours"),
])
def test_impossible_figures_are_refused_by_field_and_rule(world, granted, figures, rule, field):
    assert rule_and_field(world.refused(report(granted, **figures), RuleBroken)) == (rule, field)
    assert world.history(granted) == [("FundingGranted", 1)]


def test_a_stale_version_is_refused(world, granted):
    assert world.refused(report(granted, expected_version=0), Conflict).rule == "version_mismatch"
    world.run(report(granted, expected_version=1))
    assert world.refused(AcceptSettlement(granted, expected_version=1), Conflict).rule == "version_mismatch"
