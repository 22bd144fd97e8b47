"""Append-only storage of each service's events, with optimistic concurrency."""

from infra.eventstore.records import ConcurrencyError, NewEvent, StoredEvent

__all__ = ["ConcurrencyError", "NewEvent", "StoredEvent"]
