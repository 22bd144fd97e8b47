"""Services under test, in-process: their Flask apps on scratch databases."""

from __future__ import annotations

from sqlalchemy import func, select

from infra import spec
from infra.eventstore.tables import events
from infra.web.app import create_app
from tests.support.stack import auth, settings


class Client:
    """A Flask test client that sends a bearer token with the given roles."""

    def __init__(self, app, *roles: str) -> None:
        self.app = app
        self._client = app.test_client()
        self.headers = auth(*roles) if roles else {}

    def as_(self, *roles: str) -> Client:
        return Client(self.app, *roles)

    def anonymous(self) -> Client:
        return Client(self.app)

    def get(self, path, **kw):
        return self._client.get(path, headers=self.headers | kw.pop("headers", {}), **kw)

    def post(self, path, json=None, **kw):
        return self._client.post(path, json=json, headers=self.headers | kw.pop("headers", {}), **kw)

    def patch(self, path, json=None, **kw):
        return self._client.patch(path, json=json, headers=self.headers | kw.pop("headers", {}), **kw)

    def delete(self, path, **kw):
        return self._client.delete(path, headers=self.headers | kw.pop("headers", {}), **kw)


def service_app(name: str, database_url: str, bootstrap_servers: str = "127.0.0.1:1", **extra: str):
    """(service object, Flask app) of `services.<name>`; the broker is only needed by its worker; `extra`: more settings."""
    service = spec.load(name).bootstrap(settings(name, database_url, bootstrap_servers, **extra), configure_logging=False)
    return service, create_app(service)


def event_count(service) -> int:
    """How many events the service's store holds: a refused command must not change it."""
    with service.read() as session:
        return session.execute(select(func.count()).select_from(events)).scalar()
