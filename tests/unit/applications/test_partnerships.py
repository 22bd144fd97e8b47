"""Partnerships: every proposal rule, the MAL verification and withdrawal (no I/O)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.applications import (
    GrantCap,
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from infra.errors import Conflict, RuleBroken
from services.applications.domain.institutions import InstitutionFacts
from tests.unit.applications.domain import edition, facts, propose, rule_of, uid


def test_a_valid_proposal_is_recorded_with_distinct_partners_and_a_tidy_title():
    ed = edition()
    partners = facts(3)
    ids = list(partners)
    partnership = propose(ed, partners, ids=ids + [ids[1]])
    [(_, event)] = partnership.pull_events()
    assert isinstance(event, PartnershipProposed)
    assert event.institution_ids == tuple(ids)
    assert event.title == "Sąsiedzi razem"
    assert partnership.mal_status == "pending"


@pytest.mark.parametrize("size, amount", [(2, "6000.00"), (3, "6000.00"), (4, "10000.00"), (7, "10000.00")])
def test_the_cap_follows_the_partnership_size(size, amount):
    propose(edition(), facts(size), amount=amount)
    with pytest.raises(RuleBroken) as excinfo:
        propose(edition(), facts(size), amount=str(Decimal(amount) + Decimal("0.01")))
    assert rule_of(excinfo) == "grant_cap" and excinfo.value.field == "requested_amount"
    assert "zł" in excinfo.value.message


def test_fewer_than_two_distinct_institutions_is_refused():
    partners = facts(1)
    ids = list(partners)
    with pytest.raises(RuleBroken) as excinfo:
        propose(edition(), partners, ids=ids + ids)
    assert rule_of(excinfo) == "min_institutions"


def test_an_unknown_institution_is_refused_by_id():
    partners = facts(2)
    stranger = uid()
    with pytest.raises(RuleBroken) as excinfo:
        propose(edition(), partners, ids=list(partners) + [stranger])
    assert rule_of(excinfo) == "unknown_institution" and stranger in excinfo.value.message


def test_the_lead_must_be_a_partner():
    partners = facts(2)
    with pytest.raises(RuleBroken) as excinfo:
        propose(edition(), partners, lead=uid())
    assert rule_of(excinfo) == "lead_among_partners"


def test_a_closed_edition_takes_no_proposals():
    ed = edition()
    ed.close()
    with pytest.raises(RuleBroken) as excinfo:
        propose(ed, facts(2))
    assert rule_of(excinfo) == "edition_closed"


def test_an_enrolment_edition_takes_no_partnerships():
    ed = edition(programme="libraries", kind="enrolment", round=None, grant_caps=(), mal_required=False)
    with pytest.raises(RuleBroken) as excinfo:
        propose(ed, facts(2))
    assert rule_of(excinfo) == "edition_kind"


def test_a_mal_is_required_only_where_the_edition_says_so():
    with pytest.raises(RuleBroken) as excinfo:
        propose(edition(mal_required=True), facts(3, mal=None))
    assert rule_of(excinfo) == "mal_required"
    propose(edition(mal_required=False), facts(3, mal=None))


def test_a_size_without_a_bracket_is_refused():
    ed = edition(grant_caps=(GrantCap(2, 3, Decimal("6000")),))
    with pytest.raises(RuleBroken) as excinfo:
        propose(ed, facts(4), amount="100.00")
    assert rule_of(excinfo) == "no_cap_for_size"


def proposed_partnership():
    partners = facts(3, mal=1)
    partnership = propose(edition(), partners)
    partnership.pull_events()
    return partnership, partners


def test_staff_verify_the_partnerships_mal():
    partnership, partners = proposed_partnership()
    mal = list(partners.values())[1]
    partnership.verify_mal(mal, verified=True, reason=None)
    assert partnership.mal_status == "verified"
    assert isinstance(partnership.pull_events()[0][1], MALVerified)
    with pytest.raises(Conflict):
        partnership.verify_mal(mal, verified=True, reason=None)


def test_a_failed_verification_needs_a_reason_and_can_later_be_verified():
    partnership, partners = proposed_partnership()
    mal = list(partners.values())[1]
    with pytest.raises(RuleBroken) as excinfo:
        partnership.verify_mal(mal, verified=False, reason="  ")
    assert rule_of(excinfo) == "reason_required"
    partnership.verify_mal(mal, verified=False, reason="Brak porozumienia z MAL")
    assert partnership.mal_status == "failed"
    assert isinstance(partnership.pull_events()[0][1], MALVerificationFailed)
    partnership.verify_mal(mal, verified=True, reason=None)
    assert partnership.mal_status == "verified"


def test_only_a_mal_among_the_partners_can_be_verified():
    partnership, partners = proposed_partnership()
    library = list(partners.values())[0]
    outsider = InstitutionFacts(uid(), "Inny MAL", "mal", True)
    with pytest.raises(RuleBroken) as excinfo:
        partnership.verify_mal(outsider, verified=True, reason=None)
    assert rule_of(excinfo) == "mal_not_partner"
    with pytest.raises(RuleBroken) as excinfo:
        partnership.verify_mal(library, verified=True, reason=None)
    assert rule_of(excinfo) == "not_a_mal"
    with pytest.raises(RuleBroken):
        partnership.verify_mal(None, verified=True, reason=None)


def test_nothing_changes_after_withdrawal():
    partnership, partners = proposed_partnership()
    partnership.withdraw("Partner zrezygnował")
    assert isinstance(partnership.pull_events()[0][1], PartnershipWithdrawn)
    with pytest.raises(Conflict) as excinfo:
        partnership.withdraw("jeszcze raz")
    assert rule_of(excinfo) == "withdrawn"
    with pytest.raises(Conflict):
        partnership.verify_mal(list(partners.values())[1], verified=True, reason=None)
    assert partnership.pull_events() == []
