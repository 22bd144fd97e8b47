"""Blank names, titles and reasons are refused by field before any event (no I/O)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infra.errors import RuleBroken
from services.applications.domain.institutions import Institution
from services.applications.domain.partnerships import Partnership
from tests.unit.applications.domain import edition, facts, propose, uid

BLANK = " \n\u200b "


def test_blank_text_is_refused_by_field_before_any_event():
    refusals = {
        "edition name": lambda: edition(name=BLANK),
        "institution name": lambda: Institution.register(uid(), BLANK, "library", "Wola", False),
        "partnership title": lambda: Partnership.propose(
            uid(), edition=edition(), title=BLANK, lead_institution_id=next(iter(two := facts(2))),
            institution_ids=list(two), requested_amount=Decimal("6000.00"), institutions=two,
        ),
    }
    for what, refused in refusals.items():
        with pytest.raises(RuleBroken) as excinfo:
            refused()
        assert (excinfo.value.rule, excinfo.value.field) == ("text_required", what.split()[-1]), what


def test_a_withdrawal_or_failed_mal_check_needs_a_visible_reason():
    institutions = facts(2)
    partnership = propose(edition(), institutions)
    mal = institutions[next(i for i, f in institutions.items() if f.is_mal)]
    with pytest.raises(RuleBroken) as excinfo:
        partnership.withdraw(BLANK)
    assert (excinfo.value.rule, excinfo.value.field) == ("reason_required", "reason")
    with pytest.raises(RuleBroken) as excinfo:
        partnership.verify_mal(mal, verified=False, reason=BLANK)
    assert (excinfo.value.rule, excinfo.value.field) == ("reason_required", "reason")
    assert partnership.version == 1, "nothing recorded after the proposal"
    partnership.withdraw("  Rezygnacja\n partnera ")
    assert partnership.pull_events()[-1][1].reason == "Rezygnacja partnera"
