"""A synthetic log for the replay benchmark: valid events of every topic the reporting service reads.

Editions of 200 institutions each, then cycles of a proposal, a MAL check on every other one, a funding
decision and volunteers joining and leaving; each event carries its aggregate's next version.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import uuid
from collections.abc import Callable, Iterator

from contracts import envelope, topics, vocabulary
from contracts.applications import EditionOpened, GrantCap, InstitutionRegistered, MALVerified, PartnershipProposed
from contracts.funding import FundingGranted, FundingRejected
from contracts.registry import PUBLIC
from contracts.volunteers import VolunteerJoined, VolunteerLeft
from infra.config import Settings
from infra.messaging import kafka

SERVICE_OF_TOPIC = {topic: service for service, topic in topics.BY_SERVICE.items()}
INSTITUTIONS_PER_EDITION = 200
CYCLES_PER_EDITION = 2000
MOMENT = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def _id(n: int) -> str:
    return str(uuid.UUID(int=n))


def events() -> Iterator[tuple[str, object]]:
    """An endless, deterministic stream of (subject, event)."""
    numbers = itertools.count(1)
    for edition_number in itertools.count():
        edition = _id(next(numbers))
        yield edition, EditionOpened(
            edition_id=edition, programme="partnerships", name=f"Partnerstwa – edycja próbna {edition_number + 1}",
            year=2026, round="spring", kind="partnership", mal_required=True,
            grant_caps=(GrantCap(2, 3, decimal.Decimal("6000.00")), GrantCap(4, None, decimal.Decimal("10000.00"))),
            budget=None, opens_on=datetime.date(2026, 3, 1), closes_on=datetime.date(2026, 4, 30),
        )
        institutions = [_id(next(numbers)) for _ in range(INSTITUTIONS_PER_EDITION)]
        for i, institution in enumerate(institutions):
            yield institution, InstitutionRegistered(
                institution_id=institution, name=f"Instytucja {i + 1}", kind=vocabulary.INSTITUTION_KINDS[i % 3],
                district=vocabulary.DISTRICTS[i % len(vocabulary.DISTRICTS)], is_mal=i % 3 == 2,
            )
        for cycle in range(CYCLES_PER_EDITION):
            partnership = _id(next(numbers))
            members = tuple(institutions[(cycle + k) % INSTITUTIONS_PER_EDITION] for k in range(3))
            yield partnership, PartnershipProposed(
                partnership_id=partnership, edition_id=edition, title=f"Partnerstwo {cycle + 1}",
                lead_institution_id=members[0], institution_ids=members, requested_amount=decimal.Decimal("6000.00"),
            )
            if cycle % 2 == 0:
                yield partnership, MALVerified(partnership_id=partnership, edition_id=edition, institution_id=members[0])
                yield partnership, FundingGranted(
                    partnership_id=partnership, edition_id=edition, amount=decimal.Decimal("6000.00"),
                    cap=decimal.Decimal("6000.00"),
                )
            else:
                yield partnership, FundingRejected(partnership_id=partnership, edition_id=edition, reason="Brak MAL.")
            for k in range(2):
                volunteer, membership = _id(next(numbers)), _id(next(numbers))
                yield volunteer, VolunteerJoined(
                    volunteer_id=volunteer, membership_id=membership, institution_id=members[k],
                    edition_id=edition, partnership_id=partnership, joined_on=datetime.date(2026, 3, 2),
                )
            yield volunteer, VolunteerLeft(
                volunteer_id=volunteer, membership_id=membership, institution_id=members[1],
                edition_id=edition, left_on=datetime.date(2026, 4, 2),
            )


def messages(count: int) -> Iterator[tuple[str, str, bytes]]:
    """(topic, key, CloudEvents document) for the first `count` events."""
    versions: dict[tuple[str, str], int] = {}
    for n, (subject, event) in enumerate(itertools.islice(events(), count)):
        spec, data = PUBLIC.encode(event)
        stream = (spec.topic, subject)
        versions[stream] = versions.get(stream, 0) + 1
        yield spec.topic, subject, envelope.write(
            id=str(uuid.UUID(int=(1 << 100) + n)), service=SERVICE_OF_TOPIC[spec.topic], type=spec.type,
            version=spec.version, subject=subject, sequence=versions[stream],
            time=MOMENT + datetime.timedelta(milliseconds=n), data=data,
        )


def publish(settings: Settings, count: int, progress: Callable[[int], None] = lambda n: None) -> None:
    """Writes the first `count` events to the broker of `settings`, keyed by aggregate as the relays do."""
    kafka.ensure_topics(settings, sorted(SERVICE_OF_TOPIC), "bench-log")
    producer = kafka.producer(settings, "bench-log")
    try:
        for n, (topic, key, value) in enumerate(messages(count), 1):
            producer.send(topic, key=key.encode(), value=value)
            if n % 10_000 == 0:
                progress(10_000)
        producer.flush(timeout=120)
        progress(count % 10_000)
    finally:
        producer.close()
