"""Scenario 10: every endpoint refuses callers without a valid token or the right role, and personal data
never leaves the volunteers service except to `volunteers:write` — neither in an answer nor in a log line.

Runs last in the fault suite, so the logs it reads hold every scenario's load (and every fault's errors);
run alone, it first makes what its probes need.
"""

from __future__ import annotations

import datetime
import random
import re
import time
import uuid

import jwt
import pytest
import requests

from infra import config
from infra.web.auth import ROLES
from tests.support.driver import Driver
from tests.support.nothing_lost import check
from tests.support.recording import session_for

OPEN = {"/api/v1/openapi.json", "/api/v1/events/catalogue", "/api/v1/schemas", "/api/v1/schemas/{type_}/v{version}"}
PUBLIC = "/api/v1/public/"
"""The open results for residents: read without a token by design."""
WRITE_ROLE = {"applications": "applications:write", "funding": "funding:write", "volunteers": "volunteers:write"}
PERSONAL = {("volunteers", "get", "/api/v1/volunteers"), ("volunteers", "get", "/api/v1/volunteers/{volunteer_id}")}
PAGES = ("/", "/editions", "/editions/{edition_id}", "/editions/{edition_id}/sources")


VOLUNTEERS = 11  # four personal values each: the leak checks want over 40


@pytest.fixture(scope="module", autouse=True)
def probed(harness):
    """A partnership, a membership and enough volunteers, whichever scenarios ran before this one."""
    driver, world = Driver(harness.recorder, harness.world), harness.world
    session, rng = session_for("seeder"), random.Random(10)
    for _ in range(3 * VOLUNTEERS):  # a bound, not a count: most tries succeed at once
        if len(world.volunteers) < VOLUNTEERS:
            driver.people.register_volunteer(session, rng)
        elif not world.partnerships:
            driver.propose_partnership(session, rng)
        else:
            break
    deadline = time.monotonic() + 60
    while not world.memberships and time.monotonic() < deadline:
        driver.people.join(session, rng)  # refused until the volunteers service has heard of the edition
        time.sleep(0.2)
    assert len(world.volunteers) >= VOLUNTEERS and world.partnerships and world.memberships


def claims(roles=ROLES, **extra) -> dict:
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"sub": "intruder", "roles": list(roles), "iss": config.TOKEN_ISSUER, "iat": now,
            "exp": now + datetime.timedelta(hours=1)} | extra


SECRET = config.LOCAL_JWT_SECRET
BAD_TOKENS = {
    "no token": None,
    "expired": jwt.encode(claims(exp=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)),
                          SECRET, algorithm="HS256"),
    "signed by another key": jwt.encode(claims(), "klucz-innego-wydzialu-" + "x" * 32, algorithm="HS256"),
    "unsigned (alg none)": jwt.encode(claims(), None, algorithm="none"),
    "no expiry": jwt.encode({"sub": "intruder", "roles": list(ROLES)}, SECRET, algorithm="HS256"),
    "another issuer": jwt.encode(claims(iss="https://ktos-inny.example"), SECRET, algorithm="HS256"),
    "valid for ten years": jwt.encode(claims(exp=datetime.datetime.now(datetime.timezone.utc)
                                             + datetime.timedelta(days=3653)), SECRET, algorithm="HS256"),
    "garbage": "to-nie-jest-token",
}


def endpoints(stack) -> list[tuple[str, str, str]]:
    """(service, method, path template) of every operation in each service's OpenAPI document."""
    found = []
    for service in stack.services:
        document = requests.get(f"{stack.url(service)}/api/v1/openapi.json", timeout=10).json()
        for path, operations in document["paths"].items():
            for method in operations:
                if method in ("get", "post", "put", "patch", "delete"):
                    found.append((service, method, path))
    return found


def ids(harness) -> dict[str, str]:
    world = harness.world
    with world.lock:
        volunteer, membership = world.memberships[0] if world.memberships else (world.volunteers[0], str(uuid.uuid4()))
        return {
            "edition_id": next(iter(world.editions)), "institution_id": next(iter(world.institutions)),
            "partnership_id": next(iter(world.partnerships)), "volunteer_id": volunteer, "membership_id": membership,
            "type_": "InstitutionRegistered", "version": "1", "programme": "libraries",
            "entry_id": str(uuid.uuid4()),  # an hours entry: the probes are refused before any entry is looked up
        }


def fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], template)


def call(stack, service, method, path, headers=None, **kw) -> requests.Response:
    return requests.request(method.upper(), stack.url(service) + path, headers=headers or {}, allow_redirects=False,
                            timeout=30, **kw)


