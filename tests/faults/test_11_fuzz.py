"""Scenario 11: a fuzz pass with a budget (issue 30) on the running stack.

Hostile text (tests.support.hostile) in every name, title and reason the commands take, and in a district's register
above all; then schemathesis in its property-based (positive) and negative modes on every operation of every
service's OpenAPI document, with a token carrying every role. Never a 5xx; no refused request leaves an event (the
checker finds each by its correlation id); text no field may carry is never accepted, nor stored; and the register
holds each name once per district, folded as the register compares names. The pass stops drawing at its budget.
"""

from __future__ import annotations

import collections
import dataclasses
import random
import time

import orjson
import pytest
import requests
from schemathesis import GenerationMode
from sqlalchemy import select

from infra.eventstore.tables import events
from infra.freetext import forbidden
from services.applications.domain.institutions import normalised_name
from services.applications.readmodel import institutions
from tests.support import hostile
from tests.support.driver import Driver
from tests.support.fuzzing import Fuzzer, free_text_fields
from tests.support.nothing_lost import check
from tests.support.recording import ALL_ROLES, Command, session_for
from tests.support.settling import Databases
from tests.support.stack import auth

pytestmark = [pytest.mark.faults, pytest.mark.timeout(900)]

BUDGET_S = 170.0
"""Wall-clock cap of the pass itself (hostile text, then schemathesis); the checker's quiet period comes after."""
HOSTILE_SHARE = 0.35
EXAMPLES = 10
"""Schemathesis' cases per operation and mode."""
TEXT_EXAMPLES = 40
"""Cases per operation with free text, each with one hostile text in one of its fields."""
TEXT_FIELDS = ("name", "title", "reason", "first_name", "last_name", "activity")
DISTRICT = "Żoliborz"


@dataclasses.dataclass
class Pass:
    fuzzer: Fuzzer
    register: list[tuple[Command, hostile.Hostile]]
    """The register's probes: each hostile name beside a registered one, on registration and on correction."""
    operations: int
    seconds: float


def _prepare(harness, rng: random.Random) -> dict:
    """A partnership, volunteers and a membership, whichever scenarios ran before; the ids the probes use."""
    driver, world, session = Driver(harness.recorder, harness.world), harness.world, session_for("seeder")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (world.partnerships and len(world.volunteers) > 1 and world.memberships):
        for step in (driver.propose_partnership, driver.people.register_volunteer, driver.people.join):
            step(session, rng)  # a joining is refused until the volunteers service has heard of the edition
        time.sleep(0.2)
    with world.lock:
        volunteer, membership = world.memberships[0]
        partnership_edition = next(e["id"] for e in world.editions.values() if e["kind"] == "partnership")
        enrolment_edition = next(e["id"] for e in world.editions.values() if e["kind"] == "enrolment")
        return {"edition_id": enrolment_edition, "body_edition_id": partnership_edition,
                "institution_id": next(iter(world.institutions)), "institution_ids": list(world.institutions)[:3],
                "partnership_id": next(iter(world.partnerships)), "volunteer_id": volunteer, "membership_id": membership,
                "entry_id": next(iter(world.hours), membership), "programme": "libraries"}


def _probe_the_register(harness, known: dict) -> list[tuple[Command, hostile.Hostile]]:
    """Every hostile spelling of a name registered in the district, registered anew and as another's correction."""
    recorder, session = harness.recorder, session_for("fuzzer")
    base = f"{hostile.BASE} {harness.world.marker}"
    first = recorder.send(session, "applications", "POST", "/api/v1/institutions",
                          {"name": base, "kind": "library", "district": DISTRICT}, action="register the name",
                          event_types=("InstitutionRegistered",))
    assert first.ok, first.describe()
    probes = []
    for variant in hostile.variants(base):
        deliberate = variant.expect != hostile.ANY
        registered = recorder.send(session, "applications", "POST", "/api/v1/institutions",
                                   {"name": variant.text, "kind": "library", "district": DISTRICT},
                                   action=f"register {variant.kind}", deliberate=deliberate,
                                   event_types=("InstitutionRegistered",))
        corrected = recorder.send(session, "applications", "PATCH", f"/api/v1/institutions/{known['institution_id']}",
                                  {"name": variant.text, "district": DISTRICT}, action=f"correct to {variant.kind}",
                                  deliberate=deliberate, headers={"If-Match": "*"}, aggregate_id=known["institution_id"],
                                  event_types=("InstitutionDetailsChanged",))
        probes += [(registered, variant), (corrected, variant)]
    return probes


