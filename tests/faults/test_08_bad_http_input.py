"""Scenario 8: bad HTTP input — schemathesis against each service's OpenAPI document, in-process (WSGI).

Positive cases (valid by the document) and negative ones (violating it) for every operation, with a token
carrying every role: never a 5xx, every answer documented and matching its schema, and every request the
document calls invalid refused with a 4xx. Each service runs on its own scratch PostgreSQL database.
"""

from __future__ import annotations

import collections

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import nothing_lost
from tests.support.apps import service_app
from tests.support.recording import ALL_ROLES
from tests.support.stack import auth

SERVICES = ("applications", "funding", "volunteers", "reporting")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection]


@pytest.fixture(scope="module")
def apps(databases):
    if not databases.postgres:
        pytest.skip("needs PostgreSQL")
    return {name: service_app(name, databases.create(f"fuzz_{name}"))[1] for name in SERVICES}


def fuzz(app, examples: int) -> tuple[collections.Counter, list[str]]:
    """Runs every operation of the app's document in both modes; returns answers by status and failures."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = auth(*ALL_ROLES, subject="fuzzer")
    answers: collections.Counter = collections.Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
            @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                answers[response.status_code] += 1

            try:
                run()
            except Unsatisfiable:
                pass  # nothing to get wrong: an operation without parameters or body has no negative cases
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure, not only the first
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {str(exc)[:3000]}")
    return answers, failures


@pytest.mark.parametrize("examples", [6, pytest.param(60, marks=[pytest.mark.faults, pytest.mark.timeout(1800)])])
@pytest.mark.parametrize("service", SERVICES)
def test_no_input_makes_a_service_answer_5xx_or_off_its_openapi_document(apps, service, examples):
    answers, failures = fuzz(apps[service], examples)
    cases = sum(answers.values())
    nothing_lost.REPORTS.append(nothing_lost.Figures(
        f"schemathesis {service} ({examples} examples per operation and mode)", commands=cases,
        ok=sum(n for s, n in answers.items() if s < 300), refused=sum(n for s, n in answers.items() if 400 <= s < 500),
        problems=failures))
    assert not failures, "\n\n".join(failures)
    assert cases > 0 and not [s for s in answers if s >= 500]
