"""Corrections of the institution register on the in-memory unit of work: the full new state, names still unique per
district, stale versions refused, and proposals keeping the MAL facts they were judged on (no I/O)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infra.errors import Conflict, NotFound, RuleBroken
from services.applications import commands
from tests.support.memory import rule_and_field
from tests.unit.applications.domain import opened, uid
from tests.unit.applications.world import Applications, applications


@pytest.fixture
def world() -> Applications:
    return applications()


def registered(world: Applications, name: str = "Biblioteka Publiczna Wola", kind: str = "library",
               district: str = "Wola", is_mal: bool = False) -> str:
    return world.run(commands.RegisterInstitution(uid(), name, kind, district, is_mal))


def correct(institution_id: str, **changes) -> commands.ChangeInstitutionDetails:
    return commands.ChangeInstitutionDetails(institution_id, **changes)


def details(world: Applications, institution_id: str) -> dict:
    """The latest event's data: the institution as the register holds it."""
    return world.store.load(institution_id)[-1].data


def test_a_correction_stores_the_full_new_state_at_the_next_version(world):
    institution_id = registered(world)
    assert world.run(correct(institution_id, district="Ochota", expected_version=1)) == institution_id
    assert world.history(institution_id) == [("InstitutionRegistered", 1), ("InstitutionDetailsChanged", 2)]
    assert details(world, institution_id) == {"institution_id": institution_id, "name": "Biblioteka Publiczna Wola",
                                              "kind": "library", "district": "Ochota", "is_mal": False}
    assert world.facts.institution_named("Biblioteka Publiczna Wola", "Ochota")["id"] == institution_id


def test_a_correction_at_a_stale_version_is_refused(world):
    institution_id = registered(world)
    world.run(correct(institution_id, name="Biblioteka na Woli", expected_version=1))
    error = world.refused(correct(institution_id, name="Biblioteka Wolska", expected_version=1), Conflict)
    assert error.rule == "version_mismatch" and "wersja 2" in error.message


def test_correcting_an_unknown_institution_is_not_found(world):
    world.refused(correct(uid(), name="Biblioteka"), NotFound)


def test_a_correction_naming_nothing_is_refused(world):
    assert world.refused(correct(registered(world)), RuleBroken).rule == "nothing_to_correct"


def test_a_correction_that_changes_nothing_stores_nothing(world):
    institution_id = registered(world)
    world.run(correct(institution_id, name=" Biblioteka  Publiczna Wola ", kind="library", is_mal=False, expected_version=1))
    assert world.history(institution_id) == [("InstitutionRegistered", 1)]


def test_a_blank_name_is_refused_at_the_name(world):
    assert rule_and_field(world.refused(correct(registered(world), name=" \u200b "), RuleBroken)) == ("text_required", "name")


def test_a_rename_onto_another_institutions_name_in_the_district_is_refused(world):
    registered(world, "Dom Kultury Włochy", "culture_house", "Włochy")
    institution_id = registered(world, "Dom Kultury Okęcie", "culture_house", "Włochy")
    error = world.refused(correct(institution_id, name="dom kultury  WŁOCHY"), Conflict)
    assert rule_and_field(error) == ("duplicate_institution", "name") and "Dom Kultury Włochy" in error.message


def test_a_move_into_a_district_holding_the_name_is_refused_but_another_district_is_welcome(world):
    registered(world, "Biblioteka Publiczna", district="Ochota")
    institution_id = registered(world, "Biblioteka Publiczna", district="Wola")
    assert world.refused(correct(institution_id, district="Ochota"), Conflict).rule == "duplicate_institution"
    world.run(correct(institution_id, district="Bemowo"))
    assert details(world, institution_id)["district"] == "Bemowo"


def test_an_institution_may_respell_its_own_name(world):
    institution_id = registered(world, "biblioteka publiczna wola")
    world.run(correct(institution_id, name="Biblioteka Publiczna Wola"))
    assert details(world, institution_id)["name"] == "Biblioteka Publiczna Wola"


def test_a_mal_kind_is_a_mal_and_cannot_be_corrected_out_of_it_alone(world):
    institution_id = registered(world, "Klub Sąsiedzki Szczęśliwice", "other", "Ochota")
    world.run(correct(institution_id, kind="mal"))
    assert details(world, institution_id)["is_mal"] is True
    assert rule_and_field(world.refused(correct(institution_id, is_mal=False), RuleBroken)) == ("mal_by_kind", "is_mal")
    world.run(correct(institution_id, kind="social_welfare_centre"))  # still runs a MAL until told otherwise
    assert details(world, institution_id)["is_mal"] is True
    world.run(correct(institution_id, is_mal=False))
    assert (details(world, institution_id)["kind"], details(world, institution_id)["is_mal"]) == ("social_welfare_centre", False)


# -- what proposals judge by ---------------------------------------------------------------------------------------------

def _mal_round(world: Applications) -> str:
    return world.run(commands.OpenEdition(**vars(opened())))  # a MAL is required among the partners


def _propose(world: Applications, edition_id: str, ids: list[str]) -> commands.ProposePartnership:
    return commands.ProposePartnership(uid(), edition_id, "Sąsiedzi razem", ids[0], tuple(ids), Decimal("6000.00"))


def test_a_mal_corrected_away_stays_the_mal_of_proposals_made_before_but_not_of_new_ones(world):
    edition_id, library = _mal_round(world), registered(world)
    centre = registered(world, "OPS Wola", "social_welfare_centre", is_mal=True)
    before = world.run(_propose(world, edition_id, [library, centre]))
    world.run(correct(centre, is_mal=False))
    assert world.refused(_propose(world, edition_id, [library, centre]), RuleBroken).rule == "mal_required"
    world.run(commands.VerifyMAL(before, centre, verified=True))
    assert world.history(before) == [("PartnershipProposed", 1), ("MALVerified", 2)]


def test_an_institution_corrected_into_a_mal_counts_for_new_proposals_only(world):
    edition_id, library = _mal_round(world), registered(world)
    mal = registered(world, "MAL Surma", "mal")
    centre = registered(world, "OPS Wola", "social_welfare_centre")
    before = world.run(_propose(world, edition_id, [library, mal, centre]))
    world.run(correct(centre, is_mal=True))
    error = world.refused(commands.VerifyMAL(before, centre, verified=True), RuleBroken)
    assert rule_and_field(error) == ("not_a_mal", "institution_id")
    after = world.run(_propose(world, edition_id, [library, centre]))
    world.run(commands.VerifyMAL(after, centre, verified=True))
    assert world.history(after) == [("PartnershipProposed", 1), ("MALVerified", 2)]
