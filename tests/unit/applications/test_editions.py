"""Editions: their rules are data, checked when they open; they close once (no I/O)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from contracts.applications import EditionClosed, EditionOpened, GrantCap
from infra.errors import Conflict, RuleBroken
from services.applications.domain.editions import Edition
from tests.unit.applications.domain import AUTUMN_CAPS, edition, opened, rule_of


def test_an_edition_opens_with_its_rules_as_data():
    ed = edition(budget=Decimal("150000.00"))
    [(version, event)] = ed.pull_events()
    assert version == 1 and isinstance(event, EditionOpened)
    assert ed.rules.mal_required and ed.rules.budget == Decimal("150000.00")
    assert ed.rules.cap_for(2).cap == ed.rules.cap_for(3).cap == Decimal("6000.00")
    assert ed.rules.cap_for(4).cap == ed.rules.cap_for(12).cap == Decimal("10000.00")
    assert ed.rules.cap_for(1) is None


@pytest.mark.parametrize(
    "caps, rule",
    [
        ((), "grant_caps_required"),
        ((GrantCap(1, 3, Decimal("6000")),), "grant_caps_min"),
        ((GrantCap(3, 2, Decimal("6000")),), "grant_caps_range"),
        ((GrantCap(2, 4, Decimal("6000")), GrantCap(4, None, Decimal("10000"))), "grant_caps_overlap"),
        ((GrantCap(2, None, Decimal("6000")), GrantCap(4, None, Decimal("10000"))), "grant_caps_overlap"),
    ],
)
def test_a_partnership_edition_needs_sane_cap_brackets(caps, rule):
    with pytest.raises(RuleBroken) as excinfo:
        edition(grant_caps=caps)
    assert rule_of(excinfo) == rule and excinfo.value.field == "grant_caps"


def test_brackets_with_a_gap_are_allowed_and_the_gap_has_no_cap():
    ed = edition(grant_caps=(GrantCap(2, 3, Decimal("6000")), GrantCap(5, None, Decimal("10000"))))
    assert ed.rules.cap_for(4) is None


def test_closing_comes_before_opening_is_refused():
    with pytest.raises(RuleBroken) as excinfo:
        edition(opens_on=datetime.date(2021, 10, 1), closes_on=datetime.date(2021, 9, 1))
    assert rule_of(excinfo) == "dates_order"


@pytest.mark.parametrize("overrides", [{"grant_caps": AUTUMN_CAPS}, {"grant_caps": (), "mal_required": True}])
def test_an_enrolment_edition_has_no_partnership_rules(overrides):
    with pytest.raises(RuleBroken) as excinfo:
        edition(programme="libraries", kind="enrolment", round=None, **overrides)
    assert rule_of(excinfo) == "enrolment_without_partnership_rules"


def test_an_edition_closes_once():
    ed = edition()
    ed.close()
    assert ed.closed and isinstance(ed.pull_events()[-1][1], EditionClosed)
    with pytest.raises(Conflict):
        ed.close()


def test_an_edition_rehydrates_from_its_events():
    event = opened()
    ed = Edition.rehydrate(event.edition_id, [event, EditionClosed(event.edition_id)])
    assert ed.version == 2 and ed.closed and ed.pull_events() == []


@pytest.mark.parametrize(("programme", "kind"), [
    ("partnerships", "enrolment"), ("libraries", "partnership"), ("culture_houses", "partnership"),
    ("care_homes", "partnership"),
])
def test_a_programme_decides_what_kind_of_edition_it_runs(programme, kind):
    rules = {"round": None, "grant_caps": (), "mal_required": False} if kind == "enrolment" else {}
    with pytest.raises(RuleBroken) as excinfo:
        edition(programme=programme, kind=kind, **rules)
    assert (excinfo.value.rule, excinfo.value.field) == ("programme_kind", "kind")
