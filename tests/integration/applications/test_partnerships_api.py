"""Partnerships over HTTP: proposed, verified, withdrawn; each rule a 422, conflicts a 409."""

from __future__ import annotations

import threading
import uuid

import pytest

from tests.integration.applications.api import assert_error, institution, library_edition, open_edition, partnership, proposal
from tests.support.apps import Client, event_count


def test_a_partnership_is_proposed_read_listed_and_has_a_history(staff):
    edition = open_edition(staff)
    created, ids = partnership(staff, edition)
    assert created["status"] == "proposed" and created["mal_status"] == "pending"
    assert created["size"] == 3 and created["requested_amount"] == "6000.00" and created["institution_ids"] == ids
    assert staff.get(f"/api/v1/partnerships/{created['id']}").get_json() == created
    listed = staff.get(f"/api/v1/partnerships?edition_id={edition['id']}").get_json()
    assert [p["id"] for p in listed] == [created["id"]]
    history = staff.get(f"/api/v1/partnerships/{created['id']}/history").get_json()
    assert [(h["sequence"], h["type"], h["actor"]) for h in history] == [(1, "PartnershipProposed", "tester")]
    assert_error(staff.get(f"/api/v1/partnerships/{uuid.uuid4()}"), 404)
    assert_error(staff.get(f"/api/v1/partnerships/{uuid.uuid4()}/history"), 404)


@pytest.mark.parametrize("case, rule, field", [
    ("one_institution", "min_institutions", "institution_ids"),
    ("unknown_institution", "unknown_institution", "institution_ids"),
    ("closed_edition", "edition_closed", "edition_id"),
    ("enrolment_edition", "edition_kind", "edition_id"),
    ("over_cap_small", "grant_cap", "requested_amount"),
    ("over_cap_large", "grant_cap", "requested_amount"),
    ("no_mal", "mal_required", "institution_ids"),
    ("unknown_edition", "unknown_edition", "edition_id"),
    ("lead_outside", "lead_among_partners", "lead_institution_id"),
])
def test_each_proposal_rule_is_a_422_naming_the_rule_and_stores_nothing(app, staff, case, rule, field):
    edition = library_edition(staff) if case == "enrolment_edition" else open_edition(staff)
    if case == "closed_edition":
        staff.post(f"/api/v1/editions/{edition['id']}/close")
    lib, mal, other, fourth = (institution(staff), institution(staff, kind="mal"), institution(staff), institution(staff))
    ids, amount, lead = [lib, mal, other], "6000.00", None
    if case == "one_institution":
        ids = [mal, mal]
    elif case == "unknown_institution":
        ids = [lib, mal, str(uuid.uuid4())]
    elif case == "over_cap_small":
        amount = "6000.01"
    elif case == "over_cap_large":
        ids, amount = [lib, mal, other, fourth], "10000.01"
    elif case == "no_mal":
        ids = [lib, other]
    elif case == "lead_outside":
        lead = fourth
    edition_id = str(uuid.uuid4()) if case == "unknown_edition" else edition["id"]
    before = event_count(app[0])
    response = staff.post("/api/v1/partnerships", json={
        "edition_id": edition_id, "title": "T", "lead_institution_id": lead or ids[0], "institution_ids": ids,
        "requested_amount": amount})
    assert_error(response, 422, field=field, rule=rule)
    assert event_count(app[0]) == before


def test_a_four_partner_proposal_may_ask_for_ten_thousand(staff):
    edition = open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal"), institution(staff), institution(staff)]
    assert proposal(staff, edition["id"], ids, "10000.00").status_code == 201


@pytest.mark.parametrize("body, field", [
    ({"requested_amount": "sześć tysięcy"}, "requested_amount"),
    ({"requested_amount": "0"}, "requested_amount"),
    *[({"requested_amount": amount}, "requested_amount")
      for amount in ("1e3", "+6000", "6_000", " 6000", ".5", "\u0666\u0660\u0660\u0660", "6000.001", 5000.5, 6000)],
    ({"institution_ids": "abc"}, "institution_ids"),
    ({"edition_id": "nope"}, "edition_id"),
    ({"title": "  \t "}, "title"),
])
def test_a_malformed_proposal_is_422_naming_the_field(staff, body, field):
    base = {"edition_id": str(uuid.uuid4()), "title": "T", "lead_institution_id": str(uuid.uuid4()),
            "institution_ids": [str(uuid.uuid4())], "requested_amount": "100.00"}
    assert_error(staff.post("/api/v1/partnerships", json=base | body), 422, field=field)


