"""Caps and eligibility of a funding case, from the case's facts and the edition's rules alone."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from contracts.applications import GrantCap
from services.funding.domain.rules import (
    FAILED,
    GRANTED,
    PENDING,
    REJECTED,
    VERIFIED,
    CaseFacts,
    Decision,
    EditionRules,
    assess,
)

EDITION = str(uuid.uuid4())
CAPS_2021 = (GrantCap(2, 3, Decimal("6000.00")), GrantCap(4, None, Decimal("10000.00")))


def rules(mal_required: bool = True, caps=CAPS_2021, budget: Decimal | None = None, closed: bool = False) -> EditionRules:
    return EditionRules(EDITION, "Partnerstwa 2021 – tura jesienna", "partnership", mal_required, caps, budget, closed)


def facts(size: int = 3, mal_status: str = VERIFIED, **overrides) -> CaseFacts:
    values = dict(partnership_id=str(uuid.uuid4()), edition_id=EDITION, size=size,
                  requested_amount=Decimal("6000.00"), mal_status=mal_status)
    return CaseFacts(**(values | overrides))


@pytest.mark.parametrize(
    "size, cap",
    [(2, "6000.00"), (3, "6000.00"), (4, "10000.00"), (5, "10000.00"), (40, "10000.00")],
    ids=["2-lower-edge", "3-upper-edge", "4-next-bracket", "5", "40-open-ended"],
)
def test_the_cap_comes_from_the_bracket_of_the_partnerships_size(size, cap):
    assessment = assess(facts(size), rules())
    assert assessment.cap == Decimal(cap)
    assert assessment.eligible


def test_brackets_given_in_any_order_find_the_same_cap():
    assert assess(facts(4), rules(caps=tuple(reversed(CAPS_2021)))).cap == Decimal("10000.00")


def test_a_size_no_bracket_covers_has_no_cap_and_is_not_eligible():
    closed_brackets = (GrantCap(2, 3, Decimal("6000.00")),)
    assessment = assess(facts(4), rules(caps=closed_brackets))
    assert assessment.cap is None
    assert not assessment.eligible
    assert [r.code for r in assessment.reasons] == ["no_cap_for_size"]
    assert "4 instytucji" in assessment.reasons[0].message


def test_an_unknown_edition_means_no_cap_yet_and_says_so():
    assessment = assess(facts(), None)
    assert assessment.cap is None and not assessment.eligible
    [reason] = assessment.reasons
    assert reason.code == "edition_unknown"
    assert reason.message.startswith("Edycja jeszcze nieznana")


@pytest.mark.parametrize(
    "mal_status, code",
    [(PENDING, "mal_not_verified"), (FAILED, "mal_failed")],
)
def test_where_the_edition_requires_a_mal_only_a_verified_one_makes_the_case_eligible(mal_status, code):
    assessment = assess(facts(mal_status=mal_status, mal_reason="MAL nie uczestniczy w działaniach"), rules())
    assert not assessment.eligible
    assert [r.code for r in assessment.reasons] == [code]
    assert assessment.cap == Decimal("6000.00"), "the cap is shown even when the case is not eligible"
    if mal_status == FAILED:
        assert "MAL nie uczestniczy w działaniach" in assessment.reasons[0].message


@pytest.mark.parametrize("mal_status", [PENDING, FAILED, VERIFIED])
def test_where_the_edition_requires_no_mal_its_verification_does_not_matter(mal_status):
    assert assess(facts(mal_status=mal_status), rules(mal_required=False)).eligible


def test_a_withdrawn_case_is_not_eligible_and_the_reason_names_why_it_was_withdrawn():
    assessment = assess(facts(withdrawn=True, withdrawn_reason="Rezygnacja lidera"), rules())
    assert [r.code for r in assessment.reasons] == ["withdrawn"]
    assert "Rezygnacja lidera" in assessment.reasons[0].message


@pytest.mark.parametrize(
    "decision, words",
    [(Decision(GRANTED, amount=Decimal("5500.00")), "przyznano 5 500,00 zł"),
     (Decision(REJECTED, reason="Brak MAL"), "odmówiono dofinansowania (Brak MAL)")],
)
def test_a_decided_case_is_not_eligible_again(decision, words):
    assessment = assess(facts(), rules(), decision)
    assert [r.code for r in assessment.reasons] == ["already_decided"]
    assert words in assessment.reasons[0].message


def test_every_reason_is_given_at_once():
    assessment = assess(
        facts(size=5, mal_status=PENDING, withdrawn=True, withdrawn_reason="x"),
        rules(caps=(GrantCap(2, 3, Decimal("6000.00")),)),
        Decision(REJECTED, reason="y"),
    )
    assert [r.code for r in assessment.reasons] == ["already_decided", "withdrawn", "no_cap_for_size", "mal_not_verified"]


def test_a_closed_edition_still_allows_decisions():
    assert assess(facts(), rules(closed=True)).eligible
