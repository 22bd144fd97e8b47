"""Commands sent over HTTP with an Idempotency-Key, retried through outages, and recorded for the checker.

A connection error or a 503 is retried with the SAME key and correlation id, as a real client survives
an outage, so the "nothing lost" checker can demand exactly one event per command that got a 2xx.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import threading
import time
import uuid
from typing import Any

import requests

from tests.support.stack import auth

ALL_ROLES = ("applications:write", "funding:write", "volunteers:write", "reporting:read", "audit")
RETRYABLE = (502, 503, 504)
KEYED = ("POST", "PATCH")
"""The methods that take an Idempotency-Key (a retry of one is answered, not run again)."""


@dataclasses.dataclass
class Command:
    """One logical command (however many HTTP attempts it took) and what came of it."""

    number: int
    action: str
    service: str
    method: str
    path: str
    data: bytes | None
    key: str
    correlation_id: str
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    aggregate_id: str | None = None
    """The aggregate the command changes, when known before sending (from the path)."""
    event_types: tuple[str, ...] = ()
    """The event types a success may store (checked by the checker)."""
    companions: tuple[str, ...] = ()
    """Event types the same transaction may store besides (e.g. a grant's BudgetCommitted on its edition)."""
    deliberate: bool = False
    """Sent to be refused (a 4xx is the right answer)."""
    subject: str = ""
    status: int | None = None
    body: bytes = b""
    response_headers: dict[str, str] = dataclasses.field(default_factory=dict)
    attempts: int = 0
    error: str | None = None
    started: float = 0.0
    finished: float = 0.0
    statuses: list[int] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def refused(self) -> bool:
        return self.status is not None and 400 <= self.status < 500

    @property
    def retries(self) -> int:
        return max(0, self.attempts - 1)

    def json(self) -> Any:
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None

    def created_id(self) -> str | None:
        body = self.json()
        return body.get("id") if isinstance(body, dict) else None

    def expected_aggregate(self) -> str | None:
        return self.aggregate_id or self.created_id()

    def describe(self) -> str:
        body = self.body[:300].decode(errors="replace")
        return (f"#{self.number} {self.action} {self.method} {self.service}{self.path} key={self.key} "
                f"status={self.status} attempts={self.attempts} statuses={self.statuses} error={self.error} body={body}")


class Recorder:
    """Sends commands and records them; shared by every client of a load (thread-safe)."""

    def __init__(self, urls: dict[str, str], *, retry_for: float = 120.0, timeout: float = 30.0) -> None:
        self.urls = urls
        self.retry_for = retry_for
        self.timeout = timeout
        self.commands: list[Command] = []
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)

    def send(
        self,
        session: requests.Session,
        service: str,
        method: str,
        path: str,
        body: Any = None,
        *,
        action: str,
        raw: bytes | None = None,
        aggregate_id: str | None = None,
        event_types: tuple[str, ...] = (),
        companions: tuple[str, ...] = (),
        deliberate: bool = False,
        headers: dict[str, str] | None = None,
        key: str | None = None,
    ) -> Command:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        command = Command(
            number=next(self._numbers), action=action, service=service, method=method, path=path, data=data,
            key=key or str(uuid.uuid4()), correlation_id=str(uuid.uuid4()), headers=dict(headers or {}),
            aggregate_id=aggregate_id, event_types=event_types, companions=companions, deliberate=deliberate,
            subject=getattr(session, "subject", ""),
        )
        with self._lock:
            self.commands.append(command)
        self.execute(session, command)
        return command

    def execute(self, session: requests.Session, command: Command) -> requests.Response | None:
        """Sends `command` until it gets a final answer (retrying with the same key), or gives up."""
        command.started = command.started or time.monotonic()
        deadline = time.monotonic() + self.retry_for
        backoff = 0.1
        headers = {"X-Correlation-ID": command.correlation_id, **command.headers}
        if command.method in KEYED:
            headers["Idempotency-Key"] = command.key
        if command.data is not None:
            headers["Content-Type"] = "application/json"
        while True:
            command.attempts += 1
            try:
                response = session.request(
                    command.method, self.urls[command.service] + command.path, data=command.data, headers=headers,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                command.error = f"{type(exc).__name__}: {exc}"
                command.statuses.append(0)
            else:
                command.statuses.append(response.status_code)
                in_progress = response.status_code == 409 and _rule(response) == "idempotency_in_progress"
                command.response_headers = dict(response.headers)
                if response.status_code not in RETRYABLE and not in_progress:
                    command.status, command.body, command.error = response.status_code, response.content, None
                    command.finished = time.monotonic()
                    return response
                command.status, command.body = response.status_code, response.content
                command.error = None
            if time.monotonic() + backoff > deadline:
                command.finished = time.monotonic()
                command.error = command.error or f"gave up after {command.attempts} attempts"
                return None
            time.sleep(backoff)
            backoff = min(backoff * 2, 2.0)


def _rule(response: requests.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("rule") if isinstance(body, dict) else None


def session_for(subject: str, *roles: str) -> requests.Session:
    session = requests.Session()
    session.headers.update(auth(*(roles or ALL_ROLES), subject=subject))
    session.subject = subject  # type: ignore[attr-defined]
    return session
