"""Helpers of the funding API tests: deciding over HTTP, counting events."""

from __future__ import annotations

from sqlalchemy import func, select

from infra.eventstore.tables import events

CASES = "/api/v1/cases"


def grant(client, partnership_id, amount, **kw):
    return client.post(f"{CASES}/{partnership_id}/grant", json={"amount": amount}, **kw)


def reject(client, partnership_id, reason, **kw):
    return client.post(f"{CASES}/{partnership_id}/reject", json={"reason": reason}, **kw)


def event_count(service) -> int:
    with service.read() as session:
        return session.execute(select(func.count()).select_from(events)).scalar()
