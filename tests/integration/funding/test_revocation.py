"""A grant a partnership no longer has a right to is taken back: by funding itself when it learns of the
withdrawal (a compensating event, in the consumer's transaction), or by staff with a reason."""

from __future__ import annotations

from sqlalchemy import select

from infra.eventstore.tables import events, outbox
from services.funding.audit import recheck
from tests.integration.funding.api import CASES, grant
from tests.integration.funding.support import apply, open_case, uid


def stored(service, partnership_id: str) -> list[str]:
    with service.read() as session:
        return list(session.execute(select(events.c.type).where(events.c.aggregate_id == partnership_id)
                                    .order_by(events.c.version)).scalars())


def budget(staff, edition_id: str) -> dict:
    return staff.get(f"/api/v1/editions/{edition_id}/budget").get_json()


def test_a_partnership_withdrawn_after_its_grant_loses_it_and_the_budget_gets_it_back(service, staff, feed):
    edition_id, partnership_id = open_case(service, feed, budget="10000.00")
    assert grant(staff, partnership_id, "6000.00").status_code == 201
    assert budget(staff, edition_id)["remaining"] == "4000.00"
    apply(service, feed.withdrawn(partnership_id, edition_id, reason="Lider zrezygnował"))
    case = staff.get(f"{CASES}/{partnership_id}").get_json()
    assert case["status"] == "revoked" and "Lider zrezygnował" in case["revoked_reason"]
    assert case["decision"]["outcome"] == "granted" and case["decision"]["amount"] == "6000.00"  # the history stays
    assert budget(staff, edition_id)["remaining"] == "10000.00" and budget(staff, edition_id)["grants"] == 0
    assert stored(service, partnership_id) == ["FundingGranted", "FundingRevoked"]
    with service.read() as session:  # published like any decision of funding's
        assert session.execute(select(outbox.c.topic).where(outbox.c.key == partnership_id)).scalars().all() \
            == ["ochotnicy.funding", "ochotnicy.funding"]
    apply(service, feed.withdrawn(partnership_id, edition_id))  # the same fact again (a redelivery): nothing more
    assert stored(service, partnership_id) == ["FundingGranted", "FundingRevoked"]


def test_a_withdrawal_before_any_grant_revokes_nothing_and_the_grant_stays_refused(service, staff, feed):
    edition_id, partnership_id = open_case(service, feed)
    apply(service, feed.withdrawn(partnership_id, edition_id))
    assert stored(service, partnership_id) == []
    refused = grant(staff, partnership_id, "5000.00")
    assert refused.status_code == 409 and refused.get_json()["rule"] == "withdrawn"


def test_staff_revoke_a_grant_with_a_reason_once(service, staff, feed):
    edition_id, partnership_id = open_case(service, feed, budget="10000.00")
    assert staff.post(f"{CASES}/{partnership_id}/revoke", json={"reason": "Brak realizacji"}).status_code == 409
    grant(staff, partnership_id, "5000.00")
    stale = staff.post(f"{CASES}/{partnership_id}/revoke", json={"reason": "x"}, headers={"If-Match": '"0"'})
    assert stale.status_code == 409 and stale.get_json()["rule"] == "version_mismatch"
    revoked = staff.post(f"{CASES}/{partnership_id}/revoke", json={"reason": "Projekt nie ruszył"})
    assert revoked.status_code == 201 and revoked.get_json()["status"] == "revoked"
    assert budget(staff, edition_id)["remaining"] == "10000.00"
    again = staff.post(f"{CASES}/{partnership_id}/revoke", json={"reason": "Projekt nie ruszył"})
    assert again.status_code == 409 and again.get_json()["rule"] == "already_revoked"
    assert staff.as_("reporting:read").post(f"{CASES}/{partnership_id}/revoke", json={"reason": "x"}).status_code == 403
    listed = staff.get(f"{CASES}?edition_id={edition_id}&status=revoked").get_json()
    assert [c["partnership_id"] for c in listed] == [partnership_id]


def test_the_audit_counts_a_revoked_grant_out_of_the_budget_in_force_at_later_decisions(service, staff, feed):
    edition_id, first = open_case(service, feed, budget="10000.00")
    assert grant(staff, first, "6000.00").status_code == 201
    assert staff.post(f"{CASES}/{first}/revoke", json={"reason": "Projekt nie ruszył"}).status_code == 201
    second = uid()
    apply(service, feed.proposed(second, edition_id, size=5, requested="10000.00"), feed.mal_verified(second, edition_id))
    assert grant(staff, second, "10000.00").status_code == 201  # the whole budget: the revoked grant gave it back
    with service.read() as session:
        checked, problems = recheck(session)
    assert checked >= 2 and [p for p in problems if first in p or second in p] == []
