"""The demo loader's HTTP client: JSON to the four services' APIs, retrying what may be sent again."""

from __future__ import annotations

import dataclasses
import datetime
import http.client
import json
import threading
import time
import urllib.parse
from collections.abc import Iterable
from typing import Any

from infra import config
from infra.web.auth import issue
from ochotnicy import demo_data as data

SUBJECT = "demo"
WAIT_FOR_EVENTS_S = 120.0
"""How long the loader waits for another service to learn what one decided (it learns from events)."""
ROLES = ("applications:write", "funding:write", "volunteers:write", "reporting:read")
_RETRY_CONFLICTS = {"idempotency_in_progress", "concurrent_change"}


class DemoFailed(RuntimeError):
    """A request the loader cannot get past; the message says which and why."""


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    replayed: bool

    @property
    def rule(self) -> str | None:
        return self.body.get("rule") if isinstance(self.body, dict) else None

    @property
    def message(self) -> str:
        return str(self.body.get("message", "")) if isinstance(self.body, dict) else str(self.body)[:300]


class Client:
    """JSON over HTTP to the four services, one keep-alive connection per thread and service."""

    def __init__(self, settings: config.Settings, subject: str = SUBJECT) -> None:
        self._urls = {name: urllib.parse.urlsplit(url) for name, url in settings.service_urls.items()}
        self._token = issue(settings, subject, ROLES, datetime.timedelta(hours=2))
        self._local = threading.local()

    def _connection(self, service: str) -> http.client.HTTPConnection:
        connections = self._local.__dict__.setdefault("connections", {})
        if service not in connections:
            url = self._urls[service]
            kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            connections[service] = kind(url.hostname, url.port, timeout=30)
        return connections[service]

    def _drop(self, service: str) -> None:
        connection = self._local.__dict__.get("connections", {}).pop(service, None)
        if connection is not None:
            connection.close()

    def call(self, method: str, service: str, path: str, body: Any = None, key: str | None = None,
             query: dict | None = None, headers: dict[str, str] | None = None) -> Answer:
        target = self._urls[service].path.rstrip("/") + "/api/v1" + path
        if query:
            target += "?" + urllib.parse.urlencode(query)
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if key is not None:
            headers["Idempotency-Key"] = key
        problem = ""
        for attempt in range(1, 16):
            try:
                connection = self._connection(service)
                connection.request(method, target, body=payload, headers=headers)
                response = connection.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self._drop(service)
                problem = f"{type(exc).__name__}: {exc}"
                time.sleep(min(0.2 * attempt, 2.0))
                continue
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = raw.decode(errors="replace")
            answer = Answer(response.status, parsed, response.getheader("Idempotent-Replayed") == "true")
            if answer.status >= 500 or answer.status == 429 or (answer.status == 409 and answer.rule in _RETRY_CONFLICTS):
                # Not recorded against the key: the same key may be sent again.
                problem = f"{answer.status} {answer.message}"
                time.sleep(min(0.2 * attempt, 2.0))
                continue
            return answer
        raise DemoFailed(f"{method} {service}{target}: brak odpowiedzi po wielu próbach ({problem}).")

    def get(self, service: str, path: str, **query: Any) -> Any:
        answer = self.call("GET", service, path, query=query or None)
        if answer.status != 200:
            raise DemoFailed(f"GET {service} {path}: {answer.status} {answer.message}")
        return answer.body

    def post(self, service: str, path: str, body: Any, key: str, accept: Iterable[str] = ()) -> Answer:
        return self._command("POST", service, path, body, key, accept)

    def patch(self, service: str, path: str, body: Any, key: str) -> Answer:
        """A correction of what the demo itself made, whatever its version (`If-Match: *`): nobody else changes the
        demo's data while it loads, and a second load must send the same request to have it replayed."""
        return self._command("PATCH", service, path, body, key, (), {"If-Match": "*"})

    def _command(self, method: str, service: str, path: str, body: Any, key: str, accept: Iterable[str],
                 headers: dict[str, str] | None = None) -> Answer:
        answer = self.call(method, service, path, body, key=f"demo-{data.VERSION}:{key}", headers=headers)
        if answer.status in (200, 201) or answer.rule in set(accept):
            return answer
        raise DemoFailed(f"{method} {service} {path} ({key}): {answer.status} {answer.message}")
