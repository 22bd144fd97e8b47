"""Reading funding cases on real PostgreSQL: cap, eligibility and why, lists, history, budget, one snapshot, 404s."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.funding import commands, queries
from tests.integration.funding.api import CASES, grant, reject
from tests.integration.funding.support import apply, open_case, uid


def test_a_case_shows_its_cap_eligibility_and_version(staff, service, feed):
    edition_id, partnership_id = open_case(service, feed, size=4, requested="8000.00", budget="50000.00")
    response = staff.get(f"{CASES}/{partnership_id}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"0"'
    body = response.get_json()
    assert body | {"proposed_at": None, "updated_at": None, "institution_ids": None, "lead_institution_id": None} == {
        "id": partnership_id, "partnership_id": partnership_id, "edition_id": edition_id,
        "edition_name": "Partnerstwa 2021 – tura jesienna", "edition_closed": False,
        "title": "Sąsiedzi na Ochocie", "size": 4, "requested_amount": "8000.00", "cap": "10000.00",
        "bracket": "4 lub więcej instytucji", "budget_remaining": "50000.00", "mal_required": True,
        "mal_status": "verified", "mal_reason": None, "withdrawn_reason": None, "revoked_reason": None, "revoked_at": None,
        "status": "open", "eligible": True,
        "reasons": [], "reason_codes": [], "decision": None, "settlement": None, "reports": [], "version": 0,
        "proposed_at": None, "updated_at": None, "institution_ids": None, "lead_institution_id": None,
    }
    assert len(body["institution_ids"]) == 4


def test_a_case_not_eligible_says_why_in_words_and_codes(staff, service, feed):
    _, partnership_id = open_case(service, feed, verified=False)
    body = staff.get(f"{CASES}/{partnership_id}").get_json()
    assert body["eligible"] is False and body["reason_codes"] == ["mal_not_verified"]
    assert "MAL nie został jeszcze zweryfikowany" in body["reasons"][0]


def test_cases_are_listed_by_edition_status_and_eligibility(staff, service, feed):
    edition_id, first = open_case(service, feed)
    second = uid()
    apply(service, feed.proposed(second, edition_id, title="Drugie"))
    other_edition, _ = open_case(service, feed)
    listed = staff.get(f"{CASES}?edition_id={edition_id}").get_json()
    assert [c["id"] for c in listed] == [first, second]
    eligible = staff.get(f"{CASES}?edition_id={edition_id}&eligible=true").get_json()
    assert [c["id"] for c in eligible] == [first]
    assert grant(staff, first, "1000.00").status_code == 201
    assert [c["id"] for c in staff.get(f"{CASES}?edition_id={edition_id}&status=granted").get_json()] == [first]
    assert [c["id"] for c in staff.get(f"{CASES}?edition_id={edition_id}&status=open").get_json()] == [second]
    assert other_edition not in {c["edition_id"] for c in listed}
    assert len(staff.get(CASES).get_json()) >= 3
    bad = staff.get(f"{CASES}?edition_id=nie-uuid&status=maybe")
    assert bad.status_code == 422 and set(bad.get_json()["errors"]["query"]) == {"edition_id", "status"}


def test_unknown_cases_are_404_with_a_message(staff, service, feed):
    edition_id, never_proposed = uid(), uid()
    apply(service, feed.mal_verified(never_proposed, edition_id))
    for partnership_id in (uid(), never_proposed):
        for response in (staff.get(f"{CASES}/{partnership_id}"), grant(staff, partnership_id, "10.00"),
                         reject(staff, partnership_id, "Powód"), staff.get(f"{CASES}/{partnership_id}/history")):
            assert response.status_code == 404, response.get_json()
            assert "Nie ma sprawy dofinansowania" in response.get_json()["message"]
    assert staff.get(f"{CASES}/nie-uuid").status_code == 404


def test_writes_need_the_funding_role_and_reads_any_token(staff, service, feed):
    _, partnership_id = open_case(service, feed)
    reader = staff.as_("reporting:read")
    assert reader.get(f"{CASES}/{partnership_id}").status_code == 200
    refused = grant(reader, partnership_id, "10.00")
    assert refused.status_code == 403 and "funding:write" in refused.get_json()["message"]
    assert reject(reader, partnership_id, "x").status_code == 403
    assert staff.anonymous().get(f"{CASES}/{partnership_id}").status_code == 401


def test_history_of_an_undecided_case_is_empty_and_budget_of_an_unknown_edition_is_404(staff, service, feed):
    edition_id, partnership_id = open_case(service, feed)
    assert staff.get(f"{CASES}/{partnership_id}/history").get_json() == []
    no_budget = staff.get(f"/api/v1/editions/{edition_id}/budget").get_json()
    assert no_budget["budget"] is None and no_budget["remaining"] is None and no_budget["committed"] == "0.00"
    missing = staff.get(f"/api/v1/editions/{uid()}/budget")
    assert missing.status_code == 404 and "Nie ma edycji" in missing.get_json()["message"]


def test_openapi_documents_the_contract_paths(staff):
    paths = staff.anonymous().get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/cases", "/api/v1/cases/{partnership_id}", "/api/v1/cases/{partnership_id}/grant",
            "/api/v1/cases/{partnership_id}/reject", "/api/v1/cases/{partnership_id}/history",
            "/api/v1/editions/{edition_id}/budget"} <= set(paths)


def test_a_read_sees_one_snapshot_so_a_grant_committed_meanwhile_shows_in_none_of_its_queries(service, feed):
    if service.runtime.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL: SQLite serialises writers against readers anyway")
    edition_id, partnership_id = open_case(service, feed, size=2, requested="5000.00", budget="50000.00")
    with service.read() as session:
        before = queries.case_list(session, edition_id=edition_id)
        service.bus.handle(commands.GrantFunding(partnership_id, Decimal("5000.00"), None))  # its own transaction
        during = queries.case_list(session, edition_id=edition_id)
    assert during == before and during[0]["status"] == "open" and during[0]["budget_remaining"] == Decimal("50000.00")
    with service.read() as session:
        [after] = queries.case_list(session, edition_id=edition_id)
    assert after["status"] == "granted" and after["budget_remaining"] == Decimal("45000.00")
