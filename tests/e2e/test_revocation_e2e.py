"""Withdrawals and grants crossing in flight, many times over, as real processes over the real broker: once the
stack settles, no withdrawn partnership holds a grant that was not taken back, and the budget agrees."""

from __future__ import annotations

import concurrent.futures

from tests.support.waiting import wait_until

PAIRS = 12


def test_no_withdrawn_partnership_keeps_its_grant_however_the_two_cross(live):
    with live("applications", "funding") as stack:
        staff = stack.session("applications:write", "funding:write", subject="anna.kowalska")
        apps, funding = f"{stack.url('applications')}/api/v1", f"{stack.url('funding')}/api/v1"
        edition = staff.post(f"{apps}/editions", json={
            "programme": "partnerships", "name": "Partnerstwa 2022 – tura wiosenna", "year": 2022, "round": "spring",
            "kind": "partnership", "mal_required": False, "budget": "1000000.00", "opens_on": "2022-03-01",
            "closes_on": "2022-04-30", "grant_caps": [{"min_institutions": 2, "max_institutions": None, "cap": "6000.00"}],
        }).json()
        partners = [staff.post(f"{apps}/institutions", json={"name": f"Szkoła nr {n}", "kind": "school",
                                                              "district": "Wola"}).json()["id"] for n in (101, 102)]
        proposals = [staff.post(f"{apps}/partnerships", json={
            "edition_id": edition["id"], "title": f"Projekt {n}", "lead_institution_id": partners[0],
            "institution_ids": partners, "requested_amount": "5000.00"}).json()["id"] for n in range(PAIRS)]
        cases = f"{funding}/cases?edition_id={edition['id']}"
        wait_until(lambda: len(staff.get(cases).json()) == PAIRS, timeout=60, what="funding learns every proposal")

        def withdraw(partnership_id: str) -> int:
            return staff.post(f"{apps}/partnerships/{partnership_id}/withdraw", json={"reason": "Rezygnacja"}).status_code

        def grant(partnership_id: str) -> int:
            return staff.post(f"{funding}/cases/{partnership_id}/grant", json={"amount": "5000.00"}).status_code

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            both = [(pool.submit(withdraw, p), pool.submit(grant, p)) for p in proposals]
            answers = [(w.result(), g.result()) for w, g in both]
        assert all(w == 200 for w, _ in answers) and {g for _, g in answers} <= {201, 409}

        def settled() -> bool:
            return all(c["withdrawn_reason"] for c in staff.get(cases).json())

        wait_until(settled, timeout=60, what="funding learns every withdrawal")
        statuses = {c["partnership_id"]: c["status"] for c in staff.get(cases).json()}
        granted = {p for p, (_, g) in zip(proposals, answers) if g == 201}
        assert {p for p, s in statuses.items() if s == "revoked"} == granted  # each grant that got in was taken back
        assert set(statuses.values()) <= {"withdrawn", "revoked"}
        budget = staff.get(f"{funding}/editions/{edition['id']}/budget").json()
        assert budget["remaining"] == "1000000.00" and budget["grants"] == 0
