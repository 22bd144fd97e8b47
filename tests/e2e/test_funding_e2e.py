"""From a proposal in applications to a grant in funding, through the broker (real processes)."""

from __future__ import annotations

from contracts import topics
from tests.support.topics import read_topic
from tests.support.waiting import wait_until


def test_a_proposal_verified_in_applications_becomes_an_eligible_case_granted_and_published(live, broker):
    with live("applications", "funding") as stack:
        staff = stack.session("applications:write", "funding:write", subject="anna.nowak")
        applications, funding = f"{stack.url('applications')}/api/v1", f"{stack.url('funding')}/api/v1"
        edition = staff.post(f"{applications}/editions", json={
            "programme": "partnerships", "name": "Partnerstwa 2021 – tura jesienna", "year": 2021, "round": "autumn",
            "kind": "partnership", "mal_required": True, "opens_on": "2021-09-01", "closes_on": "2021-10-31",
            "budget": "90000.00",
            "grant_caps": [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
                           {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}],
        }).json()
        partners = [
            staff.post(f"{applications}/institutions", json={"name": name, "kind": kind, "district": "Wola"}).json()["id"]
            for name, kind in [("Dom Kultury Kolorowa", "culture_house"), ("Biblioteka na Woli", "library"),
                               ("Miejsce Aktywności Lokalnej Wola", "mal")]
        ]
        proposed = staff.post(f"{applications}/partnerships", json={
            "edition_id": edition["id"], "title": "Wolskie podwórka", "lead_institution_id": partners[0],
            "institution_ids": partners, "requested_amount": "5800.00",
        })
        assert proposed.status_code == 201, proposed.text
        partnership_id = proposed.json()["id"]
        case_url = f"{funding}/cases/{partnership_id}"

        def case():
            response = staff.get(case_url)
            return response.json() if response.status_code == 200 else None

        waiting = wait_until(lambda: (c := case()) and c["cap"] is not None and c, what="the case in funding")
        assert waiting["eligible"] is False and waiting["reason_codes"] == ["mal_not_verified"]
        early = staff.post(f"{case_url}/grant", json={"amount": "5000.00"})
        assert early.status_code == 409 and early.json()["rule"] == "mal_not_verified"

        verified = staff.post(f"{applications}/partnerships/{partnership_id}/mal-verification",
                              json={"verified": True, "institution_id": partners[2]})
        assert verified.status_code == 200, verified.text
        eligible = wait_until(lambda: (c := case()) and c["eligible"] and c, what="the case to become eligible")
        assert eligible["cap"] == "6000.00" and eligible["requested_amount"] == "5800.00"

        granted = staff.post(f"{case_url}/grant", json={"amount": "5500.00"})
        assert granted.status_code == 201, granted.text
        assert granted.json()["decision"]["decided_by"] == "anna.nowak"

        def published():
            return [e for e in read_topic(broker.bootstrap, topics.FUNDING) if e["subject"] == partnership_id]

        [event] = wait_until(published, what="FundingGranted on the funding topic")
    assert event["_key"] == partnership_id
    assert event["specversion"] == "1.0"
    assert event["type"] == "FundingGranted"
    assert event["source"] == "/ochotnicy/funding"
    assert event["sequence"] == 1
    assert event["datacontenttype"] == "application/json"
    assert event["dataschema"] == "urn:ochotnicy:event:FundingGranted:v2"
    assert event["time"].endswith("Z")
    assert event["correlationid"] == granted.headers["X-Correlation-ID"]
    data = event["data"]
    assert {k: data[k] for k in ("partnership_id", "edition_id", "amount", "cap")} == {
        "partnership_id": partnership_id, "edition_id": edition["id"], "amount": "5500.00", "cap": "6000.00"}
    assert data["inputs"]["partnership_size"] == 3 and data["inputs"]["mal_status"] == "verified"
    assert data["rules"]["mal_required"] is True
