"""A reporting service on a scratch database, and helpers to feed it events."""

from __future__ import annotations

import pytest

from services.reporting.readmodel import queries
from services.reporting.readmodel.projection import projector
from services.reporting.spec import SPEC
from tests.integration.reporting.scenario import at, edition_opened, new_id, populated, wrap
from tests.support.apps import Client
from tests.support.stack import settings


@pytest.fixture(scope="module")
def service(databases):
    return SPEC.bootstrap(settings("reporting", databases.create("reporting"), "127.0.0.1:1"), configure_logging=False)


@pytest.fixture(scope="module")
def app(service):
    from infra.web.app import create_app

    return create_app(service)


@pytest.fixture
def client(app):
    return Client(app, "reporting:read")


class Feeder:
    """Applies envelopes the way the consumer does: a batch per transaction through `apply_batch`."""

    def __init__(self, service) -> None:
        self.service = service

    def batch(self, events) -> None:
        with self.service.runtime.sessions() as session:
            projector.apply_batch(session, list(events))
            session.commit()

    def one_by_one(self, events) -> None:
        for event in events:
            with self.service.runtime.sessions() as session:
                projector.apply(session, event)
                session.commit()

    def summary(self, edition_id: str, as_of=None) -> dict | None:
        with self.service.read() as session:
            edition = queries.edition(session, edition_id)
            if edition is None:
                return None
            found = queries.summary(session, edition, as_of)
        found.pop("as_of")
        return found


@pytest.fixture
def feed(service):
    return Feeder(service)


@pytest.fixture
def edition(feed):
    """A partnership edition opened on 1 September 2021; its id."""
    edition_id = new_id()
    feed.batch([wrap(edition_opened(edition_id), time=at("2021-09-01 08:00"))])
    return edition_id


@pytest.fixture(scope="module")
def world(service):
    """The populated autumn round, applied in order, shared by the read-only tests of a module."""
    story = populated()
    Feeder(service).batch(story.events)
    return story
