"""Applications' events as funding receives them, built from the contracts, with per-aggregate sequences."""

from __future__ import annotations

import datetime
import itertools
import uuid
from collections import defaultdict
from decimal import Decimal

from contracts import PUBLIC, envelope
from contracts.applications import (
    EditionClosed,
    EditionOpened,
    GrantCap,
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from contracts.envelope import Envelope, source_of
from services.funding.projection import projector

CAPS = (GrantCap(2, 3, Decimal("6000.00")), GrantCap(4, None, Decimal("10000.00")))
_clock = itertools.count()


def uid() -> str:
    return str(uuid.uuid4())


class Applications:
    """Makes the events the applications service would publish, each aggregate's numbered 1, 2, 3…"""

    def __init__(self) -> None:
        self._sequence: dict[str, int] = defaultdict(int)

    def _envelope(self, subject: str, data) -> Envelope:
        self._sequence[subject] += 1
        return Envelope(
            id=uid(),
            type=type(data).__name__,
            source=source_of("applications"),
            subject=subject,
            sequence=self._sequence[subject],
            time=datetime.datetime(2021, 9, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=next(_clock)),
            schema_version=1,
            data=data,
        )

    def edition_opened(self, edition_id: str, *, mal_required: bool = True, budget: str | None = None,
                       caps=CAPS, name: str = "Partnerstwa 2021 – tura jesienna") -> Envelope:
        return self._envelope(edition_id, EditionOpened(
            edition_id=edition_id, programme="partnerships", name=name, year=2021, round="autumn",
            kind="partnership", mal_required=mal_required, grant_caps=caps,
            budget=Decimal(budget) if budget is not None else None,
            opens_on=datetime.date(2021, 9, 1), closes_on=datetime.date(2021, 10, 31)))

    def edition_closed(self, edition_id: str) -> Envelope:
        return self._envelope(edition_id, EditionClosed(edition_id=edition_id))

    def proposed(self, partnership_id: str, edition_id: str, *, size: int = 3, requested: str = "6000.00",
                 title: str = "Sąsiedzi na Ochocie") -> Envelope:
        institutions = tuple(uid() for _ in range(size))
        return self._envelope(partnership_id, PartnershipProposed(
            partnership_id=partnership_id, edition_id=edition_id, title=title, lead_institution_id=institutions[0],
            institution_ids=institutions, requested_amount=Decimal(requested)))

    def mal_verified(self, partnership_id: str, edition_id: str) -> Envelope:
        return self._envelope(partnership_id, MALVerified(partnership_id=partnership_id, edition_id=edition_id,
                                                          institution_id=uid()))

    def mal_failed(self, partnership_id: str, edition_id: str, reason: str = "MAL nie bierze udziału") -> Envelope:
        return self._envelope(partnership_id, MALVerificationFailed(partnership_id=partnership_id,
                                                                    edition_id=edition_id, reason=reason))

    def withdrawn(self, partnership_id: str, edition_id: str, reason: str = "Rezygnacja lidera") -> Envelope:
        return self._envelope(partnership_id, PartnershipWithdrawn(partnership_id=partnership_id,
                                                                   edition_id=edition_id, reason=reason))


def apply(service, *events: Envelope) -> None:
    """Applies each event in its own transaction, as the consumer would."""
    for event in events:
        with service.read() as session:
            projector.apply(session, event)
            session.commit()


def wire(event: Envelope) -> bytes:
    """The event as a CloudEvents message on the applications topic."""
    _, data = PUBLIC.encode(event.data)
    return envelope.write(id=event.id, service="applications", type=event.type, version=1, subject=event.subject,
                          sequence=event.sequence, time=event.time, data=data)


def open_case(service, feed: Applications, *, mal_required: bool = True, budget: str | None = None,
              size: int = 3, requested: str = "6000.00", verified: bool = True) -> tuple[str, str]:
    """(edition id, partnership id) of a case as the projector saw it: edition opened, proposal, MAL verified."""
    edition_id, partnership_id = uid(), uid()
    events = [feed.edition_opened(edition_id, mal_required=mal_required, budget=budget),
              feed.proposed(partnership_id, edition_id, size=size, requested=requested)]
    if verified:
        events.append(feed.mal_verified(partnership_id, edition_id))
    apply(service, *events)
    return edition_id, partnership_id
