"""A long round's budget loads from its snapshot: a grant reads a bounded part of its stream, and decides the same."""

from __future__ import annotations

from decimal import Decimal

from infra.eventstore.sql import SqlEventStore
from services.funding import queries
from services.funding.domain.budget import EditionBudget, budget_id
from tests.integration.funding.support import apply, uid


def test_a_grant_late_in_a_round_reads_the_snapshot_and_at_most_the_events_after_it(funding, feed, staff, monkeypatch):
    service, _ = funding
    every = EditionBudget.snapshot_every
    edition_id, partnerships = uid(), [uid() for _ in range(2 * every + 3)]
    apply(service, feed.edition_opened(edition_id, mal_required=False, budget=f"{(len(partnerships) - 1) * 100}.00"),
          *[feed.proposed(p, edition_id) for p in partnerships])
    *early, last = partnerships
    for partnership_id in early:
        assert staff.post(f"/api/v1/cases/{partnership_id}/grant", json={"amount": "100.00"}).status_code == 201
    assert staff.post(f"/api/v1/cases/{early[0]}/revoke", json={"reason": "Rezygnacja"}).status_code == 201

    loaded: list[int] = []
    whole_load = SqlEventStore.load

    def counting(self, aggregate_id, after=0):
        records = whole_load(self, aggregate_id, after)
        if aggregate_id == budget_id(edition_id):
            loaded.append(len(records))
        return records

    monkeypatch.setattr(SqlEventStore, "load", counting)
    over = staff.post(f"/api/v1/cases/{last}/grant", json={"amount": "200.00"})  # 100 zł left: the revoked grant's
    assert over.status_code == 422 and over.get_json()["rule"] == "over_budget"
    assert staff.post(f"/api/v1/cases/{last}/grant", json={"amount": "100.00"}).status_code == 201
    assert loaded and max(loaded) < every, "a grant reads only the events after the budget's last snapshot"

    with service.read() as session:
        snapshot = SqlEventStore(session, "funding").snapshot(budget_id(edition_id))
        stream = SqlEventStore(session, "funding").load(budget_id(edition_id))
        budget = queries.budget(session, edition_id)
    assert snapshot is not None and snapshot.version == 2 * every and len(stream) == 2 * every + 4
    assert early[0] in snapshot.state["grants"] and snapshot.state["committed"] == f"{2 * every * 100}.00"  # before the revocation
    assert budget["committed"] == budget["budget"] == Decimal((2 * every + 2) * 100)
