"""Every read, registration and erasure of a person's data is recorded with who and when; auditors read the log."""

from __future__ import annotations

from sqlalchemy import inspect

from tests.integration.volunteers.api import API, register


def log_of(client, volunteer_id: str) -> list[tuple[str, str]]:
    answer = client.as_("audit").get(f"/api/v1/personal-data-access?volunteer_id={volunteer_id}")
    assert answer.status_code == 200
    return [(e["actor"], e["action"]) for e in reversed(answer.get_json())]


def test_each_opening_of_a_persons_data_is_logged_with_who_and_only_auditors_read_the_log(volunteers, staff):
    service, _app = volunteers
    volunteer_id = register(staff)["id"]
    clerk = staff.as_("volunteers:write")
    assert clerk.get(f"{API}/{volunteer_id}").status_code == 200
    assert clerk.get(f"{API}?limit=1000").status_code == 200
    assert clerk.get(f"{API}/{volunteer_id}/memberships").status_code == 200  # memberships hold no personal data
    log = log_of(staff, volunteer_id)
    assert [action for _, action in log] == ["registered", "read", "read", "read"]  # the registration's answer too
    assert {actor for actor, _ in log} == {"tester"}
    assert staff.get("/api/v1/personal-data-access").status_code == 403  # volunteers:write is not enough
    assert staff.as_("reporting:read").get("/api/v1/personal-data-access").status_code == 403


def test_an_erasure_is_logged_and_the_log_keeps_no_personal_data(volunteers, staff):
    service, _app = volunteers
    volunteer_id = register(staff)["id"]
    assert staff.delete(f"{API}/{volunteer_id}").status_code == 204
    assert staff.get(f"{API}/{volunteer_id}").status_code == 200  # erased: nothing opened, nothing logged
    assert [action for _, action in log_of(staff, volunteer_id)] == ["registered", "read", "erased"]
    columns = {c["name"] for c in inspect(service.runtime.engine).get_columns("personal_data_access")}
    assert columns == {"id", "volunteer_id", "actor", "action", "at"}
