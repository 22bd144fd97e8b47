"""Schemathesis against the running services, every request it sends recorded as a command for the checker.

Each request carries its own correlation id, so the checker can tell that a refused one left no event, and a
token with every role, so each operation is reached past its role check. A wall-clock deadline bounds the pass:
examples drawn after it are counted, not sent.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.support.recording import Command

ID_FIELDS = {"edition_id": "body_edition_id", "institution_id": "institution_id", "lead_institution_id": "institution_id"}
"""Body fields that name something, and the known value they take."""


class Fuzzer:
    """Sends generated cases to the services at `urls` until `deadline` (time.monotonic())."""

    def __init__(self, urls: dict[str, str], headers: dict[str, str], deadline: float) -> None:
        self.urls = urls
        self.headers = headers
        self.deadline = deadline
        self.session = requests.Session()
        self.commands: list[Command] = []
        self.unsent = 0
        """Examples drawn after the deadline."""
        self.transport_errors: list[str] = []
        self.texts: list[tuple[Command, Any, str]] = []
        """Each request with hostile text: (its command, the text, the field it was put in)."""
        self._numbers = itertools.count(1)

    def operations(self, service: str) -> list:
        schema = schemathesis.openapi.from_url(f"{self.urls[service]}/api/v1/openapi.json")
        return [result.ok() for result in schema.get_all_operations()]

    def explore(self, service: str, operation, mode: GenerationMode, examples: int, **fixed: Any) -> None:
        """Schemathesis' own cases for `operation`: valid by its document (POSITIVE) or breaking it (NEGATIVE)."""
        strategy = operation.as_strategy(generation_mode=mode, headers=self.headers, **fixed)
        self._run(strategy, examples, lambda case: self.send(service, case, f"schemathesis {mode.value}"))

    def with_texts(self, service: str, operation, fields: list[str], texts: list, known: dict[str, Any],
                   examples: int) -> None:
        """Valid cases of `operation` on known ids, one free-text field of each replaced by one of `texts`."""
        in_path = {p.name for p in operation.path_parameters}
        strategy = st.tuples(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE, headers=self.headers,
                                  path_parameters={k: v for k, v in known.items() if k in in_path} or None),
            st.sampled_from(fields), st.sampled_from(texts))

        def send(drawn) -> None:
            case, field, hostile = drawn
            if not isinstance(case.body, dict):
                return
            body = dict(case.body)
            for name in body.keys() & ID_FIELDS.keys():
                body[name] = known[ID_FIELDS[name]]
            if "institution_ids" in body:
                body["institution_ids"] = known["institution_ids"]
            case.body = body | {field: hostile.text}
            # A key of its own: the schema's generated keys repeat, and a key reused is refused before the text is read.
            case.headers = {**(case.headers or {}), "Idempotency-Key": str(uuid.uuid4())}
            if command := self.send(service, case, f"hostile text: {hostile.kind} in {field}"):
                self.texts.append((command, hostile, field))

        self._run(strategy, examples, send)

    def _run(self, strategy, examples: int, send: Callable) -> None:
        @given(drawn=strategy)
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(drawn) -> None:
            send(drawn)

        try:
            run()
        except Unsatisfiable:
            pass  # an operation without parameters or a body has no negative cases

    def send(self, service: str, case, action: str) -> Command | None:
        if time.monotonic() > self.deadline:
            self.unsent += 1
            return None
        correlation = str(uuid.uuid4())
        try:
            response = case.call(base_url=self.urls[service], session=self.session,
                                 headers=self.headers | {"X-Correlation-ID": correlation}, timeout=60)
        except (requests.ConnectionError, requests.Timeout) as exc:
            self.transport_errors.append(f"{service} {case.method} {case.formatted_path}: {exc!r}")
            return None
        except (requests.RequestException, ValueError, UnicodeError):
            return None  # a request the client itself will not send (a header it cannot encode): nothing reached us
        request = response.request
        address = urlsplit(request.url)
        body = request.body.encode() if isinstance(request.body, str) else request.body
        command = Command(
            number=next(self._numbers), action=action, service=service, method=request.method or case.method.upper(),
            path=address.path + (f"?{address.query}" if address.query else ""), data=body,
            key=request.headers.get("Idempotency-Key", ""), correlation_id=correlation, subject="fuzzer",
            status=response.status_code, body=response.content,
            response_headers={name: ", ".join(values) for name, values in response.headers.items()},
            attempts=1, statuses=[response.status_code],
        )
        self.commands.append(command)
        return command


def free_text_fields(document: dict, names: tuple[str, ...]) -> dict[tuple[str, str], list[str]]:
    """(method, path) of each write whose JSON body has any of the text fields `names`, with those it has."""
    schemas = document.get("components", {}).get("schemas", {})

    def resolved(schema: dict) -> dict:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue  # also the path's own "parameters"
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                if fields := [n for n in names if n in resolved(body).get("properties", {})]:
                    found[(method.upper(), path)] = fields
    return found
