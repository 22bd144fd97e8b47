"""The story of one aggregate, from its service's event store: who did what, when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from infra.eventstore.sql import SqlEventStore


def of(session: Session, service: str, aggregate_id: str) -> list[dict[str, Any]]:
    return [
        {
            "sequence": e.version,
            "type": e.type,
            "time": e.occurred_at,
            "actor": e.meta.get("actor"),
            "correlation_id": e.meta.get("correlation_id"),
            "data": e.data,
        }
        for e in SqlEventStore(session, service).load(aggregate_id)
    ]
