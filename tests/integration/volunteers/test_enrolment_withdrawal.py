"""A library that withdrew from an edition takes no new volunteers there; the memberships made before it left stay."""

from __future__ import annotations

import dataclasses

from contracts.applications import EnrolmentWithdrawn, InstitutionEnrolled
from tests.integration.volunteers.api import register
from tests.integration.volunteers.conftest import edition_opened, institution_registered, learn


def join(staff, volunteer_id: str, institution_id: str, edition_id: str):
    return staff.post(f"/api/v1/volunteers/{volunteer_id}/memberships", json={
        "institution_id": institution_id, "edition_id": edition_id, "joined_on": "2019-03-01"})


def test_a_withdrawn_library_takes_no_new_volunteers_and_keeps_those_it_had(volunteers, staff):
    service, _ = volunteers
    libraries = dataclasses.replace(edition_opened(), programme="libraries", kind="enrolment", name="Biblioteki 2019",
                                    round=None, mal_required=False, grant_caps=())
    leaving = institution_registered(name="Filia nr 7")
    learn(service, libraries, leaving, InstitutionEnrolled(libraries.edition_id, leaving.institution_id))
    early = register(staff)["id"]
    assert join(staff, early, leaving.institution_id, libraries.edition_id).status_code == 201
    withdrawn = EnrolmentWithdrawn(libraries.edition_id, leaving.institution_id, "Filia zamknięta na remont")
    learn(service, withdrawn, withdrawn)  # a repeat changes nothing
    refused = join(staff, register(staff)["id"], leaving.institution_id, libraries.edition_id)
    assert refused.status_code == 422 and refused.get_json()["rule"] == "institution_not_in_edition"
    memberships = staff.get(f"/api/v1/volunteers/{early}").get_json()["memberships"]
    assert [m["institution_id"] for m in memberships] == [leaving.institution_id]
