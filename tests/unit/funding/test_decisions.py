"""Granting and rejecting a funding case, and the edition budget, on the domain alone."""

from __future__ import annotations

import dataclasses
import uuid
from decimal import Decimal

import pytest

from contracts.applications import GrantCap
from contracts.funding import FundingGranted, FundingGrantedV1, FundingRejected, GrantInputs, RulesApplied
from infra.errors import Conflict, RuleBroken
from services.funding.domain.budget import EditionBudget, budget_id
from services.funding.domain.cases import FundingCase
from services.funding.domain.events import REGISTRY, BudgetCommitted
from services.funding.domain.rules import FAILED, PENDING, VERIFIED, CaseFacts, EditionRules

EDITION = str(uuid.uuid4())
RULES = EditionRules(EDITION, "Partnerstwa 2021 – tura wiosenna", "partnership", True,
                     (GrantCap(2, 3, Decimal("6000.00")), GrantCap(4, None, Decimal("10000.00"))), None)


def facts(size=3, requested="6000.00", mal_status=VERIFIED, **overrides) -> CaseFacts:
    return CaseFacts(**(dict(partnership_id=str(uuid.uuid4()), edition_id=EDITION, size=size,
                             requested_amount=Decimal(requested), mal_status=mal_status) | overrides))


def granted(case_facts: CaseFacts, amount: str, rules=RULES) -> FundingCase:
    case = FundingCase(case_facts.partnership_id)
    case.grant(case_facts, rules, Decimal(amount))
    return case


def test_a_grant_within_cap_and_request_records_funding_granted_with_the_rules_and_inputs_it_applied():
    f = facts(size=4, requested="9000.00")
    case = granted(f, "8500.00")
    [(version, event)] = case.pull_events()
    assert version == 1
    assert event == FundingGranted(
        partnership_id=f.partnership_id, edition_id=EDITION, amount=Decimal("8500.00"), cap=Decimal("10000.00"),
        rules=RulesApplied(mal_required=True, grant_caps=RULES.grant_caps, budget=None),
        inputs=GrantInputs(partnership_size=4, requested_amount=Decimal("9000.00"), mal_status=VERIFIED,
                           budget_committed_before=None),
    )


def test_a_grant_in_an_edition_with_a_budget_records_what_was_committed_before_it():
    rules = dataclasses.replace(RULES, budget=Decimal("20000.00"))
    case = FundingCase(str(uuid.uuid4()))
    case.grant(facts(), rules, Decimal("5000.00"), Decimal("12000.00"))
    [(_, event)] = case.pull_events()
    assert event.rules.budget == Decimal("20000.00")
    assert event.inputs.budget_committed_before == Decimal("12000.00")


def test_a_v1_grant_from_before_decisions_carried_their_rules_reads_as_v2_with_them_unknown():
    v1 = FundingGrantedV1(str(uuid.uuid4()), EDITION, Decimal("6000.00"), Decimal("6000.00"))
    spec, data = REGISTRY.encode(v1)
    assert spec.version == 1
    upcast = REGISTRY.decode("FundingGranted", 1, data)
    assert isinstance(upcast, FundingGranted)
    assert upcast.amount == Decimal("6000.00") and upcast.rules is None and upcast.inputs is None


@pytest.mark.parametrize("amount", ["6000.00", "5999.99", "0.01"])
def test_a_grant_up_to_the_cap_and_the_request_is_accepted(amount):
    assert granted(facts(), amount).decision.amount == Decimal(amount)


@pytest.mark.parametrize(
    "size, requested, amount, rule",
    [(3, "6000.00", "6000.01", "over_cap"),
     (4, "12000.00", "10000.01", "over_cap"),
     (3, "4000.00", "4000.01", "over_request"),
     (3, "6000.00", "0.00", "amount_positive"),
     (3, "6000.00", "-5.00", "amount_positive"),
     (3, "6000.00", "100.001", "amount_precision")],
)
def test_a_grant_over_the_cap_or_the_request_or_not_positive_breaks_a_rule_on_the_amount(size, requested, amount, rule):
    case = FundingCase(str(uuid.uuid4()))
    with pytest.raises(RuleBroken) as caught:
        case.grant(facts(size=size, requested=requested), RULES, Decimal(amount))
    assert caught.value.rule == rule and caught.value.field == "amount"
    assert case.pull_events() == []


