"""Hours over HTTP on a real database: recorded for a month, approved (a public event) or declined with a reason, once."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from infra.eventstore.tables import outbox
from tests.integration.volunteers.api import API, join, register
from tests.support.apps import event_count


@pytest.fixture
def member(staff, known) -> tuple[str, str]:
    """(volunteer id, membership id): joined on 1 October 2021."""
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known, joined_on="2021-10-01")
    assert membership.status_code == 201, membership.get_json()
    return volunteer["id"], membership.get_json()["id"]


def hours(staff, member, month="2021-10", amount="12.5", headers=None, **more):
    volunteer_id, membership_id = member
    return staff.post(f"{API}/{volunteer_id}/memberships/{membership_id}/hours",
                      json={"month": month, "hours": amount, **more}, headers=headers or {})


def test_hours_are_recorded_approved_once_and_published_without_the_activity(staff, member, known, volunteers):
    volunteer_id, membership_id = member
    recorded = hours(staff, member, activity="Głośne czytanie w filii")
    assert recorded.status_code == 201, recorded.get_json()
    entry = recorded.get_json()
    assert entry | {"id": None, "submitted_at": None} == {
        "id": None, "status": "submitted", "volunteer_id": volunteer_id, "membership_id": membership_id,
        "institution_id": known.institution_id, "institution_name": "Biblioteka Publiczna Wola",
        "edition_id": known.edition_id, "edition_name": "Partnerstwa 2021 – tura jesienna", "month": "2021-10",
        "hours": "12.50", "activity": "Głośne czytanie w filii", "reason": None, "submitted_at": None,
        "decided_at": None}
    approved = staff.post(f"{API}/{volunteer_id}/hours/{entry['id']}/approve", json={})
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    assert approved.get_json()["decided_at"] is not None
    with volunteers[0].read() as session:
        published = [orjson.loads(p) for p in session.execute(
            select(outbox.c.payload).where(outbox.c.key == volunteer_id)).scalars()]
    [event] = [p for p in published if p["type"] == "VolunteerHoursApproved"]
    assert event["data"] == {"entry_id": entry["id"], "volunteer_id": volunteer_id, "membership_id": membership_id,
                             "institution_id": known.institution_id, "edition_id": known.edition_id,
                             "month": "2021-10", "hours": "12.50"}
    assert not [p for p in published if p["type"] in ("HoursSubmitted", "HoursDeclined")]  # private: never published
    before = event_count(volunteers[0])
    for decision, body in (("approve", {}), ("decline", {"reason": "Za późno."})):
        again = staff.post(f"{API}/{volunteer_id}/hours/{entry['id']}/{decision}", json=body)
        assert again.status_code == 409 and again.get_json()["rule"] == "hours_already_decided"
    assert event_count(volunteers[0]) == before


def test_a_declined_entry_stays_with_its_reason_and_the_month_may_be_entered_again(staff, member):
    volunteer_id, _ = member
    first = hours(staff, member, amount="40").get_json()
    assert hours(staff, member).get_json()["rule"] == "hours_already_recorded"
    declined = staff.post(f"{API}/{volunteer_id}/hours/{first['id']}/decline", json={"reason": "Instytucja potwierdza 30 h."})
    assert declined.status_code == 200 and declined.get_json()["reason"] == "Instytucja potwierdza 30 h."
    second = hours(staff, member, amount="30")
    assert second.status_code == 201
    listed = staff.get(f"{API}/{volunteer_id}/hours").get_json()
    assert [(e["hours"], e["status"], e["reason"]) for e in listed] == [
        ("40.00", "declined", "Instytucja potwierdza 30 h."), ("30.00", "submitted", None)]


@pytest.mark.parametrize("month, amount, field, rule", [
    ("2021-09", "5", "month", "month_outside_membership"),
    ("2099-01", "5", "month", "month_in_future"),
    ("2021-10", "0", "hours", "hours_out_of_range"),
    ("2021-10", "744.01", "hours", "hours_out_of_range"),
    ("2021-13", "5", "month", None), ("2021-1", "5", "month", None), ("10-2021", "5", "month", None),
    ("2021-10", "1.005", "hours", None), ("2021-10", "dużo", "hours", None),
])
def test_refusals_name_the_field_and_the_rule_and_store_nothing(staff, member, volunteers, month, amount, field, rule):
    before = event_count(volunteers[0])
    refused = hours(staff, member, month, amount)
    assert refused.status_code == 422 and event_count(volunteers[0]) == before
    body = refused.get_json()
    assert field in body["errors"]["json"] and body.get("rule") == rule


def test_unknown_entries_and_memberships_are_404_and_a_stale_version_409(staff, member, volunteers):
    volunteer_id, membership_id = member
    assert staff.post(f"{API}/{volunteer_id}/hours/{volunteer_id}/approve", json={}).status_code == 404
    assert staff.post(f"{API}/{volunteer_id}/memberships/{volunteer_id}/hours",
                      json={"month": "2021-10", "hours": "1"}).status_code == 404
    assert staff.get(f"{API}/{membership_id}/hours").status_code == 404
    stale = hours(staff, member, headers={"If-Match": '"1"'})
    assert stale.status_code == 409 and stale.get_json()["rule"] == "version_mismatch"
    entry = hours(staff, member).get_json()
    assert staff.post(f"{API}/{volunteer_id}/hours/{entry['id']}/approve", json={"x": 1}).status_code == 422


def test_only_volunteers_write_records_and_decides_and_any_token_reads(staff, member):
    volunteer_id, _ = member
    entry = hours(staff, member).get_json()
    reader = staff.as_("reporting:read")
    assert reader.get(f"{API}/{volunteer_id}/hours").status_code == 200
    assert hours(reader, member, "2021-11").status_code == 403
    assert reader.post(f"{API}/{volunteer_id}/hours/{entry['id']}/approve", json={}).status_code == 403
    assert staff.anonymous().get(f"{API}/{volunteer_id}/hours").status_code == 401
