"""Folds events of all three topics into the fact tables, in bulk, in any order, each at most once in effect.

Each event becomes a few *fact rows*: partial rows of the fact tables holding only the columns that
event states (its own facts plus the id, subject and time of the event). A batch is written as one
upsert per table: rows for the same key are merged first, and on conflict a column takes the new
value only when the new row has one (`COALESCE(excluded.c, c)`). So:

* whichever event comes first creates the row (FundingGranted before PartnershipProposed, a
  VolunteerLeft before its VolunteerJoined, an InstitutionRegistered after the partnership naming it);
* an event applied again writes the same values again (idempotent even without the consumer's record);
* `apply` of one event is `apply_batch` of a batch of one: the same code, the same result.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from contracts.applications import (
    EditionClosed,
    EditionOpened,
    InstitutionEnrolled,
    InstitutionRegistered,
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from contracts.envelope import Envelope
from contracts.funding import FundingGranted, FundingRejected
from contracts.volunteers import VolunteerJoined, VolunteerLeft
from infra.projection import Projector
from infra.sql import insert_ignore, merge
from services.reporting import current as current_summaries
from services.reporting.readmodel import (
    editions,
    enrolments,
    institutions,
    memberships,
    partnership_institutions,
    partnerships,
)

FactRow = tuple[Table, dict[str, Any]]
Facts = Callable[[Envelope], Iterable[FactRow]]

# Parents first, so a reader never sees a child row whose parent insert is still in the same batch (cosmetic).
ORDER = (editions, institutions, partnerships, partnership_institutions, enrolments, memberships)


def grosze(amount: decimal.Decimal | None) -> int | None:
    """PLN as an exact integer number of grosze."""
    if amount is None:
        return None
    return int((amount * 100).to_integral_value(rounding=decimal.ROUND_HALF_UP))


def _stamp(prefix: str, event: Envelope) -> dict[str, Any]:
    return {f"{prefix}_event": event.id, f"{prefix}_subject": event.subject, f"{prefix}_at": event.time}


class ReportingProjector(Projector):
    """A projector whose handlers return fact rows, written together per batch."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._facts: dict[type, Facts] = {}
        self._keys = {table: [c.name for c in table.primary_key.columns] for table in ORDER}

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
        merged: dict[Table, dict[tuple, dict[str, Any]]] = {table: {} for table in ORDER}
        for table, row in self.fact_rows(events):
            key = tuple(row[k] for k in self._keys[table])
            known = merged[table].get(key)
            if known is None:
                merged[table][key] = dict(row)
            else:
                known.update((k, v) for k, v in row.items() if v is not None)
        current_summaries.order_against_registrations(
            session, registers=bool(merged[institutions]), names=bool(merged[partnership_institutions] or merged[enrolments])
        )
        for table in ORDER:
            # In key order: consumers applying batches at once lock shared rows in one order, never in a cycle.
            rows = [row for _, row in sorted(merged[table].items())]
            if rows:
                self._write(session, table, rows)
        changed = {row["id"] for row in merged[editions].values()}
        for table in (partnerships, partnership_institutions, enrolments, memberships):
            changed.update(row["edition_id"] for row in merged[table].values() if row.get("edition_id"))
        changed |= current_summaries.editions_naming(session, [row["id"] for row in merged[institutions].values()])
        current_summaries.keep(session, changed)

    def _write(self, session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
        keys = self._keys[table]
        if table is editions:
            # An edition only named by an event needs its row to exist, not a row lock held to the commit:
            # that lock made every consumer's batch of the edition wait for the others.
            insert_ignore(session, table, [row for row in rows if len(row) == 1], keys)
            rows = [row for row in rows if len(row) > 1]
        merge(session, table, rows, keys)


projector = ReportingProjector("reporting")


def _edition(edition_id: str) -> FactRow:
    """Any event naming an edition makes it known; EditionOpened fills in what it is."""
    return editions, {"id": edition_id}


@projector.facts(EditionOpened)
def _edition_opened(event: Envelope) -> Iterable[FactRow]:
    e: EditionOpened = event.data
    yield editions, {
        "id": e.edition_id,
        "programme": e.programme,
        "name": e.name,
        "year": e.year,
        "round": e.round,
        "kind": e.kind,
        "mal_required": e.mal_required,
        "budget_gr": grosze(e.budget),
        "opens_on": e.opens_on,
        "closes_on": e.closes_on,
        **_stamp("opened", event),
    }


@projector.facts(EditionClosed)
def _edition_closed(event: Envelope) -> Iterable[FactRow]:
    yield editions, {"id": event.data.edition_id, **_stamp("closed", event)}


@projector.facts(InstitutionRegistered)
def _institution_registered(event: Envelope) -> Iterable[FactRow]:
    e: InstitutionRegistered = event.data
    yield institutions, {
        "id": e.institution_id,
        "name": e.name,
        "kind": e.kind,
        "district": e.district,
        "is_mal": e.is_mal,
        **_stamp("registered", event),
    }


@projector.facts(PartnershipProposed)
def _partnership_proposed(event: Envelope) -> Iterable[FactRow]:
    e: PartnershipProposed = event.data
    members = tuple(dict.fromkeys(e.institution_ids))
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "title": e.title,
        "lead_institution_id": e.lead_institution_id,
        "size": len(members),
        "requested_gr": grosze(e.requested_amount),
        **_stamp("proposed", event),
    }
    for institution_id in members:
        yield partnership_institutions, {
            "partnership_id": e.partnership_id,
            "institution_id": institution_id,
            "edition_id": e.edition_id,
            "lead": institution_id == e.lead_institution_id,
            **_stamp("proposed", event),
        }