@pytest.fixture(scope="module")
def fuzzed(harness) -> Pass:
    started = time.monotonic()
    known = _prepare(harness, random.Random(11))
    register = _probe_the_register(harness, known)
    stack, headers = harness.stack, auth(*ALL_ROLES, subject="fuzzer")
    urls = {s: stack.url(s) for s in stack.services}
    fuzzer = Fuzzer(urls, headers, deadline=started + BUDGET_S * HOSTILE_SHARE)
    texts = hostile.variants(hostile.BASE)
    operations = {s: fuzzer.operations(s) for s in stack.services}
    for service in stack.services:
        document = requests.get(f"{urls[service]}/api/v1/openapi.json", timeout=10).json()
        with_text = free_text_fields(document, TEXT_FIELDS)
        for operation in operations[service]:
            if fields := with_text.get((operation.method.upper(), operation.path)):
                fuzzer.with_texts(service, operation, fields, texts, known, TEXT_EXAMPLES)
    fuzzer.deadline = started + BUDGET_S
    for service in stack.services:
        for operation in operations[service]:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzzer.explore(service, operation, mode, EXAMPLES)
    return Pass(fuzzer, register, sum(map(len, operations.values())), time.monotonic() - started)


def test_the_pass_kept_its_budget_and_reached_every_service(fuzzed, harness):
    fuzzer = fuzzed.fuzzer
    assert fuzzed.seconds < BUDGET_S + 30  # one slow answer at the deadline at most (and the register's probes)
    reached = collections.Counter(c.service for c in fuzzer.commands)
    assert set(reached) == set(harness.stack.services) and fuzzed.operations > 50
    assert len(fuzzer.texts) > 100 and fuzzer.transport_errors == []


def test_no_request_is_answered_5xx_and_none_refused_leaves_an_event(fuzzed, harness):
    commands = fuzzed.fuzzer.commands
    assert [c.describe() for c in commands if c.status >= 500] == []
    # Only the refusals (and any 5xx) go to the checker: a fuzzed 2xx may rightly store no event, or several.
    refused = [c for c in commands if c.status >= 500 or (c.refused and c.method != "GET")]
    assert len(refused) > 200
    fuzzer = fuzzed.fuzzer
    scenario = (f"fuzz pass ({len(commands)} requests to {fuzzed.operations} operations, {len(fuzzer.texts)} with "
                f"hostile text, {fuzzer.unsent} cases unsent at the budget, {fuzzed.seconds:.0f} s; their refusals)")
    check(harness.stack, [c for c, _ in fuzzed.register] + refused, scenario=scenario, faults=len(commands))


def test_hostile_text_is_refused_by_field_or_taken_as_the_name_it_looks_like(fuzzed):
    wrong = []
    for command, variant in fuzzed.register:
        body = command.json() or {}
        if variant.expect == hostile.SAME and (command.status, body.get("rule")) != (409, "duplicate_institution"):
            wrong.append((variant.kind, command.describe()))
        if variant.expect == hostile.REFUSED and (command.status != 422 or "name" not in body["errors"]["json"]):
            wrong.append((variant.kind, command.describe()))
    named = 0
    for command, variant, field in fuzzed.fuzzer.texts:
        if variant.expect != hostile.REFUSED:
            continue
        # The body's schema checks every field at once: a 422 names this one, whatever else it names.
        errors = (command.json() or {}).get("errors", {}).get("json", {}) if command.status == 422 else {}
        if command.ok or (command.status == 422 and field not in errors):
            wrong.append((variant.kind, field, command.describe()))
        named += field in errors
    assert wrong == []
    assert named > 50


def test_no_stored_event_carries_text_no_field_may_carry(harness):
    dbs = Databases(harness.stack.database_urls)
    try:
        found = []
        for service in ("applications", "funding", "volunteers"):
            for event_id, event_type, data in dbs.rows(service, select(events.c.event_id, events.c.type, events.c.data)):
                found += [(service, event_type, event_id, text[:80]) for text in _texts(orjson.loads(data))
                          if forbidden(text)]
    finally:
        dbs.dispose()
    assert found == []


def test_the_register_holds_each_name_once_per_district_folded(harness):
    dbs = Databases(harness.stack.database_urls)
    try:
        rows = dbs.rows("applications", select(institutions.c.name, institutions.c.district))
    finally:
        dbs.dispose()
    names = collections.defaultdict(list)
    for name, district in rows:
        names[(district, normalised_name(name))].append(name)
    assert len(rows) > 12 and any(d == DISTRICT for d, _ in names)
    assert {key: spelt for key, spelt in names.items() if len(spelt) > 1} == {}


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []
