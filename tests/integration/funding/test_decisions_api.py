"""Funding decisions on real PostgreSQL: grants and rejections with their events, caps, budget, If-Match, each 4xx."""

from __future__ import annotations

from decimal import Decimal

import orjson
import pytest
from sqlalchemy import func, select

from contracts import topics
from infra.eventstore.records import ConcurrencyError
from infra.eventstore.tables import events, outbox
from infra.uow import SqlUnitOfWork
from services.funding import commands, handlers
from tests.integration.funding.api import CASES, grant, reject
from tests.integration.funding.support import apply, open_case, uid
from tests.support.apps import event_count


def test_a_grant_records_funding_granted_for_the_topic_and_the_budget_privately(staff, service, feed):
    edition_id, partnership_id = open_case(service, feed, budget="30000.00", size=3, requested="6000.00")
    response = grant(staff.as_("funding:write"), partnership_id, "5500.00")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert body["status"] == "granted" and body["eligible"] is False and body["reason_codes"] == ["already_decided"]
    assert body["decision"] | {"decided_at": None} == {
        "outcome": "granted", "amount": "5500.00", "cap": "6000.00", "reason": None, "decided_at": None,
        "decided_by": "tester"}
    assert body["budget_remaining"] == "24500.00"
    with service.read() as session:
        published = session.execute(select(outbox.c.topic, outbox.c.payload).where(outbox.c.key == partnership_id)).all()
        budget_events = session.execute(select(events.c.type, events.c.topic, events.c.data).where(
            events.c.type == "BudgetCommitted", events.c.data.contains(partnership_id))).all()
    [(topic, payload)] = published
    cloudevent = orjson.loads(payload)
    assert topic == topics.FUNDING
    assert cloudevent["type"] == "FundingGranted" and cloudevent["subject"] == partnership_id
    assert cloudevent["dataschema"] == "urn:ochotnicy:event:FundingGranted:v2"
    assert cloudevent["data"] | {"rules": None} == {
        "partnership_id": partnership_id, "edition_id": edition_id, "amount": "5500.00", "cap": "6000.00",
        "rules": None,
        "inputs": {"partnership_size": 3, "requested_amount": "6000.00", "mal_status": "verified",
                   "budget_committed_before": "0.00"}}
    assert cloudevent["data"]["rules"]["budget"] == "30000.00" and cloudevent["data"]["rules"]["mal_required"] is True
    [(kind, private_topic, data)] = budget_events
    assert private_topic is None and orjson.loads(data)["amount"] == "5500.00"
    budget = staff.get(f"/api/v1/editions/{edition_id}/budget").get_json()
    assert budget == {"edition_id": edition_id, "name": "Partnerstwa 2021 – tura jesienna", "budget": "30000.00",
                      "committed": "5500.00", "grants": 1, "remaining": "24500.00", "closed": False}
    history = staff.get(f"{CASES}/{partnership_id}/history").get_json()
    assert [(h["sequence"], h["type"], h["actor"]) for h in history] == [(1, "FundingGranted", "tester")]


@pytest.mark.parametrize(
    "amount, rule, words",
    [("6000.01", "over_cap", "przekracza limit 6 000,00 zł dla partnerstwa 2–3 instytucji"),
     ("5000.01", "over_request", "przekracza kwotę, o którą partnerstwo wnioskowało (5 000,00 zł)"),
     ("4000.01", "over_budget", "zostało 4 000,00 zł z 4 000,00 zł")],
)
def test_a_grant_over_the_cap_the_request_or_the_remaining_budget_is_422_on_the_amount(staff, service, feed, amount, rule, words):
    _, partnership_id = open_case(service, feed, budget="4000.00", requested="5000.00")
    before = event_count(service)
    response = grant(staff, partnership_id, amount)
    assert response.status_code == 422
    body = response.get_json()
    assert body["rule"] == rule and words in body["message"]
    assert body["errors"] == {"json": {"amount": [body["message"]]}}
    assert event_count(service) == before


@pytest.mark.parametrize("amount", ["\u0661e\u0663", "1e3", "+1000", "1_000", " 1000", ".5", "1000.005", 1000, 1000.5])
def test_a_grant_of_an_amount_not_written_as_published_is_422_on_the_amount_and_grants_nothing(staff, service, feed, amount):
    _, partnership_id = open_case(service, feed, budget="30000.00", requested="6000.00")
    before = event_count(service)
    response = grant(staff, partnership_id, amount)
    assert response.status_code == 422 and list(response.get_json()["errors"]["json"]) == ["amount"]
    assert event_count(service) == before
    assert staff.get(f"{CASES}/{partnership_id}").get_json()["status"] == "open"


def test_the_budget_counts_earlier_grants_of_the_edition(staff, service, feed):
    edition_id, first = open_case(service, feed, budget="10000.00", mal_required=False)
    second = uid()
    apply(service, feed.proposed(second, edition_id))
    assert grant(staff, first, "6000.00").status_code == 201
    refused = grant(staff, second, "4000.01")
    assert refused.status_code == 422 and refused.get_json()["rule"] == "over_budget"
    assert grant(staff, second, "4000.00").status_code == 201
    assert staff.get(f"/api/v1/editions/{edition_id}/budget").get_json()["remaining"] == "0.00"


