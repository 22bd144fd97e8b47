"""Fixtures every tier shares: scratch databases and the broker the tests start themselves."""

from __future__ import annotations

import orjson
import pytest
from jsonschema import Draft202012Validator

from contracts import PUBLIC, envelope
from contracts.registry import UnknownEvent
from infra import db
from infra.messaging import catalogue
from ochotnicy.bench.processes import Databases, postgres_available
from ochotnicy.broker import Tansu
from tests.support.browser import launched
from tests.support.stack import free_port

TIERS = ("unit", "integration", "e2e")


def pytest_addoption(parser):
    parser.addoption(
        "--run-faults",
        action="store_true",
        default=False,
        help="run the long fault-injection variants (marked `faults`; `make test-faults`)",
    )


def pytest_collection_modifyitems(config, items):
    long_variants = pytest.mark.skip(reason="a long fault variant: run it with make test-faults (--run-faults)")
    for item in items:
        parts = item.path.parts
        for tier in TIERS[1:]:
            if tier in parts:
                item.add_marker(getattr(pytest.mark, tier))
        if item.get_closest_marker("faults") and not config.getoption("--run-faults"):
            item.add_marker(long_variants)


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    dbs = Databases("och", sqlite_dir=None if postgres_available() else tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def either_database(request, databases, tmp_path) -> str:
    """A URL of a new database of each dialect in turn, for code that must behave alike on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'either.sqlite3'}"
    if not databases.postgres:
        pytest.skip("no PostgreSQL here")
    return databases.create("either")


@pytest.fixture(scope="module", autouse=True)
def engines_closed_after_each_module():
    """Each module's engines give their connections back when it ends: PostgreSQL allows 100 in all.

    A module's apps live as long as the module, and their pools' idle connections would otherwise wait for the
    garbage collector; a whole run piled up enough of them to be refused ("too many clients").
    """
    made: list = []
    original = db.make_engine

    def tracking(*args, **kwargs):
        engine = original(*args, **kwargs)
        made.append(engine)
        return engine

    db.make_engine = tracking
    yield
    db.make_engine = original
    for engine in made:
        engine.dispose()


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    """One broker for the session; tests that restart a broker take `own_broker`."""
    with Tansu(port=free_port(), log=tmp_path_factory.mktemp("broker") / "tansu.log") as tansu:
        yield tansu


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per module of browser tests, each opening its own context in it.

    Not one per session: Playwright's sync API keeps an event loop running while it is open, and a later
    test's asyncio.run() (the benchmark's load) would find it.
    """
    with launched() as chromium:
        yield chromium


@pytest.fixture
def own_broker(tmp_path):
    with Tansu(port=free_port(), log=tmp_path / "tansu.log") as tansu:
        yield tansu


@pytest.fixture(scope="session", autouse=True)
def every_event_the_tests_produce_matches_the_published_schema():
    """Records each CloudEvent written during the session and validates it against the catalogue."""
    produced: list[bytes] = []
    original = envelope.write

    def recording(**attributes):
        raw = original(**attributes)
        produced.append(raw)
        return raw

    envelope.write = recording
    yield
    envelope.write = original
    validators, failures = {}, []
    for raw in produced:
        document = orjson.loads(raw)
        key = (document["type"], document["dataschema"])
        if key not in validators:
            try:
                spec = PUBLIC.spec(document["type"], int(document["dataschema"].rsplit(":v", 1)[1]))
            except UnknownEvent:
                continue  # test-only event types of a private registry
            validators[key] = Draft202012Validator(
                catalogue.envelope_schema(spec), format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        errors = [e.message for e in validators[key].iter_errors(document)]
        if errors:
            failures.append(f"{document['type']} {document['id']}: {errors[:3]}")
    assert not failures, f"{len(failures)} of {len(produced)} events do not match their JSON Schema: {failures[:5]}"
