"""Enrolments of single institutions in enrolment editions (no I/O)."""

from __future__ import annotations

import pytest

from contracts.applications import InstitutionEnrolled
from infra.errors import RuleBroken
from services.applications.domain.editions import Edition
from services.applications.domain.enrolments import Enrolment, enrolment_id
from services.applications.domain.institutions import InstitutionFacts
from tests.unit.applications.domain import edition, opened, rule_of, uid


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


@pytest.mark.parametrize(("programme", "kind", "welcome"), [
    ("libraries", "library", True), ("libraries", "school", False), ("libraries", "culture_house", False),
    ("culture_houses", "culture_house", True), ("culture_houses", "library", False),
    ("care_homes", "care_home", True), ("care_homes", "social_welfare_centre", False),
])
def test_an_edition_takes_only_the_institutions_its_programme_is_for(programme, kind, welcome):
    ed = edition(programme=programme, name="Wolontariat 2019", year=2019, round=None, kind="enrolment", grant_caps=(),
                 mal_required=False)
    institution = InstitutionFacts(uid(), "Szkoła Podstawowa nr 5", kind, False)
    if welcome:
        assert Enrolment.enrol(ed, institution, institution.id).id == enrolment_id(ed.id, institution.id)
        return
    with pytest.raises(RuleBroken) as excinfo:
        Enrolment.enrol(ed, institution, institution.id)
    assert (excinfo.value.rule, excinfo.value.field) == ("institution_kind", "institution_id")
    assert "zgłaszają się tylko" in excinfo.value.message and "Szkoła Podstawowa nr 5" in excinfo.value.message


def test_an_enrolment_edition_of_a_programme_that_names_no_kinds_still_takes_anyone():
    # Opened before programme and kind were checked together: its enrolments must not start failing.
    old = Edition(uid())
    old.apply(opened(programme="partnerships", kind="enrolment", round=None, grant_caps=(), mal_required=False))
    school = InstitutionFacts(uid(), "Szkoła", "school", False)
    assert Enrolment.enrol(old, school, school.id).id == enrolment_id(old.id, school.id)