@pytest.mark.parametrize(
    "overrides, rules, rule",
    [(dict(withdrawn=True, withdrawn_reason="Rezygnacja"), RULES, "withdrawn"),
     (dict(mal_status=PENDING), RULES, "mal_not_verified"),
     (dict(mal_status=FAILED, mal_reason="Brak MAL"), RULES, "mal_failed"),
     ({}, None, "edition_unknown")],
)
def test_a_grant_on_a_case_that_is_not_eligible_is_a_conflict_naming_why(overrides, rules, rule):
    case = FundingCase(str(uuid.uuid4()))
    with pytest.raises(Conflict) as caught:
        case.grant(facts(**overrides), rules, Decimal("100.00"))
    assert caught.value.rule == rule
    assert caught.value.message.startswith("Nie można przyznać dofinansowania.")


def test_a_case_is_decided_once():
    f = facts()
    case = FundingCase.rehydrate(f.partnership_id, [FundingGranted(f.partnership_id, EDITION, Decimal("10.00"), Decimal("6000.00"))])
    with pytest.raises(Conflict, match="przyznano 10,00 zł"):
        case.grant(f, RULES, Decimal("10.00"))
    with pytest.raises(Conflict) as caught:
        case.reject(f, "Jednak nie")
    assert caught.value.rule == "already_decided"


@pytest.mark.parametrize("mal_status", [FAILED, PENDING, VERIFIED])
def test_staff_may_reject_a_case_whatever_its_mal_and_the_reason_is_recorded(mal_status):
    f = facts(mal_status=mal_status)
    case = FundingCase(f.partnership_id)
    case.reject(f, "  MAL   nie bierze udziału  ")
    [(_, event)] = case.pull_events()
    assert event == FundingRejected(partnership_id=f.partnership_id, edition_id=EDITION, reason="MAL nie bierze udziału")


def test_a_rejection_needs_a_reason_and_a_case_not_withdrawn():
    with pytest.raises(RuleBroken) as caught:
        FundingCase(str(uuid.uuid4())).reject(facts(), "   ")
    assert (caught.value.rule, caught.value.field) == ("reason_required", "reason")
    with pytest.raises(Conflict) as caught:
        FundingCase(str(uuid.uuid4())).reject(facts(withdrawn=True), "Powód")
    assert caught.value.rule == "withdrawn"


def test_the_budget_takes_commitments_until_the_next_would_overspend_it():
    budget = EditionBudget.of_edition(EDITION)
    limit = Decimal("10000.00")
    budget.commit(str(uuid.uuid4()), Decimal("6000.00"), budget=limit, edition_name="E")
    budget.commit(str(uuid.uuid4()), Decimal("4000.00"), budget=limit, edition_name="E")
    assert budget.remaining(limit) == Decimal("0.00")
    with pytest.raises(RuleBroken) as caught:
        budget.commit(str(uuid.uuid4()), Decimal("0.01"), budget=limit, edition_name="E")
    assert (caught.value.rule, caught.value.field) == ("over_budget", "amount")
    assert "zostało 0,00 zł z 10 000,00 zł" in caught.value.message
    assert [v for v, _ in budget.pull_events()] == [1, 2]


def test_the_budget_is_the_fold_of_its_commitments_under_an_id_derived_from_the_edition():
    events = [BudgetCommitted(EDITION, str(uuid.uuid4()), Decimal("2500.50")) for _ in range(3)]
    budget = EditionBudget.rehydrate(budget_id(EDITION), events)
    assert budget.committed == Decimal("7501.50") and budget.version == 3
    assert budget.id == budget_id(EDITION) != EDITION
    assert budget_id(EDITION) == budget_id(EDITION)


def test_budget_commitments_are_private_events():
    spec = REGISTRY.spec_of(BudgetCommitted(EDITION, str(uuid.uuid4()), Decimal("1.00")))
    assert spec.topic is None and not spec.public
    assert REGISTRY.spec("FundingGranted").public
