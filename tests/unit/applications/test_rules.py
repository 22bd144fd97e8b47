"""Every rule of the applications domain, on the domain alone (no I/O)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from contracts.applications import (
    EditionClosed,
    EditionOpened,
    GrantCap,
    InstitutionEnrolled,
    InstitutionRegistered,
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from infra.errors import Conflict, RuleBroken
from services.applications.domain.editions import Edition
from services.applications.domain.enrolments import Enrolment, enrolment_id
from services.applications.domain.institutions import Institution, InstitutionFacts, normalised_name
from services.applications.domain.partnerships import Partnership

AUTUMN_CAPS = (GrantCap(2, 3, Decimal("6000.00")), GrantCap(4, None, Decimal("10000.00")))


def uid() -> str:
    return str(uuid.uuid4())


def opened(**overrides) -> EditionOpened:
    values = dict(
        edition_id=uid(), programme="partnerships", name="Partnerstwa 2021 – tura jesienna", year=2021,
        round="autumn", kind="partnership", mal_required=True, grant_caps=AUTUMN_CAPS, budget=None,
        opens_on=datetime.date(2021, 9, 1), closes_on=datetime.date(2021, 10, 31),
    )
    values.update(overrides)
    return EditionOpened(**values)


def edition(**overrides) -> Edition:
    return Edition.open(opened(**overrides))


def facts(n: int, mal: int | None = 0) -> dict[str, InstitutionFacts]:
    """n institutions; the one at index `mal` is a MAL (None: no MAL)."""
    found = {}
    for i in range(n):
        fid = uid()
        found[fid] = InstitutionFacts(fid, f"Instytucja {i}", "mal" if i == mal else "library", is_mal=i == mal)
    return found


def propose(ed: Edition, institutions: dict, amount: str = "6000.00", ids=None, lead=None) -> Partnership:
    ids = list(institutions) if ids is None else ids
    return Partnership.propose(
        uid(), edition=ed, title="  Sąsiedzi   razem ", lead_institution_id=lead or ids[0], institution_ids=ids,
        requested_amount=Decimal(amount), institutions=institutions,
    )


def rule_of(excinfo) -> str:
    return excinfo.value.rule


# -- editions ---------------------------------------------------------------------------------

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


# -- institutions -----------------------------------------------------------------------------

def test_a_local_activity_centre_is_a_mal_by_definition_and_names_are_tidied():
    institution = Institution.register(uid(), "  MAL   Surma ", "mal", "Ochota", is_mal=False)
    [(_, event)] = institution.pull_events()
    assert isinstance(event, InstitutionRegistered)
    assert event.is_mal and event.name == "MAL Surma"


def test_names_compare_without_case_or_spacing():
    assert normalised_name("Biblioteka  Publiczna  WOLA") == normalised_name("biblioteka publiczna wola")


# -- partnerships -----------------------------------------------------------------------------

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


# -- enrolments -------------------------------------------------------------------------------

def library_edition() -> Edition:
    return edition(programme="libraries", name="Wolontariat w bibliotekach 2019", year=2019, round=None,
                   kind="enrolment", grant_caps=(), mal_required=False)


def test_a_library_enrols_once_per_edition_by_a_derived_id():
    ed = library_edition()
    branch = InstitutionFacts(uid(), "Filia nr 75", "library", False)
    enrolment = Enrolment.enrol(ed, branch, branch.id)
    assert enrolment.id == enrolment_id(ed.id, branch.id)
    assert isinstance(enrolment.pull_events()[0][1], InstitutionEnrolled)


@pytest.mark.parametrize("case", ["closed", "partnership_edition", "unknown_institution"])
def test_enrolment_rules(case):
    ed = edition() if case == "partnership_edition" else library_edition()
    if case == "closed":
        ed.close()
    branch = None if case == "unknown_institution" else InstitutionFacts(uid(), "Filia", "library", False)
    with pytest.raises(RuleBroken) as excinfo:
        Enrolment.enrol(ed, branch, branch.id if branch else uid())
    assert rule_of(excinfo) == {"closed": "edition_closed", "partnership_edition": "edition_kind",
                                "unknown_institution": "unknown_institution"}[case]


# -- free text --------------------------------------------------------------------------------
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
