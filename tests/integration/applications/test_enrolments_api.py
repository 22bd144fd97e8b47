"""Enrolments over HTTP: a library enrols once in an enrolment edition."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.applications.api import assert_error, institution, library_edition, open_edition
from tests.support.apps import event_count


def test_libraries_enrol_once_in_an_enrolment_edition(app, staff):
    edition = library_edition(staff)
    branch = institution(staff, district="Wola")
    enrolled = staff.post(f"/api/v1/editions/{edition['id']}/enrolments", json={"institution_id": branch})
    assert enrolled.status_code == 201
    assert enrolled.get_json()["institution_id"] == branch and enrolled.get_json()["district"] == "Wola"
    assert [e["institution_id"] for e in staff.get(f"/api/v1/editions/{edition['id']}/enrolments").get_json()] == [branch]
    before = event_count(app[0])
    assert_error(staff.post(f"/api/v1/editions/{edition['id']}/enrolments", json={"institution_id": branch}), 409,
                 rule="already_enrolled")
    assert event_count(app[0]) == before


@pytest.mark.parametrize("case, status, rule", [("partnership_edition", 422, "edition_kind"),
                                                ("closed", 422, "edition_closed"),
                                                ("unknown_institution", 422, "unknown_institution")])
def test_enrolment_rules_over_http(staff, case, status, rule):
    edition = open_edition(staff) if case == "partnership_edition" else library_edition(staff)
    if case == "closed":
        staff.post(f"/api/v1/editions/{edition['id']}/close")
    branch = str(uuid.uuid4()) if case == "unknown_institution" else institution(staff)
    assert_error(staff.post(f"/api/v1/editions/{edition['id']}/enrolments", json={"institution_id": branch}), status,
                 rule=rule)