@projector.facts(PartnershipWithdrawn)
def _partnership_withdrawn(event: Envelope) -> Iterable[FactRow]:
    e: PartnershipWithdrawn = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "withdrawn_reason": e.reason,
        **_stamp("withdrawn", event),
    }


@projector.facts(MALVerified)
def _mal_verified(event: Envelope) -> Iterable[FactRow]:
    e: MALVerified = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "mal_institution_id": e.institution_id,
        **_stamp("mal_verified", event),
    }


@projector.facts(MALVerificationFailed)
def _mal_failed(event: Envelope) -> Iterable[FactRow]:
    e: MALVerificationFailed = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "mal_failed_reason": e.reason,
        **_stamp("mal_failed", event),
    }


@projector.facts(InstitutionEnrolled)
def _institution_enrolled(event: Envelope) -> Iterable[FactRow]:
    e: InstitutionEnrolled = event.data
    yield _edition(e.edition_id)
    yield enrolments, {"edition_id": e.edition_id, "institution_id": e.institution_id, **_stamp("enrolled", event)}


@projector.facts(FundingGranted)
def _funding_granted(event: Envelope) -> Iterable[FactRow]:
    e: FundingGranted = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "granted_gr": grosze(e.amount),
        "cap_gr": grosze(e.cap),
        **_stamp("granted", event),
    }


@projector.facts(FundingRejected)
def _funding_rejected(event: Envelope) -> Iterable[FactRow]:
    e: FundingRejected = event.data
    yield _edition(e.edition_id)
    yield partnerships, {
        "id": e.partnership_id,
        "edition_id": e.edition_id,
        "rejected_reason": e.reason,
        **_stamp("rejected", event),
    }


@projector.facts(VolunteerJoined)
def _volunteer_joined(event: Envelope) -> Iterable[FactRow]:
    e: VolunteerJoined = event.data
    yield _edition(e.edition_id)
    yield memberships, {
        "membership_id": e.membership_id,
        "volunteer_id": e.volunteer_id,
        "edition_id": e.edition_id,
        "institution_id": e.institution_id,
        "partnership_id": e.partnership_id,
        "joined_on": e.joined_on,
        **_stamp("joined", event),
    }


@projector.facts(VolunteerLeft)
def _volunteer_left(event: Envelope) -> Iterable[FactRow]:
    e: VolunteerLeft = event.data
    yield _edition(e.edition_id)
    yield memberships, {
        "membership_id": e.membership_id,
        "volunteer_id": e.volunteer_id,
        "edition_id": e.edition_id,
        "institution_id": e.institution_id,
        "left_on": e.left_on,
        **_stamp("left", event),
    }