@pytest.mark.parametrize(
    "setup, rule",
    [("mal_pending", "mal_not_verified"), ("mal_failed", "mal_failed"), ("withdrawn", "withdrawn"),
     ("granted", "already_decided"), ("rejected", "already_decided"), ("edition_unknown", "edition_unknown")],
)
def test_a_grant_on_a_case_that_is_not_eligible_is_409_naming_why(staff, service, feed, setup, rule):
    if setup == "edition_unknown":
        partnership_id = uid()
        apply(service, feed.proposed(partnership_id, uid()))
    else:
        edition_id, partnership_id = open_case(service, feed, verified=setup != "mal_pending")
        if setup == "mal_failed":
            apply(service, feed.mal_failed(partnership_id, edition_id, "MAL wycofał się"))
        elif setup == "withdrawn":
            apply(service, feed.withdrawn(partnership_id, edition_id))
        elif setup == "granted":
            assert grant(staff, partnership_id, "100.00").status_code == 201
        elif setup == "rejected":
            assert reject(staff, partnership_id, "Brak środków").status_code == 201
    before = event_count(service)
    response = grant(staff, partnership_id, "100.00")
    assert response.status_code == 409
    body = response.get_json()
    assert body["rule"] == rule and body["message"].startswith("Nie można przyznać dofinansowania.")
    assert event_count(service) == before


def test_a_grant_after_the_edition_closed_is_allowed(staff, service, feed):
    edition_id, partnership_id = open_case(service, feed)
    apply(service, feed.edition_closed(edition_id))
    assert staff.get(f"{CASES}/{partnership_id}").get_json()["edition_closed"] is True
    assert grant(staff, partnership_id, "6000.00").status_code == 201


@pytest.mark.parametrize(
    "body, status, field",
    [({}, 422, "amount"), ({"amount": "dużo"}, 422, "amount"), ({"amount": "0.00"}, 422, "amount"),
     ({"amount": None}, 422, "amount"), ({"amount": "10.00", "komentarz": "x"}, 422, "komentarz"),
     ([1, 2], 400, None)],
    ids=["missing", "not-a-number", "zero", "null", "unknown-field", "not-an-object"],
)
def test_a_malformed_grant_is_refused_naming_the_field_and_records_nothing(staff, service, feed, body, status, field):
    _, partnership_id = open_case(service, feed)
    before = event_count(service)
    response = staff.post(f"{CASES}/{partnership_id}/grant", json=body)
    assert response.status_code == status, response.get_json()
    if field:
        assert field in response.get_json()["errors"]["json"]
    assert event_count(service) == before


def test_a_rejection_records_funding_rejected_with_its_reason(staff, service, feed):
    edition_id, partnership_id = open_case(service, feed, verified=False)
    apply(service, feed.mal_failed(partnership_id, edition_id, "MAL nie bierze udziału"))
    response = reject(staff, partnership_id, "Negatywna weryfikacja MAL")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "rejected"
    assert body["decision"]["outcome"] == "rejected" and body["decision"]["reason"] == "Negatywna weryfikacja MAL"
    assert body["decision"]["amount"] is None and body["decision"]["decided_by"] == "tester"
    with service.read() as session:
        [payload] = session.execute(select(outbox.c.payload).where(outbox.c.key == partnership_id)).scalars()
    assert orjson.loads(payload)["data"] == {"partnership_id": partnership_id, "edition_id": edition_id,
                                             "reason": "Negatywna weryfikacja MAL"}
    again = reject(staff, partnership_id, "Jeszcze raz")
    assert again.status_code == 409 and again.get_json()["rule"] == "already_decided"


def test_a_rejection_needs_a_reason_and_a_case_not_withdrawn(staff, service, feed):
    edition_id, partnership_id = open_case(service, feed)
    for body in ({}, {"reason": ""}, {"reason": None}, {"reason": "  \n\u200b "}):
        response = staff.post(f"{CASES}/{partnership_id}/reject", json=body)
        assert response.status_code == 422 and "reason" in response.get_json()["errors"]["json"]
    apply(service, feed.withdrawn(partnership_id, edition_id))
    withdrawn = reject(staff, partnership_id, "Powód")
    assert withdrawn.status_code == 409 and withdrawn.get_json()["rule"] == "withdrawn"


def test_if_match_with_a_stale_version_is_409(staff, service, feed):
    _, partnership_id = open_case(service, feed)
    stale = grant(staff, partnership_id, "10.00", headers={"If-Match": '"3"'})
    assert stale.status_code == 409 and stale.get_json()["rule"] == "version_mismatch"
    assert grant(staff, partnership_id, "10.00", headers={"If-Match": '"0"'}).status_code == 201


class LosesTheRaceOnce(SqlUnitOfWork):
    """A unit of work whose first commit finds that a concurrent decision got there first."""

    lost = 0

    def commit(self):
        if self.lost == 0:
            self.lost += 1
            raise ConcurrencyError("a concurrent change got there first")
        return super().commit()


def test_a_decision_beaten_to_its_version_is_decided_again_from_fresh_state(service, feed):
    _, partnership_id = open_case(service, feed)
    runtime = service.runtime
    uow = LosesTheRaceOnce(runtime.sessions, service="funding", registry=runtime.registry, projector=runtime.projector,
                           facts=runtime.facts)
    handlers.grant_funding(commands.GrantFunding(partnership_id, Decimal("100.00")), uow)
    assert uow.lost == 1
    with service.read() as session:
        assert session.execute(select(func.count()).select_from(events).where(
            events.c.aggregate_id == partnership_id)).scalar() == 1
