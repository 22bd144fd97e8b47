"""The consumer of applications' events: any order, any repetition, the same known facts."""

from __future__ import annotations

import datetime
import itertools
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from contracts import envelope, topics
from contracts.applications import EditionClosed, InstitutionDetailsChanged, PartnershipProposed, PartnershipWithdrawn
from infra.eventstore.tables import processed_events
from services.volunteers.readmodel import known_editions, known_institutions, known_partnerships
from tests.integration.volunteers.conftest import edition_opened, institution_registered, partners, uid
from tests.support.apps import Client

_offsets = itertools.count()


def message(event, subject: str, sequence: int = 1, event_id: str | None = None):
    """A Kafka record as the consumer receives it, carrying the CloudEvent applications would publish."""
    from contracts import PUBLIC

    spec, data = PUBLIC.encode(event)
    value = envelope.write(
        id=event_id or uid(), service="applications", type=spec.type, version=spec.version, subject=subject,
        sequence=sequence, time=datetime.datetime.now(datetime.timezone.utc), data=data,
    )
    return SimpleNamespace(topic=topics.APPLICATIONS, partition=0, offset=next(_offsets), key=subject.encode(), value=value)


def story():
    """An edition opened and closed, an institution, a partnership proposed and withdrawn."""
    edition, institution = edition_opened(), institution_registered()
    other = institution_registered(name="Ośrodek Pomocy Społecznej Wola")
    partnership = PartnershipProposed(
        partnership_id=uid(), edition_id=edition.edition_id, title="Razem", lead_institution_id=institution.institution_id,
        institution_ids=(institution.institution_id, other.institution_id), requested_amount=Decimal("5000.00"),
    )
    return [
        message(edition, edition.edition_id, 1),
        message(EditionClosed(edition.edition_id), edition.edition_id, 2),
        message(institution, institution.institution_id),
        message(partnership, partnership.partnership_id, 1),
        message(PartnershipWithdrawn(partnership.partnership_id, edition.edition_id, "brak chętnych"),
                partnership.partnership_id, 2),
    ], edition, institution, partnership


def known(service, edition_id, institution_id, partnership_id):
    with service.read() as session:
        return (
            session.execute(select(known_editions).where(known_editions.c.id == edition_id)).one()._asdict(),
            session.execute(select(known_institutions).where(known_institutions.c.id == institution_id)).one()._asdict(),
            session.execute(select(known_partnerships).where(known_partnerships.c.id == partnership_id)).one()._asdict(),
        )


@pytest.fixture(scope="module")
def service(volunteers):
    return volunteers[0]


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4), (4, 1, 3, 2, 0), (1, 0, 4, 3, 2)], ids=["in-order", "reversed", "shuffled"])
def test_the_facts_are_the_same_whatever_order_the_events_arrive_in(service, order):
    messages, edition, institution, partnership = story()
    consumer = service.consumer(f"volunteers-{uuid.uuid4().hex[:6]}")
    for i in order:
        consumer.process([messages[i]])
    ed, inst, part = known(service, edition.edition_id, institution.institution_id, partnership.partnership_id)
    assert (ed["name"], ed["opened"], ed["closed"]) == (edition.name, True, True)
    assert (inst["name"], inst["district"]) == (institution.name, "Wola")
    assert (part["edition_id"], part["proposed"], part["withdrawn"]) == (edition.edition_id, True, True)
    assert institution.institution_id in part["institution_ids"]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)], ids=["in-order", "reversed", "shuffled"])
def test_corrections_of_the_register_end_in_the_latest_whatever_the_order(service, order):
    registered = institution_registered(name="Biblioteka Publiczna Wola")
    first = InstitutionDetailsChanged(registered.institution_id, "Biblioteka na Woli", "library", "Wola", False)
    second = InstitutionDetailsChanged(registered.institution_id, "Biblioteka na Woli", "culture_house", "Bemowo", True)
    messages = [message(event, registered.institution_id, sequence) for sequence, event in enumerate((registered, first, second), 1)]
    consumer = service.consumer(f"volunteers-{uuid.uuid4().hex[:6]}")
    for i in order:
        consumer.process([messages[i]])
    consumer.process([message(registered, registered.institution_id, 1)])  # the registration again, under a new id
    with service.read() as session:
        row = session.execute(select(known_institutions).where(known_institutions.c.id == registered.institution_id)).one()
    assert (row.name, row.kind, row.district, row.version) == ("Biblioteka na Woli", "culture_house", "Bemowo", 3)


def test_an_event_delivered_twice_is_applied_once_and_the_projection_is_idempotent_anyway(service):
    messages, edition, institution, partnership = story()
    consumer = service.consumer(f"volunteers-{uuid.uuid4().hex[:6]}")
    consumer.process(messages)
    first = known(service, edition.edition_id, institution.institution_id, partnership.partnership_id)
    consumer.process(messages + messages[:2])  # a redelivered batch
    consumer.process([message(edition, edition.edition_id, 1)])  # the same event again under a new id (a replay)
    assert known(service, edition.edition_id, institution.institution_id, partnership.partnership_id) == first
    with service.read() as session:
        applied = session.execute(
            select(func.count()).select_from(processed_events).where(processed_events.c.consumer == consumer.name)
        ).scalar()
    assert applied == len(messages) + 1


def test_once_the_events_arrive_a_volunteer_can_join(volunteers):
    service, app = volunteers
    staff = Client(app, "volunteers:write")
    edition, institution = edition_opened(), institution_registered(name="Biblioteka na Kole")
    proposal = partners(edition, institution, institution_registered(name="Dom Kultury na Kole"))
    volunteer = staff.post("/api/v1/volunteers", json={
        "first_name": "Jan", "last_name": "Kos", "email": f"jan.{uuid.uuid4().hex[:8]}@example.pl"}).get_json()
    body = {"institution_id": institution.institution_id, "edition_id": edition.edition_id, "joined_on": "2021-10-01"}

    def refused() -> str:
        answer = staff.post(f"/api/v1/volunteers/{volunteer['id']}/memberships", json=body)
        assert answer.status_code == 422 and "poczekaj chwilę" in answer.get_json()["message"]
        return answer.get_json()["rule"]

    assert refused() == "unknown_edition"
    consumer = service.consumer(f"volunteers-{uuid.uuid4().hex[:6]}")
    consumer.process([message(institution, institution.institution_id), message(edition, edition.edition_id)])
    assert refused() == "institution_not_in_edition"  # known now, but not yet known to take part in the edition
    consumer.process([message(proposal, proposal.partnership_id)])
    joined = staff.post(f"/api/v1/volunteers/{volunteer['id']}/memberships", json=body)
    assert joined.status_code == 201
    assert joined.get_json()["institution_name"] == "Biblioteka na Kole"
