"""Institutions: a MAL by kind, names tidied and compared without case or spacing (no I/O)."""

from __future__ import annotations

from contracts.applications import InstitutionRegistered
from services.applications.domain.institutions import Institution, normalised_name
from tests.unit.applications.domain import uid


def test_a_local_activity_centre_is_a_mal_by_definition_and_names_are_tidied():
    institution = Institution.register(uid(), "  MAL   Surma ", "mal", "Ochota", is_mal=False)
    [(_, event)] = institution.pull_events()
    assert isinstance(event, InstitutionRegistered)
    assert event.is_mal and event.name == "MAL Surma"


def test_names_compare_without_case_or_spacing():
    assert normalised_name("Biblioteka  Publiczna  WOLA") == normalised_name("biblioteka publiczna wola")