def test_mal_verification_by_staff_with_if_match(staff):
    created, ids = partnership(staff)
    url = f"/api/v1/partnerships/{created['id']}/mal-verification"
    assert_error(staff.post(url, json={"verified": True, "institution_id": ids[1]}, headers={"If-Match": '"7"'}), 409,
                 rule="version_mismatch")
    assert_error(staff.post(url, json={"verified": True, "institution_id": ids[0]}), 422, field="institution_id", rule="not_a_mal")
    assert_error(staff.post(url, json={"verified": True, "institution_id": str(uuid.uuid4())}), 422, rule="mal_not_partner")
    assert_error(staff.post(url, json={"verified": False, "institution_id": ids[1]}), 422, field="reason")
    assert_error(staff.post(url, json={"verified": True, "institution_id": ids[1]}, headers={"If-Match": "abc"}), 400)
    for spelling in ("true", "yes", 1):  # only JSON's true says yes
        assert_error(staff.post(url, json={"verified": spelling, "institution_id": ids[1]}), 422, field="verified")
    verified = staff.post(url, json={"verified": True, "institution_id": ids[1]}, headers={"If-Match": '"1"'})
    assert verified.status_code == 200
    assert verified.get_json()["mal_status"] == "verified" and verified.headers["ETag"] == '"2"'
    assert_error(staff.post(url, json={"verified": True, "institution_id": ids[1]}), 409, rule="mal_already_verified")
    assert_error(staff.post(f"/api/v1/partnerships/{uuid.uuid4()}/mal-verification",
                            json={"verified": True, "institution_id": ids[1]}), 404)


def test_a_failed_verification_carries_its_reason(staff):
    created, ids = partnership(staff)
    failed = staff.post(f"/api/v1/partnerships/{created['id']}/mal-verification",
                        json={"verified": False, "institution_id": ids[1], "reason": "MAL nie potwierdził udziału"})
    assert failed.status_code == 200
    assert failed.get_json()["mal_status"] == "failed" and failed.get_json()["mal_reason"] == "MAL nie potwierdził udziału"


def test_withdrawal_is_final(app, staff):
    created, ids = partnership(staff)
    withdrawn = staff.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={"reason": "Partner zrezygnował"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    before = event_count(app[0])
    assert_error(staff.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={"reason": "x"}), 409, rule="withdrawn")
    assert_error(staff.post(f"/api/v1/partnerships/{created['id']}/mal-verification",
                            json={"verified": True, "institution_id": ids[1]}), 409, rule="withdrawn")
    assert event_count(app[0]) == before
    assert_error(staff.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={}), 422, field="reason")
    assert event_count(app[0]) == before


def test_a_blank_reason_withdraws_nothing(app, staff):
    created, _ = partnership(staff)
    before = event_count(app[0])
    for blank in ("   ", "\n", "\u200b"):
        assert_error(staff.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={"reason": blank}), 422, field="reason")
    assert event_count(app[0]) == before
    assert staff.get(f"/api/v1/partnerships/{created['id']}").get_json()["status"] == "proposed"
    assert_error(staff.post(f"/api/v1/partnerships/{uuid.uuid4()}/withdraw", json={"reason": "x"}), 404)


def test_concurrent_conflicting_commands_on_one_partnership_one_wins_the_rest_409(app, staff):
    created, ids = partnership(staff)
    statuses: list[int] = []
    barrier = threading.Barrier(10)

    def act(i):
        client = Client(app[1], "applications:write")
        barrier.wait()
        if i % 2:
            r = client.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={"reason": f"powód {i}"})
        else:
            r = client.post(f"/api/v1/partnerships/{created['id']}/mal-verification",
                            json={"verified": True, "institution_id": ids[1]}, headers={"If-Match": '"1"'})
        statuses.append(r.status_code)

    threads = [threading.Thread(target=act, args=(i,)) for i in range(10)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    history = staff.get(f"/api/v1/partnerships/{created['id']}/history").get_json()
    assert statuses.count(200) == len(history) - 1 >= 1
    assert set(statuses) <= {200, 409}
    assert [h["sequence"] for h in history] == list(range(1, len(history) + 1))
