"""The volunteers service in-process on a scratch database, and the applications facts it needs."""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from decimal import Decimal

import pytest

from contracts.applications import EditionClosed, EditionOpened, GrantCap, InstitutionRegistered, PartnershipProposed
from contracts.envelope import Envelope, source_of
from tests.support.apps import Client, service_app

WRITE = "volunteers:write"


def uid() -> str:
    return str(uuid.uuid4())


def envelope(data, subject: str, sequence: int = 1) -> Envelope:
    """An applications event as the consumer would hand it to the projector."""
    return Envelope(
        id=uid(), type=type(data).__name__, source=source_of("applications"), subject=subject, sequence=sequence,
        time=datetime.datetime.now(datetime.timezone.utc), schema_version=1, data=data,
    )


def edition_opened(edition_id: str | None = None, name: str = "Partnerstwa 2021 – tura jesienna") -> EditionOpened:
    return EditionOpened(
        edition_id=edition_id or uid(), programme="partnerships", name=name, year=2021, round="autumn",
        kind="partnership", mal_required=True, grant_caps=(GrantCap(2, 3, Decimal("6000.00")),), budget=None,
        opens_on=datetime.date(2021, 9, 1), closes_on=datetime.date(2021, 10, 31),
    )


def institution_registered(institution_id: str | None = None, name: str = "Biblioteka Publiczna Wola") -> InstitutionRegistered:
    return InstitutionRegistered(institution_id=institution_id or uid(), name=name, kind="library", district="Wola",
                                 is_mal=False)


def partners(edition: EditionOpened, *institutions: InstitutionRegistered) -> PartnershipProposed:
    """A proposal of `institutions` in `edition`: it makes them take part in it."""
    ids = tuple(i.institution_id for i in institutions)
    return PartnershipProposed(partnership_id=uid(), edition_id=edition.edition_id, title="Razem na Woli",
                               lead_institution_id=ids[0], institution_ids=ids, requested_amount=Decimal("6000.00"))


@dataclasses.dataclass
class Known:
    """Ids the volunteers service has learnt from the applications service's events."""

    institution_id: str
    other_institution_id: str
    edition_id: str
    closed_edition_id: str
    partnership_id: str


def learn(service, *events) -> None:
    """Applies applications events to the volunteers read model, as its consumer does."""
    from services.volunteers.projection import projector

    with service.read() as session:
        for event in events:
            subject = next(v for k, v in vars(event).items() if k.endswith("_id"))
            projector.apply(session, envelope(event, subject))
        session.commit()


@pytest.fixture(scope="module")
def volunteers(databases):
    """(service object, Flask app) of the volunteers service on its own database."""
    return service_app("volunteers", databases.create("volunteers"))


@pytest.fixture(scope="module")
def known(volunteers) -> Known:
    service, _ = volunteers
    institution, other = institution_registered(), institution_registered(name="Dom Kultury Kadr")
    edition, closed = edition_opened(), edition_opened(name="Partnerstwa 2021 – tura wiosenna")
    partnership = PartnershipProposed(
        partnership_id=uid(), edition_id=edition.edition_id, title="Sąsiedzi na Woli",
        lead_institution_id=institution.institution_id,
        institution_ids=(institution.institution_id, other.institution_id), requested_amount=Decimal("6000.00"),
    )
    earlier = dataclasses.replace(partnership, partnership_id=uid(), edition_id=closed.edition_id)
    learn(service, institution, other, edition, closed, EditionClosed(closed.edition_id), partnership, earlier)
    return Known(institution.institution_id, other.institution_id, edition.edition_id, closed.edition_id,
                 partnership.partnership_id)


@pytest.fixture
def staff(volunteers) -> Client:
    return Client(volunteers[1], WRITE)


def person(**overrides) -> dict:
    """A volunteer's registration body with an e-mail no other test uses."""
    return {"first_name": "Genowefa", "last_name": "Pigwa", "email": f"genowefa.{uuid.uuid4().hex[:10]}@example.pl",
            "phone": "+48 601 234 567"} | overrides