def bearer(token: str | None) -> requests.Session:
    session = requests.Session()
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    session.subject = "intruder"  # type: ignore[attr-defined]
    return session


def test_every_endpoint_refuses_a_bad_token_and_every_write_a_token_without_its_role(harness):
    """Probes recorded like any command, under load: none may leave an event (the checker's rule for a 4xx)."""
    stack, values, recorder = harness.stack, ids(harness), harness.recorder
    operations = [e for e in endpoints(stack) if e[2] not in OPEN and not e[2].startswith(PUBLIC)]
    assert len(operations) > 25
    wrong = []
    with harness.load(clients=3) as load:
        for service, method, template in operations:
            body = {} if method in ("post", "put", "patch") else None
            for label, token in BAD_TOKENS.items():
                probe = recorder.send(bearer(token), service, method.upper(), fill(template, values), body,
                                      action=f"intruder: {label}", deliberate=True)
                if probe.status != 401 or "Bearer" not in probe.response_headers.get("WWW-Authenticate", "") \
                        or not (probe.json() or {}).get("message"):
                    wrong.append((label, service, method, template, probe.status))
            if method != "get":
                others = [r for r in ROLES if r != WRITE_ROLE[service]]
                probe = recorder.send(session_for("intruder", *others), service, method.upper(), fill(template, values),
                                      body, action="wrong role", deliberate=True)
                if probe.status != 403 or WRITE_ROLE[service] not in (probe.json() or {}).get("message", ""):
                    wrong.append(("wrong role", service, method, template, probe.status, probe.body[:200]))
        for template in PAGES[1:]:
            for label, token in BAD_TOKENS.items():
                by_header = call(stack, "reporting", "get", fill(template, values),
                                 {"Authorization": f"Bearer {token}"} if token else {})
                by_cookie = call(stack, "reporting", "get", fill(template, values),
                                 cookies={"ochotnicy_token": token} if token else {})
                for how, response in (("header", by_header), ("cookie", by_cookie)):
                    if response.status_code not in (302, 303) or "/signin" not in response.headers.get("Location", ""):
                        wrong.append((label, f"page by {how}", template, response.status_code))
    assert wrong == []
    assert not load.failures, load.failures[:5]
    intrusions = sum(c.action.startswith(("intruder", "wrong role")) for c in load.commands)
    check(stack, load.commands, scenario="intruders on every endpoint", faults=intrusions)


def test_personal_data_never_reaches_a_caller_without_volunteers_write(harness):
    stack, values, world = harness.stack, ids(harness), harness.world
    secrets = [s.lower() for s in world.personal]
    assert len(secrets) > 40
    reader = session_for("reader", *[r for r in ROLES if r != "volunteers:write"])
    staff = session_for("staff", "volunteers:write")
    with world.lock:
        some = world.volunteers[-5:]
    # The check can fail: the same data is there for the role that may see it.
    shown = [staff.get(f"{stack.url('volunteers')}/api/v1/volunteers/{v}").text.lower() for v in some]
    assert any(any(s in text for s in secrets) for text in shown)
    leaks, refused = [], []
    for service, method, template in endpoints(stack):
        if method != "get":
            continue
        paths = [fill(template, values)] + ([fill(template, values | {"volunteer_id": v}) for v in some]
                                            if "{volunteer_id}" in template else [])
        for path in paths:
            response = reader.get(stack.url(service) + path, timeout=30)
            if (service, method, template) in PERSONAL:
                if response.status_code != 403:
                    refused.append((path, response.status_code))
                continue
            if text := [s for s in secrets if s in response.text.lower()]:
                leaks.append((service, path, text[:3]))
    for template in (*PAGES, "/api/v1/editions/{edition_id}/export.csv"):
        response = reader.get(stack.url("reporting") + fill(template, values), timeout=30)
        if text := [s for s in secrets if s in response.text.lower()]:
            leaks.append(("reporting", template, text[:3]))
    assert refused == [] and leaks == []


def test_personal_data_is_in_no_log_line_of_any_process(harness):
    secrets = [s.lower() for s in harness.world.personal]
    assert len(secrets) > 40
    logs = harness.stack.log_text()
    assert {f"{s}-{r}.log" for s in harness.stack.services for r in ("web", "worker")} <= set(logs)
    leaks = [(name, number, line[:300]) for name, text in logs.items()
             for number, line in enumerate(text.lower().splitlines(), 1) if any(s in line for s in secrets)]
    assert leaks == []
