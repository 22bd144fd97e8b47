"""An enrolment edition's course over HTTP on the real database: trainings, monitoring visits, programmes and
withdrawals, their refusals by name, the enrolments showing where each institution stands, and a withdrawal that a
training racing it cannot overtake."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from infra.errors import Conflict
from services.applications import commands
from tests.integration.applications.api import assert_error, institution, library_edition, open_edition
from tests.support.apps import event_count
from tests.support.races import second_waits


def enrolled(staff, edition_id: str, n: int) -> list[str]:
    ids = [institution(staff, district="Wola") for _ in range(n)]
    for i in ids:
        assert staff.post(f"/api/v1/editions/{edition_id}/enrolments", json={"institution_id": i}).status_code == 201
    return ids


def name_of(staff, institution_id: str) -> str:
    return staff.get(f"/api/v1/institutions/{institution_id}").get_json()["name"]


def training(staff, edition_id, ids, headers=None, **overrides):
    body = {"kind": "training", "title": "Wolontariat w bibliotece: szkolenie wprowadzające", "held_on": "2021-09-15",
            "hours": "6.5", "institution_ids": ids} | overrides
    return staff.post(f"/api/v1/editions/{edition_id}/trainings", json=body, headers=headers or {})


def visit(staff, edition_id, institution_id, **overrides):
    body = {"institution_id": institution_id, "visited_on": "2021-10-04", "stage": "diagnosis"} | overrides
    return staff.post(f"/api/v1/editions/{edition_id}/monitoring-visits", json=body)


def course(edition_id: str, institution_id: str, what: str) -> str:
    return f"/api/v1/editions/{edition_id}/enrolments/{institution_id}/{what}"


def test_an_editions_course_from_the_first_training_to_a_withdrawal(app, staff):
    edition = library_edition(staff)  # opens 2021-09-01
    first, second, third = enrolled(staff, edition["id"], 3)
    held = training(staff, edition["id"], [first, second])
    assert held.status_code == 201, held.get_json()
    body = held.get_json()
    assert uuid.UUID(body["id"]) and body["hours"] == "6.50" and body["kind"] == "training"
    assert sorted(body["institution_ids"]) == sorted([first, second])
    assert {i["name"] for i in body["institutions"]} == {name_of(staff, first), name_of(staff, second)}
    assert staff.get(f"/api/v1/editions/{edition['id']}/trainings").get_json() == [body]

    visited = visit(staff, edition["id"], first, stage="planning")
    assert visited.status_code == 201, visited.get_json()
    assert visited.get_json()["name"] == name_of(staff, first) and visited.get_json()["stage"] == "planning"
    assert staff.get(f"/api/v1/editions/{edition['id']}/monitoring-visits").get_json() == [visited.get_json()]

    adopted = staff.post(course(edition["id"], first, "programme"), json={"adopted_on": "2021-11-30"},
                         headers={"If-Match": '"2"'})
    assert adopted.status_code == 200 and adopted.headers["ETag"] == '"3"'
    assert adopted.get_json()["programme_adopted_on"] == "2021-11-30"
    assert_error(staff.post(course(edition["id"], first, "programme"), json={"adopted_on": "2021-12-01"}), 409,
                 rule="programme_adopted")

    withdrawn = staff.post(course(edition["id"], third, "withdraw"), json={"reason": "Filia zamknięta na remont"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    rows = {e["institution_id"]: e for e in staff.get(f"/api/v1/editions/{edition['id']}/enrolments").get_json()}
    assert (rows[first]["trainings"], rows[first]["monitoring_visits"], rows[first]["last_stage"],
            rows[first]["programme_adopted_on"], rows[first]["status"]) == (1, 1, "planning", "2021-11-30", "enrolled")
    assert (rows[third]["status"], rows[third]["withdrawn_reason"], rows[third]["trainings"]) == (
        "withdrawn", "Filia zamknięta na remont", 0)
    one = staff.get(f"/api/v1/editions/{edition['id']}/enrolments/{third}")
    assert one.get_json() == rows[third] and one.headers["ETag"] == '"2"'

    before = event_count(app[0])
    body = assert_error(training(staff, edition["id"], [second, third]), 409, field="institution_ids", rule="withdrawn")
    assert name_of(staff, third) in body["message"] and name_of(staff, second) not in body["message"]
    assert_error(visit(staff, edition["id"], third), 409, rule="withdrawn")
    assert_error(staff.post(course(edition["id"], third, "programme"), json={"adopted_on": "2021-12-01"}), 409,
                 rule="withdrawn")
    assert_error(staff.post(course(edition["id"], third, "withdraw"), json={"reason": "Znowu"}), 409, rule="withdrawn")
    assert event_count(app[0]) == before


def test_only_enrolled_institutions_attend_or_are_visited_and_are_named(app, staff):
    edition = library_edition(staff)
    (member,) = enrolled(staff, edition["id"], 1)
    outsider = institution(staff)
    before = event_count(app[0])
    body = assert_error(training(staff, edition["id"], [member, outsider]), 422, field="institution_ids",
                        rule="not_enrolled")
    assert name_of(staff, outsider) in body["message"] and name_of(staff, member) not in body["message"]
    assert name_of(staff, outsider) in assert_error(visit(staff, edition["id"], outsider), 422, field="institution_id",
                                                    rule="not_enrolled")["message"]
    assert_error(staff.post(course(edition["id"], outsider, "programme"), json={"adopted_on": "2021-12-01"}), 404,
                 rule="not_enrolled")
    assert_error(staff.post(course(edition["id"], outsider, "withdraw"), json={"reason": "?"}), 404, rule="not_enrolled")
    assert event_count(app[0]) == before


@pytest.mark.parametrize(("send", "field"), [
    (lambda staff, e, i: training(staff, e, [i], held_on="2021-08-31"), "held_on"),
    (lambda staff, e, i: visit(staff, e, i, visited_on="2021-08-31"), "visited_on"),
    (lambda staff, e, i: staff.post(course(e, i, "programme"), json={"adopted_on": "2021-08-31"}), "adopted_on"),
])
def test_a_day_before_the_editions_opening_is_refused_naming_the_field(app, staff, send, field):
    edition = library_edition(staff)
    (member,) = enrolled(staff, edition["id"], 1)
    body = assert_error(send(staff, edition["id"], member), 422, field=field, rule="before_opening")
    assert "01.09.2021" in body["message"]


def test_the_course_belongs_to_enrolment_editions_only(app, staff):
    edition = open_edition(staff)
    someone = institution(staff)
    assert_error(training(staff, edition["id"], [someone]), 422, rule="edition_kind")
    assert_error(visit(staff, edition["id"], someone), 422, rule="edition_kind")
    assert_error(staff.post(course(edition["id"], someone, "withdraw"), json={"reason": "x"}), 422, rule="edition_kind")
    assert staff.get(f"/api/v1/editions/{uuid.uuid4()}/trainings").status_code == 404
    assert staff.get(f"/api/v1/editions/{uuid.uuid4()}/monitoring-visits").status_code == 404
    assert staff.get(f"/api/v1/editions/{edition['id']}/enrolments/{someone}").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "lecture"}, "kind"), ({"hours": "1.255"}, "hours"), ({"hours": "0"}, "hours"), ({"title": "  "}, "title"),
    ({"institution_ids": []}, "institution_ids"), ({"held_on": "2021-02-30"}, "held_on"), ({"room": "12"}, "room"),
])
def test_a_training_wrong_in_itself_is_refused_at_its_field(app, staff, body, field):
    edition = library_edition(staff)
    (member,) = enrolled(staff, edition["id"], 1)
    assert_error(training(staff, edition["id"], [member], **body), 422, field=field)


def test_a_stale_version_and_a_retried_key_change_nothing(app, staff):
    edition = library_edition(staff)
    (member,) = enrolled(staff, edition["id"], 1)
    assert visit(staff, edition["id"], member).status_code == 201
    assert_error(staff.post(course(edition["id"], member, "withdraw"), json={"reason": "Remont"},
                            headers={"If-Match": '"1"'}), 409, rule="version_mismatch")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = training(staff, edition["id"], [member], headers=key, kind="meeting")
    count = event_count(app[0])
    again = training(staff, edition["id"], [member], headers=key, kind="meeting")
    assert first.status_code == again.status_code == 201 and first.get_json() == again.get_json()
    assert event_count(app[0]) == count
    assert len(staff.get(f"/api/v1/editions/{edition['id']}/trainings").get_json()) == 1


def test_a_reader_may_read_the_course_but_not_record_it(app, staff):
    edition = library_edition(staff)
    (member,) = enrolled(staff, edition["id"], 1)
    reader = staff.as_("reporting:read")
    assert reader.get(f"/api/v1/editions/{edition['id']}/trainings").status_code == 200
    assert training(reader, edition["id"], [member]).status_code == 403
    assert visit(reader, edition["id"], member).status_code == 403


def test_a_training_racing_a_withdrawal_waits_for_it_and_is_refused(app, staff):
    """The withdrawal holds the edition's lock until it commits: the training, sent meanwhile, reads it afterwards."""
    service = app[0]
    edition = library_edition(staff)
    staying, leaving = enrolled(staff, edition["id"], 2)
    withdrawal = commands.WithdrawEnrolment(edition["id"], leaving, "Remont")
    training_ = commands.RecordTraining(str(uuid.uuid4()), edition["id"], "training", "Szkolenie",
                                        datetime.date(2021, 9, 20), Decimal("3"), (staying, leaving))
    outcome = second_waits(service, withdrawal, training_, Conflict)
    assert isinstance(outcome, Conflict) and outcome.rule == "withdrawn"
    assert staff.get(f"/api/v1/editions/{edition['id']}/trainings").get_json() == []
