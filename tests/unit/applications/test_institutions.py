"""Institutions: a MAL by kind, names tidied and compared without case or spacing, corrections in full (no I/O)."""

from __future__ import annotations

from contracts.applications import InstitutionDetailsChanged, InstitutionRegistered
from services.applications.domain.institutions import Institution, normalised_name
from tests.unit.applications.domain import uid


def test_a_local_activity_centre_is_a_mal_by_definition_and_names_are_tidied():
    institution = Institution.register(uid(), "  MAL   Surma ", "mal", "Ochota", is_mal=False)
    [(_, event)] = institution.pull_events()
    assert isinstance(event, InstitutionRegistered)
    assert event.is_mal and event.name == "MAL Surma"


def test_names_compare_without_case_or_spacing():
    assert normalised_name("Biblioteka  Publiczna  WOLA") == normalised_name("biblioteka publiczna wola")


def test_a_correction_records_the_whole_institution_and_one_changing_nothing_records_nothing():
    institution = Institution.rehydrate("i-1", [InstitutionRegistered("i-1", "Biblioteka Wola", "library", "Wola", False)])
    assert institution.correct(name=" Biblioteka  Wola ", district="Wola") is None
    changed = institution.correct(kind="mal")
    assert changed == InstitutionDetailsChanged("i-1", "Biblioteka Wola", "mal", "Wola", True)
    assert institution.pull_events() == [(2, changed)] and institution.details == changed
