"""The auditors' re-check finds a grant given after funding knew of the withdrawal, and a settlement that
does not add up; histories the handlers refuse to write are written straight into the event store."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from contracts import PUBLIC
from contracts.funding import FundingGranted, FundingSettled
from infra import context
from infra.eventstore.records import NewEvent
from infra.eventstore.sql import SqlEventStore
from infra.eventstore.tables import processed_events
from services.funding.audit import recheck
from services.funding.projection import projector
from tests.integration.funding.api import CASES, REPORT, grant, settle
from tests.integration.funding.support import open_case, uid

CONSUMER = "consumer:funding-v2"


def now(seconds: float = 0) -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)


def consume(service, event, *, at: datetime.datetime, actor: str = CONSUMER) -> None:
    """Applies an applications event as funding's consumer does: claimed at `at`, then applied, in one transaction."""
    with service.read() as session, context.acting(actor):
        session.execute(processed_events.insert().values(
            consumer="funding-v2", event_id=event.id, topic="ochotnicy.applications", partition=0, offset=0,
            processed_at=at))
        projector.apply(session, event)
        session.commit()


def forge(service, event, version: int, *, at: datetime.datetime) -> None:
    """Writes a funding event into the store as no handler would."""
    spec = PUBLIC.spec(type(event).__name__)
    with service.read() as session:
        SqlEventStore(session, "funding").append([NewEvent(
            event_id=uid(), aggregate_type="FundingCase", aggregate_id=event.partnership_id, version=version,
            type=spec.type, schema_version=spec.version, topic=None, data=spec.schema.dump(event),
            meta={"actor": "ktoś"}, occurred_at=at)])
        session.commit()


def problems_of(service, partnership_id: str) -> list[str]:
    with service.read() as session:
        _, problems = recheck(session)
    return [p for p in problems if partnership_id in p]


def test_a_grant_recorded_after_funding_applied_the_withdrawal_is_reported(service, feed):
    edition_id, partnership_id = open_case(service, feed)
    consume(service, feed.withdrawn(partnership_id, edition_id), at=now(-5))
    forge(service, FundingGranted(partnership_id=partnership_id, edition_id=edition_id, amount=Decimal("5000.00"),
                                  cap=Decimal("6000.00")), 1, at=now())
    [problem] = problems_of(service, partnership_id)
    assert "gdy usługa dofinansowania wiedziała już o wycofaniu partnerstwa" in problem


@pytest.mark.parametrize("taken_back_by, reported", [(CONSUMER, False), ("anna.nowak", True)])
def test_a_grant_crossing_the_withdrawal_in_flight_is_sound_only_if_the_withdrawal_took_it_back(
        service, staff, feed, taken_back_by, reported):
    edition_id, partnership_id = open_case(service, feed)
    claimed = now(-1)  # the consumer claimed the withdrawal, then waited for the grant's lock
    assert grant(staff, partnership_id, "5000.00").status_code == 201
    consume(service, feed.withdrawn(partnership_id, edition_id), at=claimed, actor=taken_back_by)
    assert staff.get(f"{CASES}/{partnership_id}").get_json()["status"] == "revoked"
    assert bool(problems_of(service, partnership_id)) is reported


def test_a_grant_made_before_funding_learnt_of_the_withdrawal_stands_whoever_revoked_it(service, staff, feed):
    edition_id, partnership_id = open_case(service, feed)
    assert grant(staff, partnership_id, "5000.00").status_code == 201
    assert staff.post(f"{CASES}/{partnership_id}/revoke", json={"reason": "Projekt nie ruszył"}).status_code == 201
    consume(service, feed.withdrawn(partnership_id, edition_id), at=now())
    assert problems_of(service, partnership_id) == []


def test_a_settlement_made_through_the_api_adds_up(service, staff, feed):
    _, partnership_id = open_case(service, feed)
    grant(staff, partnership_id, "5000.00")
    assert settle(staff, partnership_id, **REPORT).status_code == 201
    assert settle(staff, partnership_id, "/accept").status_code == 200
    with service.read() as session:
        checked, problems = recheck(session)
    assert checked >= 2 and [p for p in problems if partnership_id in p] == []


@pytest.mark.parametrize("granted, spent, returned, found", [
    ("5000.00", "5200.00", "0.00", "wydano 5 200,00 zł, więcej niż przyznano (5 000,00 zł)"),
    ("6000.00", "4000.00", "2000.00", "podaje przyznaną kwotę 6 000,00 zł; według dziennika przyznano 5 000,00 zł"),
    ("5000.00", "4000.00", "100.00", "do zwrotu podano 100,00 zł, a przyznano 5 000,00 zł i wydano 4 000,00 zł"),
])
def test_a_settlement_that_does_not_add_up_to_its_grant_is_reported(service, staff, feed, granted, spent, returned, found):
    edition_id, partnership_id = open_case(service, feed)
    grant(staff, partnership_id, "5000.00")
    forge(service, FundingSettled(partnership_id=partnership_id, edition_id=edition_id, granted_amount=Decimal(granted),
                                  spent_amount=Decimal(spent), returned_amount=Decimal(returned)), 2, at=now())
    [problem] = problems_of(service, partnership_id)
    assert problem.startswith("rozliczenie ") and problem.endswith(found)


def test_a_settlement_of_a_revoked_grant_is_reported(service, staff, feed):
    edition_id, partnership_id = open_case(service, feed)
    grant(staff, partnership_id, "5000.00")
    staff.post(f"{CASES}/{partnership_id}/revoke", json={"reason": "Projekt nie ruszył"})
    forge(service, FundingSettled(partnership_id=partnership_id, edition_id=edition_id, granted_amount=Decimal("5000.00"),
                                  spent_amount=Decimal("5000.00"), returned_amount=Decimal("0.00")), 3, at=now())
    assert [p.split(": ", 1)[1] for p in problems_of(service, partnership_id)] == [
        "rozliczono dofinansowanie, które wcześniej cofnięto"]
