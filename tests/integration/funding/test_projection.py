"""The case read model is built from applications' events whatever order they come in, duplicates included."""

from __future__ import annotations

import dataclasses
import itertools
import uuid

from kafka import KafkaProducer
from sqlalchemy import func, select

from contracts import topics
from contracts.applications import InstitutionEnrolled, InstitutionRegistered
from infra.eventstore.tables import processed_events
from infra.messaging import kafka
from services.funding import queries
from tests.integration.funding.support import apply, uid, wire
from tests.support.waiting import running, wait_until


def case(service, partnership_id):
    with service.read() as session:
        return queries.case(session, partnership_id)


def test_every_arrival_order_of_a_cases_events_and_their_duplicates_yields_the_same_case(service, feed):
    edition_id, partnership_id = uid(), uid()
    events = [feed.edition_opened(edition_id), feed.proposed(partnership_id, edition_id),
              feed.mal_failed(partnership_id, edition_id), feed.mal_verified(partnership_id, edition_id),
              feed.edition_closed(edition_id)]
    seen = []
    for order in itertools.permutations(range(len(events))):
        if order[0] > 1:  # 48 of the 120 orders are plenty; keep the test quick
            continue
        # Each order runs against copies with fresh ids, as if it were another partnership.
        e_id, p_id = uid(), uid()
        remap = {edition_id: e_id, partnership_id: p_id}
        copies = [_renamed(e, remap) for e in events]
        apply(service, *[copies[i] for i in order], copies[order[-1]], copies[order[0]])  # two duplicates
        got = case(service, p_id)
        assert got is not None, order
        seen.append({k: v for k, v in got.items() if k not in ("id", "partnership_id", "edition_id", "institution_ids",
                                                                 "lead_institution_id")})
    assert all(s == seen[0] for s in seen)
    assert seen[0]["mal_status"] == "verified", "the later verification (sequence 3) wins over the failure"
    assert seen[0]["eligible"] is True and seen[0]["cap"] == seen[0]["requested_amount"]
    assert seen[0]["edition_closed"] is True


def _renamed(event, remap):
    data = event.data
    changes = {f: remap[getattr(data, f)] for f in ("edition_id", "partnership_id") if hasattr(data, f)}
    return dataclasses.replace(event, id=str(uuid.uuid4()), subject=remap[event.subject],
                               data=dataclasses.replace(data, **changes))


def test_a_proposal_before_its_edition_has_no_cap_yet_and_says_the_edition_is_unknown(service, feed):
    edition_id, partnership_id = uid(), uid()
    apply(service, feed.proposed(partnership_id, edition_id, size=4, requested="9000.00"))
    waiting = case(service, partnership_id)
    assert waiting["cap"] is None and waiting["eligible"] is False
    assert waiting["reason_codes"] == ["edition_unknown"]
    assert waiting["reasons"][0].startswith("Edycja jeszcze nieznana")
    apply(service, feed.edition_opened(edition_id, mal_required=False))
    known = case(service, partnership_id)
    assert str(known["cap"]) == "10000.00" and known["eligible"] is True and known["reasons"] == []


def test_a_mal_verification_before_its_proposal_is_kept_and_the_case_appears_with_the_proposal(service, feed):
    edition_id, partnership_id = uid(), uid()
    apply(service, feed.edition_opened(edition_id))
    proposal = feed.proposed(partnership_id, edition_id)
    apply(service, feed.mal_verified(partnership_id, edition_id))
    assert case(service, partnership_id) is None, "no case until the partnership is proposed"
    apply(service, proposal)
    got = case(service, partnership_id)
    assert got["mal_status"] == "verified" and got["eligible"] is True


def test_a_withdrawal_before_the_proposal_still_withdraws_the_case(service, feed):
    edition_id, partnership_id = uid(), uid()
    proposal = feed.proposed(partnership_id, edition_id)
    apply(service, feed.withdrawn(partnership_id, edition_id, "Lider rezygnuje"), proposal, feed.edition_opened(edition_id))
    got = case(service, partnership_id)
    assert got["status"] == "withdrawn" and got["withdrawn_reason"] == "Lider rezygnuje"
    assert got["reason_codes"] == ["withdrawn", "mal_not_verified"]


def test_events_funding_does_not_need_are_ignored(service):
    assert not service.runtime.projector.handles(InstitutionRegistered(uid(), "Biblioteka", "library", "Wola", False))
    assert not service.runtime.projector.handles(InstitutionEnrolled(uid(), uid()))


def test_the_consumer_builds_cases_from_the_topic_in_any_order_applying_duplicates_once(service, feed, broker):
    edition_id, partnership_id = uid(), uid()
    events = [feed.edition_opened(edition_id, budget="20000.00"), feed.proposed(partnership_id, edition_id),
              feed.mal_verified(partnership_id, edition_id)]
    kafka.ensure_topics(service.runtime.settings, [topics.APPLICATIONS], "test")
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
    for event in [events[2], events[1], events[2], events[0], events[1]]:  # reversed, with duplicates
        producer.send(topics.APPLICATIONS, key=event.subject.encode(), value=wire(event))
    producer.flush()
    producer.close()
    name = f"funding-test-{uuid.uuid4().hex[:8]}"
    with running(service.consumer(name).run):
        got = wait_until(lambda: (c := case(service, partnership_id)) and c["eligible"] and c, what="an eligible case")
    assert got["mal_status"] == "verified" and str(got["budget_remaining"]) == "20000.00"
    with service.read() as session:
        applied = session.execute(select(func.count()).select_from(processed_events).where(
            processed_events.c.consumer == name, processed_events.c.event_id.in_([e.id for e in events]))).scalar()
    assert applied == 3
