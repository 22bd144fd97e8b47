"""Folds events of all three topics into the fact tables, in bulk, in any order, each at most once in effect.

Each event becomes a few *fact rows*: partial rows of the fact tables holding only the columns that
event states (its own facts plus the id, subject and time of the event). A batch is written as one
upsert per table: rows for the same key are merged first, and on conflict a column takes the new
value only when the new row has one (`COALESCE(excluded.c, c)`). So:

* whichever event comes first creates the row (FundingGranted before PartnershipProposed, a
  VolunteerLeft before its VolunteerJoined, an InstitutionRegistered after the partnership naming it);
* an event applied again writes the same values again (idempotent even without the consumer's record);
* `apply` of one event is `apply_batch` of a batch of one: the same code, the same result.

The roster is the one exception to "the new value wins": a row there says since when an institution had a role in an
edition, so its time keeps the earliest of those stated (EARLIEST), in the batch's merge and in the upsert alike.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from contracts.envelope import Envelope
from infra.db.statements import built_once, dialect_name, insert_ignore, merge
from infra.projection import Projector
from services.reporting.readmodel import (
    Role,
    Stage,
    approved_hours,
    editions,
    enrolments,
    institution_changes,
    institutions,
    memberships,
    monitoring_visits,
    partnership_institutions,
    partnerships,
    roster,
    settlement_steps,
    training_attendance,
    trainings,
)
from services.reporting.readmodel import current as current_summaries

FactRow = tuple[Table, dict[str, Any]]
Facts = Callable[[Envelope], Iterable[FactRow]]

# Parents first, so a reader never sees a child row whose parent insert is still in the same batch (cosmetic).
ORDER = (
    editions, institutions, institution_changes, partnerships, partnership_institutions, enrolments, memberships, settlement_steps,
    trainings, training_attendance, monitoring_visits, approved_hours, roster,
)
EARLIEST = {roster: "first_at"}
"""Tables whose time column keeps the earliest value stated, not the latest."""
SUMMARISED = (partnerships, partnership_institutions, enrolments, memberships, trainings, training_attendance, monitoring_visits,
              approved_hours, roster)
"""The facts the summaries count (an edition's, a programme's): a batch writing them re-keeps each edition they name, so the
kept summary's version changes in the transaction of every fact a programme's total reads."""
REGISTER = (institutions, institution_changes)
"""What states institutions' details: a batch writing them recomputes every edition naming those institutions."""


class ReportingProjector(Projector):
    """A projector whose handlers return fact rows, written together per batch."""

    merges = True  # every fact merges by key, in any order: a rebuild may fold partitions apart and merge them

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._facts: dict[type, Facts] = {}
        self._keys = {table: [c.name for c in table.primary_key.columns] for table in ORDER}
        self.earliest = {table.name: column for table, column in EARLIEST.items()}

    def facts(self, *event_classes: type) -> Callable[[Facts], Facts]:
        def register(fn: Facts) -> Facts:
            for cls in event_classes:
                self._facts[cls] = fn
                self.on(cls)(self._apply_one)
            return fn

        return register

    def _apply_one(self, session: Session, event: Envelope) -> None:
        self.apply_batch(session, [event])

    def fact_rows(self, events: Iterable[Envelope]) -> Iterator[FactRow]:
        for event in events:
            facts = self._facts.get(type(event.data))
            if facts is not None:
                yield from facts(event)

    def apply_batch(self, session: Session, events: Iterable[Envelope]) -> None:
        self._apply(session, events, keep=True)

    def fold(self, session: Session, events: Iterable[Envelope]) -> None:
        """A rebuild's chunk: the facts only; the summaries are kept once, by `rebuilt`."""
        self._apply(session, events, keep=False)

    def rebuilt(self, session: Session) -> None:
        current_summaries.keep(session, set(session.execute(select(editions.c.id)).scalars()))

    def _apply(self, session: Session, events: Iterable[Envelope], *, keep: bool) -> None:
        merged: dict[Table, dict[tuple, dict[str, Any]]] = {table: {} for table in ORDER}
        for table, row in self.fact_rows(events):
            key = tuple(row[k] for k in self._keys[table])
            known = merged[table].get(key)
            if known is None:
                merged[table][key] = dict(row)
            elif table in EARLIEST:
                column = EARLIEST[table]
                known[column] = min(known[column], row[column])
            else:
                known.update((k, v) for k, v in row.items() if v is not None)
        current_summaries.order_against_registrations(
            session,
            registers=any(merged[table] for table in REGISTER),
            names=bool(merged[partnership_institutions] or merged[enrolments]),
        )
        for table in ORDER:
            # In key order: consumers applying batches at once lock shared rows in one order, never in a cycle.
            rows = [row for _, row in sorted(merged[table].items())]
            if rows:
                self._write(session, table, rows)
        if not keep:
            return
        changed = {row["id"] for row in merged[editions].values()}
        for table in SUMMARISED:
            changed.update(row["edition_id"] for row in merged[table].values() if row.get("edition_id"))
        described = {row["id"] for row in merged[institutions].values()} | {
            row["institution_id"] for row in merged[institution_changes].values()
        }
        changed |= current_summaries.editions_naming(session, described)
        current_summaries.keep(session, changed)

    def _write(self, session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
        keys = self._keys[table]
        if table is editions:
            # An edition only named by an event needs its row to exist, not a row lock held to the commit:
            # that lock made every consumer's batch of the edition wait for the others.
            insert_ignore(session, table, [row for row in rows if len(row) == 1], keys)
            rows = [row for row in rows if len(row) > 1]
        if table in EARLIEST:
            session.execute(_keep_earliest(dialect_name(session), table, tuple(keys), EARLIEST[table]), rows)
            return
        merge(session, table, rows, keys)


@built_once
def _keep_earliest(dialect: str, table: Table, keys: tuple[str, ...], column: str):
    """INSERT … ON CONFLICT: the stored row takes the new time only where it is earlier (a replayed event changes nothing)."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return insert.on_conflict_do_update(
        index_elements=list(keys), set_={column: insert.excluded[column]}, where=insert.excluded[column] < table.c[column]
    )


projector = ReportingProjector("reporting")


def grosze(amount: decimal.Decimal | None) -> int | None:
    """PLN as an exact integer number of grosze."""
    if amount is None:
        return None
    return int((amount * 100).to_integral_value(rounding=decimal.ROUND_HALF_UP))


def stamp(stage: Stage, event: Envelope) -> dict[str, Any]:
    """The columns of `stage` naming the event that stated it."""
    named, subject, at = _STAMPS[stage]
    return {named: event.id, subject: event.subject, at: event.time}


# Each stage's column names made once: a rebuild stamps millions of fact rows.
_STAMPS = {stage: (f"{stage}_event", f"{stage}_subject", f"{stage}_at") for stage in Stage}


def edition_named(edition_id: str) -> FactRow:
    """Any event naming an edition makes it known; EditionOpened fills in what it is."""
    return editions, {"id": edition_id}


def on_roster(edition_id: str, role: Role, institution_id: str, event: Envelope) -> FactRow:
    """The institution had `role` in the edition from this event's time on (unless an earlier event said so)."""
    return roster, {"edition_id": edition_id, "role": role.value, "institution_id": institution_id, "first_at": event.time}
