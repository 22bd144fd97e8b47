"""Every applications handler on the in-memory unit of work: rules, conflicts and version checks (no I/O)."""

from __future__ import annotations

import datetime

import pytest

from infra.errors import Conflict, NotFound, RuleBroken
from infra.eventstore.records import ConcurrencyError
from services.applications import commands
from services.applications.domain.enrolments import Enrolment, enrolment_id
from tests.support.memory import Memory, rule_and_field
from tests.unit.applications.domain import opened, uid
from tests.unit.applications.world import applications, open_edition


@pytest.fixture
def world() -> Memory:
    return applications()


def library_edition(world: Memory) -> str:
    return open_edition(world, programme="libraries", name="Wolontariat w bibliotekach 2019", year=2019, round=None,
                        kind="enrolment", grant_caps=(), mal_required=False)


# -- open_edition ------------------------------------------------------------------------------------------------------

def test_opening_an_edition_stores_edition_opened_at_version_1(world):
    edition_id = open_edition(world, name="  Partnerstwa   2021 ")
    assert world.history(edition_id) == [("EditionOpened", 1)]
    assert world.store.load(edition_id)[0].data["name"] == "Partnerstwa 2021"


def test_an_edition_closing_before_it_opens_is_refused(world):
    cmd = commands.OpenEdition(**vars(opened(closes_on=datetime.date(2021, 8, 31))))
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("dates_order", "closes_on")


def test_a_partnership_programme_opened_as_an_enrolment_is_refused(world):
    cmd = commands.OpenEdition(**vars(opened(kind="enrolment", grant_caps=(), mal_required=False)))
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("programme_kind", "kind")


def test_opening_the_same_edition_id_twice_is_refused_by_the_store(world):
    cmd = commands.OpenEdition(**vars(opened()))
    world.run(cmd)
    world.refused(cmd, ConcurrencyError)
    assert world.history(cmd.edition_id) == [("EditionOpened", 1)]


# -- close_edition -----------------------------------------------------------------------------------------------------

def test_closing_an_edition_at_its_version_stores_edition_closed(world):
    edition_id = open_edition(world)
    assert world.run(commands.CloseEdition(edition_id, expected_version=1)) == edition_id
    assert world.history(edition_id) == [("EditionOpened", 1), ("EditionClosed", 2)]


def test_closing_at_a_stale_version_is_a_version_conflict(world):
    edition_id = open_edition(world)
    world.run(commands.CloseEdition(edition_id))
    assert world.refused(commands.CloseEdition(edition_id, expected_version=1), Conflict).rule == "version_mismatch"


def test_closing_a_closed_edition_is_a_conflict(world):
    edition_id = open_edition(world)
    world.run(commands.CloseEdition(edition_id))
    assert world.refused(commands.CloseEdition(edition_id, expected_version=2), Conflict).rule == "edition_closed"


def test_closing_an_unknown_edition_is_not_found(world):
    world.refused(commands.CloseEdition(uid()), NotFound)


# -- register_institution ----------------------------------------------------------------------------------------------

def test_registering_an_institution_stores_it_and_a_mal_kind_is_a_mal(world):
    institution_id = uid()
    cmd = commands.RegisterInstitution(institution_id, " MAL  Surma ", "mal", "Ochota", is_mal=False)
    assert world.run(cmd) == institution_id
    [stored] = world.store.load(institution_id)
    assert (stored.type, stored.version) == ("InstitutionRegistered", 1)
    assert (stored.data["name"], stored.data["is_mal"]) == ("MAL Surma", True)


def test_a_name_registered_in_the_district_in_another_spelling_is_a_conflict(world):
    world.facts.add(uid(), "Biblioteka Publiczna Wola", "library", district="Wola")
    cmd = commands.RegisterInstitution(uid(), "biblioteka  PUBLICZNA wola", "library", "Wola", False)
    assert rule_and_field(world.refused(cmd, Conflict)) == ("duplicate_institution", "name")


def test_the_same_name_in_another_district_is_welcome(world):
    world.facts.add(uid(), "Biblioteka Publiczna", "library", district="Wola")
    cmd = commands.RegisterInstitution(uid(), "Biblioteka Publiczna", "library", "Ochota", False)
    world.run(cmd)
    assert world.history(cmd.institution_id) == [("InstitutionRegistered", 1)]


# -- enrol_institution -------------------------------------------------------------------------------------------------

def test_a_library_enrols_under_the_derived_id(world):
    edition_id, branch = library_edition(world), world.facts.add(uid(), "Filia nr 75", "library").id
    assert world.run(commands.EnrolInstitution(edition_id, branch)) == enrolment_id(edition_id, branch)
    assert world.history(enrolment_id(edition_id, branch)) == [("InstitutionEnrolled", 1)]
    assert world.get(Enrolment, enrolment_id(edition_id, branch)).enrolled.institution_id == branch


def test_enrolling_twice_is_a_conflict(world):
    edition_id, branch = library_edition(world), world.facts.add(uid(), "Filia nr 75", "library").id
    world.run(commands.EnrolInstitution(edition_id, branch))
    assert world.refused(commands.EnrolInstitution(edition_id, branch), Conflict).rule == "already_enrolled"


def test_an_institution_of_another_kind_than_the_programme_is_for_is_refused(world):
    edition_id, school = library_edition(world), world.facts.add(uid(), "Szkoła Podstawowa nr 5", "school").id
    error = world.refused(commands.EnrolInstitution(edition_id, school), RuleBroken)
    assert rule_and_field(error) == ("institution_kind", "institution_id")


@pytest.mark.parametrize("case, rule", [("unknown_institution", "unknown_institution"),
                                        ("partnership_edition", "edition_kind"), ("closed", "edition_closed")])
def test_enrolment_rules(world, case, rule):
    edition_id = open_edition(world) if case == "partnership_edition" else library_edition(world)
    if case == "closed":
        world.run(commands.CloseEdition(edition_id))
    branch = uid() if case == "unknown_institution" else world.facts.add(uid(), "Filia", "library").id
    assert world.refused(commands.EnrolInstitution(edition_id, branch), RuleBroken).rule == rule


def test_enrolling_in_an_unknown_edition_is_not_found(world):
    world.refused(commands.EnrolInstitution(uid(), world.facts.add(uid(), "Filia", "library").id), NotFound)
