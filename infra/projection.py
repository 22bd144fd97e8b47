"""Read models: functions that fold events into tables, one per event class."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.orm import Session

from contracts.envelope import Envelope
from infra import context, tracing

Handler = Callable[[Session, Envelope], None]


class Projector:
    """Dispatches each event to the handler registered for its class; ignores the rest."""

    merges = False
    """Its tables hold facts merged by key, a row's non-null values replacing the stored ones, whatever the order: a
    rebuild may then fold parts of the log apart (partitions, in parallel) and merge their rows (infra.rebuild)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: dict[type, Handler] = {}
        self.earliest: dict[str, str] = {}
        """Where `merges`: the tables (by name) whose one column keeps the earliest value stated instead, and that column."""

    def on(self, *event_classes: type) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            for cls in event_classes:
                self._handlers[cls] = fn
            return fn

        return register

    def handles(self, event: Any) -> bool:
        return type(event) in self._handlers

    def apply(self, session: Session, event: Envelope) -> None:
        handler = self._handlers.get(type(event.data))
        if handler is not None:
            handler(session, event)

    def apply_batch(self, session: Session, events: Iterable[Envelope]) -> None:
        """Applies a consumer's batch in order, each under its event's correlation id and span; may be overridden to write
        in bulk."""
        actor = context.current().actor
        for event in events:
            with context.acting(actor, event.correlation_id), tracing.applying(event.id):
                self.apply(session, event)

    def fold(self, session: Session, events: Iterable[Envelope]) -> None:
        """Applies a chunk of a rebuild (infra.rebuild): as `apply_batch`, but what is kept derived from many events may
        wait for `rebuilt`."""
        self.apply_batch(session, events)

    def rebuilt(self, session: Session) -> None:
        """Once a rebuild has folded the whole log: recomputes what `fold` left (nothing here)."""
