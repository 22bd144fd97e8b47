"""A grant's final report over HTTP: entered, returned, entered again and accepted; the case shows it all."""

from __future__ import annotations

from tests.integration.funding.api import CASES, REPORT, grant, settle
from tests.integration.funding.support import apply, open_case


def test_a_report_returned_then_accepted_settles_the_grant_and_the_case_keeps_both(service, staff, feed):
    edition_id, partnership_id = open_case(service, feed, budget="10000.00")
    assert settle(staff, partnership_id, **REPORT).status_code == 409  # nothing granted yet
    assert grant(staff, partnership_id, "5000.00").status_code == 201
    submitted = settle(staff, partnership_id, **REPORT | {"spent_amount": "4900.00"})
    assert submitted.status_code == 201 and submitted.get_json()["settlement"]["status"] == "submitted"
    assert settle(staff, partnership_id, **REPORT).get_json()["rule"] == "settlement_pending"
    returned = settle(staff, partnership_id, "/return", reason="Brak faktur za materiały")
    assert returned.status_code == 200 and returned.get_json()["settlement"]["status"] == "returned"
    listed = staff.get(f"{CASES}?edition_id={edition_id}&settlement=returned").get_json()
    assert [c["partnership_id"] for c in listed] == [partnership_id]
    assert settle(staff, partnership_id, **REPORT).status_code == 201
    accepted = settle(staff, partnership_id, "/accept")
    assert accepted.status_code == 200, accepted.get_json()
    case = staff.get(f"{CASES}/{partnership_id}").get_json()
    assert case["status"] == "granted" and case["settlement"] == {
        "status": "settled", "granted_amount": "5000.00", "spent_amount": "4800.00", "returned_amount": "200.00",
        "settled_at": case["settlement"]["settled_at"]}
    assert [(r["spent_amount"], r["outcome"], r["reason"]) for r in case["reports"]] == [
        ("4900.00", "returned", "Brak faktur za materiały"), ("4800.00", "settled", None)]
    assert case["reports"][1]["volunteers_engaged"] == 12 and case["reports"][1]["hours"] == "140.50"
    history = [e["type"] for e in staff.get(f"{CASES}/{partnership_id}/history").get_json()]
    assert history == ["FundingGranted", "SettlementSubmitted", "SettlementReturned", "SettlementSubmitted",
                       "FundingSettled"]
    assert settle(staff, partnership_id, "/accept").get_json()["rule"] == "already_settled"
    assert staff.get(f"{CASES}?edition_id={edition_id}&settlement=settled").get_json()[0]["id"] == partnership_id
    assert staff.get(f"{CASES}?edition_id={edition_id}&settlement=due").get_json() == []


def test_bad_figures_name_the_field_and_write_nothing(service, staff, feed):
    _, partnership_id = open_case(service, feed)
    grant(staff, partnership_id, "5000.00")
    over = settle(staff, partnership_id, **REPORT | {"spent_amount": "5000.01"})
    assert over.status_code == 422 and over.get_json()["rule"] == "over_grant"
    assert "spent_amount" in over.get_json()["errors"]["json"]
    loose = settle(staff, partnership_id, **REPORT | {"hours": "1.125", "volunteers_engaged": "12", "extra": 1})
    assert loose.status_code == 422
    assert set(loose.get_json()["errors"]["json"]) == {"hours", "volunteers_engaged", "extra"}
    assert settle(staff, partnership_id, "/accept", note="x").status_code == 422  # no fields, none unknown
    assert staff.as_("reporting:read").post(f"{CASES}/{partnership_id}/settlement", json=REPORT).status_code == 403
    case = staff.get(f"{CASES}/{partnership_id}").get_json()
    assert case["settlement"]["status"] == "due" and case["reports"] == [] and case["version"] == 1


def test_a_withdrawal_after_settlement_takes_nothing_back(service, staff, feed):
    edition_id, partnership_id = open_case(service, feed, budget="10000.00")
    grant(staff, partnership_id, "5000.00")
    settle(staff, partnership_id, **REPORT)
    settle(staff, partnership_id, "/accept")
    apply(service, feed.withdrawn(partnership_id, edition_id, reason="Projekt zakończony"))
    case = staff.get(f"{CASES}/{partnership_id}").get_json()
    assert case["status"] == "granted" and case["settlement"]["status"] == "settled"
