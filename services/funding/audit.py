"""For auditors: every grant and settlement re-checked against the rules and facts funding had when it was made.

* a grant against the rules and inputs it recorded (caps, size, MAL, the budget in force, revocations given back);
* a grant against what funding knew of the partnership's withdrawal (see `withdrawals_learnt`);
* a settlement against its grant: the amount granted, spent at most that, the rest returned.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts.funding import FundingGranted, FundingRevoked, FundingSettled
from contracts.rules import bracket_for
from infra.eventstore.records import StoredEvent
from infra.eventstore.sql import SqlEventStore
from infra.eventstore.tables import processed_events
from infra.polish import pln
from services.funding.domain.events import REGISTRY
from services.funding.domain.rules import VERIFIED
from services.funding.readmodel import cases

CHECKED = {"FundingGranted", "FundingRevoked", "FundingSettled"}


def withdrawals_learnt(session: Session) -> dict[str, datetime.datetime]:
    """Partnership id → when funding's consumer first claimed its PartnershipWithdrawn.

    The claim comes before the consumer's transaction takes the edition's decisions lock and the case's row, so a
    grant recorded later either crossed the withdrawal in flight (it committed first, and that transaction took it
    back: a FundingRevoked recorded by the consumer) or was given while funding knew (a problem).
    """
    learnt = select(cases.c.id, func.min(processed_events.c.processed_at)).join(
        processed_events, processed_events.c.event_id == cases.c.withdrawn_event).group_by(cases.c.id)
    return {partnership_id: moment for partnership_id, moment in session.execute(learnt)}


@dataclasses.dataclass
class _Case:
    grant: FundingGranted | None = None
    revoked: bool = False
    settled: bool = False
    late: str | None = None
    """A grant recorded after funding learnt of the withdrawal: a problem unless the withdrawal's consumer took it back."""


class _Audit:
    def __init__(self, learnt: dict[str, datetime.datetime]) -> None:
        self.learnt = learnt
        self.checked = 0
        self.problems: list[str] = []
        self.committed: dict[str, Decimal] = defaultdict(Decimal)
        self.cases: dict[str, _Case] = defaultdict(_Case)

    def see(self, record: StoredEvent) -> None:
        try:
            event = REGISTRY.decode(record.type, record.schema_version, record.data)
        except ValidationError:
            return  # the replay names an event its schema refuses in its own note
        case = self.cases[event.partnership_id]
        if isinstance(event, FundingRevoked):  # a revoked grant's amount went back to the budget
            self.committed[event.edition_id] -= event.amount
            case.revoked = True
            if str(record.meta.get("actor", "")).startswith("consumer:funding"):  # the withdrawal took it back in flight
                case.late = None
        elif isinstance(event, FundingGranted):
            self.checked += 1
            self._report(record, "przyznanie", _check(event, self.committed))
            self.committed[event.edition_id] += event.amount
            self._flush(case)
            case.grant, case.revoked, case.settled = event, False, False
            learnt = self.learnt.get(event.partnership_id)
            if learnt is not None and record.occurred_at >= learnt:
                case.late = (f"przyznanie {record.event_id} (partnerstwo {event.partnership_id}): zapisane {_at(record.occurred_at)}, "
                             f"gdy usługa dofinansowania wiedziała już o wycofaniu partnerstwa (od {_at(learnt)})")
        elif isinstance(event, FundingSettled):
            self.checked += 1
            self._report(record, "rozliczenie", _settlement(event, case))
            case.settled = True

    def _report(self, record: StoredEvent, what: str, found: list[str]) -> None:
        partnership = record.aggregate_id
        self.problems += [f"{what} {record.event_id} (partnerstwo {partnership}): {p}" for p in found]

    def _flush(self, case: _Case) -> None:
        if case.late is not None:
            self.problems.append(case.late)
            case.late = None

    def finish(self) -> list[str]:
        for case in self.cases.values():
            self._flush(case)
        return self.problems


def recheck(session: Session) -> tuple[int, list[str]]:
    """How many decisions (grants and settlements) were re-checked, and each problem found, in plain Polish words."""
    audit = _Audit(withdrawals_learnt(session))
    for record in _records(session):
        audit.see(record)
    return audit.checked, audit.finish()


def _records(session: Session) -> Iterator[StoredEvent]:
    store, after = SqlEventStore(session, "funding"), 0
    while batch := store.read_all(after=after, limit=5000):
        after = batch[-1].position
        yield from (record for record in batch if record.type in CHECKED)


def _at(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(datetime.timezone.utc):%Y-%m-%d %H:%M:%S} UTC"


def _settlement(settled: FundingSettled, case: _Case) -> list[str]:
    found = []
    if case.grant is None:
        return ["rozliczono dofinansowanie, którego dziennik nie zna"]
    if case.revoked:
        found.append("rozliczono dofinansowanie, które wcześniej cofnięto")
    if case.settled:
        found.append("dofinansowanie rozliczono już wcześniej")
    if settled.granted_amount != case.grant.amount:
        found.append(f"podaje przyznaną kwotę {pln(settled.granted_amount)}; według dziennika przyznano {pln(case.grant.amount)}")
    if settled.spent_amount > settled.granted_amount:
        found.append(f"wydano {pln(settled.spent_amount)}, więcej niż przyznano ({pln(settled.granted_amount)})")
    elif settled.returned_amount != settled.granted_amount - settled.spent_amount:
        found.append(f"do zwrotu podano {pln(settled.returned_amount)}, a przyznano {pln(settled.granted_amount)} "
                     f"i wydano {pln(settled.spent_amount)}")
    return found


def _check(grant: FundingGranted, committed: dict[str, Decimal]) -> list[str]:
    found = []
    if grant.amount > grant.cap:
        found.append(f"{pln(grant.amount)} przekracza limit podany w decyzji, {pln(grant.cap)}")
    if grant.rules is None or grant.inputs is None:
        return found  # a v1 decision: its rules were not recorded, only the cap can be checked
    rules, inputs = grant.rules, grant.inputs
    bracket = bracket_for(rules.grant_caps, inputs.partnership_size)
    if bracket is None:
        found.append(f"żaden przedział edycji nie obejmuje partnerstwa z {inputs.partnership_size} instytucji")
    elif bracket.cap != grant.cap:
        found.append(f"limit dla partnerstwa z {inputs.partnership_size} instytucji wynosił {pln(bracket.cap)}, nie {pln(grant.cap)}")
    if grant.amount > inputs.requested_amount:
        found.append(f"{pln(grant.amount)} przekracza wnioskowaną kwotę, {pln(inputs.requested_amount)}")
    if rules.mal_required and inputs.mal_status != VERIFIED:
        found.append(f"edycja wymagała potwierdzonego MAL, a jego stan był {inputs.mal_status!r}")
    if rules.budget is not None:
        before = committed[grant.edition_id]
        if inputs.budget_committed_before is not None and inputs.budget_committed_before != before:
            found.append(f"decyzja podaje, że wcześniej przyznano {pln(inputs.budget_committed_before)}; według dziennika {pln(before)}")
        if before + grant.amount > rules.budget:
            found.append(f"przekracza budżet edycji {pln(rules.budget)} (wcześniej przyznano {pln(before)})")
    return found
