"""Volunteers join only institutions that take part in the edition: enrolled, or partners of a proposal still standing."""

from __future__ import annotations

import dataclasses

from contracts.applications import InstitutionEnrolled, PartnershipWithdrawn
from tests.integration.volunteers.api import register
from tests.integration.volunteers.conftest import edition_opened, institution_registered, learn, partners


def join(staff, volunteer_id: str, institution, edition):
    return staff.post(f"/api/v1/volunteers/{volunteer_id}/memberships", json={
        "institution_id": institution.institution_id, "edition_id": edition.edition_id, "joined_on": "2019-03-01"})


def test_an_enrolled_library_takes_volunteers_and_a_library_not_enrolled_does_not(volunteers, staff):
    service, _ = volunteers
    libraries = dataclasses.replace(edition_opened(), programme="libraries", kind="enrolment", name="Biblioteki 2019",
                                    round=None, mal_required=False, grant_caps=())
    enrolled, elsewhere = institution_registered(name="Filia nr 4"), institution_registered(name="Filia nr 9")
    learn(service, libraries, enrolled, elsewhere, InstitutionEnrolled(libraries.edition_id, enrolled.institution_id))
    volunteer = register(staff)["id"]
    assert join(staff, volunteer, enrolled, libraries).status_code == 201
    refused = join(staff, volunteer, elsewhere, libraries)
    assert refused.status_code == 422
    assert (refused.get_json()["rule"], list(refused.get_json()["errors"]["json"])) == (
        "institution_not_in_edition", ["institution_id"])
    assert "Filia nr 9" in refused.get_json()["message"] and "Biblioteki 2019" in refused.get_json()["message"]


def test_partners_take_volunteers_until_their_only_partnership_in_the_edition_is_withdrawn(volunteers, staff):
    service, _ = volunteers
    edition, other_edition = edition_opened(), edition_opened(name="Partnerstwa 2022")
    lead, partner, stranger = (institution_registered(name=n) for n in ("Dom Kultury Świt", "Filia nr 2", "Filia nr 3"))
    standing, withdrawn = partners(edition, lead, partner), partners(edition, lead, stranger)
    learn(service, edition, other_edition, lead, partner, stranger, standing, withdrawn,
          PartnershipWithdrawn(withdrawn.partnership_id, edition.edition_id, "Rezygnacja"))
    volunteer = register(staff)["id"]
    assert join(staff, volunteer, partner, edition).status_code == 201
    assert join(staff, volunteer, lead, edition).status_code == 201  # also in the standing one
    assert join(staff, volunteer, stranger, edition).get_json()["rule"] == "institution_not_in_edition"
    assert join(staff, volunteer, partner, other_edition).get_json()["rule"] == "institution_not_in_edition"


def test_the_facts_come_from_a_consumer_group_that_never_dropped_an_enrolment():
    # The group of before volunteers_0002, "volunteers", read every InstitutionEnrolled and dropped it, and its
    # offsets are past them: a new group reads applications' topic from its start, so it learns them all.
    from services.volunteers import spec

    [consumed] = spec.SPEC.consumed
    assert consumed.name == spec.CONSUMER != "volunteers"
