"""What gunicorn answers by itself, before the app sees a request, is JSON in Polish with gunicorn's status."""

from __future__ import annotations

import json

import pytest
from gunicorn.http.errors import InvalidRequestLine, LimitRequestHeaders, LimitRequestLine

from infra import config
from infra.web.intake import IntakeThreadWorker
from infra.web.workers import Captured, JsonThreadWorker
from ochotnicy import serve
from tests.support.compose import environment


class _Log:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def warning(self, message, *args) -> None:
        self.lines.append(message % args if args else message)

    exception = debug = warning


def _answer(worker_class, exc: Exception) -> tuple[bytes, dict, dict]:
    worker = object.__new__(worker_class)  # handle_error needs only the log, not a running worker
    worker.log = _Log()
    client = Captured()  # the same stand-in socket, here for the client
    worker.handle_error(None, client, ("127.0.0.1", 50000), exc)
    head, _, body = client.data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    assert int(headers["Content-Length"]) == len(body)
    return status_line.encode(), headers, json.loads(body)


@pytest.mark.parametrize("worker_class", [JsonThreadWorker])
@pytest.mark.parametrize(
    ("exc", "status", "words"),
    [
        (LimitRequestLine(5036, 4094), 414, "Adres żądania jest za długi"),
        (LimitRequestHeaders("limit request headers fields size"), 431, "Nagłówki żądania są za duże"),
        (InvalidRequestLine("GARBAGE"), 400, "Żądanie HTTP jest niepoprawne"),
        (RuntimeError("a bug"), 500, "Wystąpił nieoczekiwany błąd"),
    ],
)
def test_gunicorns_own_errors_keep_their_status_and_are_json_in_polish(worker_class, exc, status, words):
    status_line, headers, body = _answer(worker_class, exc)
    assert status_line.startswith(f"HTTP/1.1 {status} ".encode())
    assert headers["Content-Type"] == "application/json"
    assert headers["Connection"] == "close"
    assert body["code"] == status
    assert words in body["message"]


@pytest.mark.parametrize("environment", [{}, environment("reporting-web")], ids=["local", "compose"])
def test_the_web_processes_use_these_workers_taking_requests_whole_within_the_configured_times(environment):
    settings = config.load("reporting", environment)
    worker_class = serve.options(settings, "reporting")["worker_class"]
    assert issubclass(worker_class, JsonThreadWorker) and issubclass(worker_class, IntakeThreadWorker)
    assert (worker_class.header_timeout, worker_class.body_timeout) == (settings.http_header_timeout_s,
                                                                        settings.http_body_timeout_s)
    assert settings.web_threads >= 2, "a slow reader of an answer holds a thread until the body timeout"
