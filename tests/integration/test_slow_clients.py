"""Slow clients hold no thread of a web process as `make run` starts it (issue 30, finding 1).

The request timeouts are kept small here through their settings, so the test shows them end to end.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator

import pytest
import requests

from infra.web.connections import LINGER_S
from tests.support.live import LiveStack
from tests.support.slow_clients import SlowClients, health_answers_meanwhile
from tests.support.stack import token

TIMEOUT_S = 2.0
GRANULARITY_S = 1.0
"""The worker's event loop looks at deadlines once a second."""


@pytest.fixture(scope="module")
def reporting(databases, broker, tmp_path_factory):
    timeouts = {"OCHOTNICY_HTTP_HEADER_TIMEOUT_S": str(TIMEOUT_S), "OCHOTNICY_HTTP_BODY_TIMEOUT_S": str(TIMEOUT_S),
                "OCHOTNICY_WEB_WORKERS": "1", "OCHOTNICY_WEB_THREADS": "2"}  # fewer threads than slow clients
    with _web_alone("reporting", databases, broker, tmp_path_factory.mktemp("slow"), timeouts) as url:
        yield url


@contextlib.contextmanager
def _web_alone(service: str, databases, broker, logs, environ: dict[str, str]) -> Iterator[str]:
    """The service's web process alone (no worker), with `environ` beside the stack's settings; yields its URL."""
    stack = LiveStack([service], databases, broker.bootstrap, logs, environ)
    stack.start_process(service, "web")
    try:
        stack.wait_healthy()
        yield stack.url(service)
    finally:
        stack.stop()


def _exchange(url: str, *parts: bytes, pause: float = 0.3) -> bytes:
    """Sends `parts` with a pause between them, then reads the answer until the server closes."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        for i, part in enumerate(parts):
            if i:
                time.sleep(pause)
            connection.sendall(part)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def test_slow_clients_leave_healthz_answering_and_are_closed_with_a_408_in_time(reporting):
    with SlowClients(reporting) as slow:
        assert health_answers_meanwhile(reporting, within=3.0) < 3.0
        closed = slow.closed_after(TIMEOUT_S + GRANULARITY_S + 3.0)
        assert None not in closed, "a slow client was still connected"
        assert max(closed) <= TIMEOUT_S + GRANULARITY_S + 1.0
        assert min(closed) >= TIMEOUT_S - 0.1, "closed before its time"
        for answer in slow.answers:
            assert answer.startswith(b"HTTP/1.1 408 ")
            assert "nie dotarło w całości" in json.loads(answer.partition(b"\r\n\r\n")[2])["message"]
    assert requests.get(f"{reporting}/healthz", timeout=2).status_code == 200


def test_a_request_sent_slowly_but_within_its_time_is_served(reporting):
    head = f"GET /api/v1/editions HTTP/1.1\r\nHost: slow\r\nAuthorization: Bearer {token()}\r\nConnection: close\r\n\r\n"
    answer = _exchange(reporting, head[:20].encode(), head[20:60].encode(), head[60:].encode())
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_a_body_arriving_in_pieces_chunked_or_after_100_continue_reaches_the_app_whole(reporting):
    authorization = f"Authorization: Bearer {token()}\r\n".encode()
    start = b"POST /api/v1/editions HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\nConnection: close\r\n"
    # The read-only API answers a POST with 405 only after reading it whole; a cut body would be a 408 instead.
    by_length = _exchange(reporting, start + authorization + b"Content-Length: 11\r\n\r\n{\"na", b"me\": 1}")
    chunked = _exchange(reporting, start + authorization + b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"nam",
                        b"\r\n6\r\ne\": 1}\r\n", b"0\r\n\r\n")
    for answer in (by_length, chunked):
        assert answer.startswith(b"HTTP/1.1 405 "), answer[:200]
    host, port = reporting.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(start + authorization + b"Expect: 100-continue\r\nContent-Length: 12\r\n\r\n")
        assert connection.recv(4096) == b"HTTP/1.1 100 Continue\r\n\r\n"  # the body is asked for, once
        connection.sendall(b"{\"name\": 1}\n")
        assert connection.recv(65536).startswith(b"HTTP/1.1 405 ")


def test_a_head_too_large_to_be_a_request_is_refused_without_waiting_for_its_end(reporting):
    answer = _exchange(reporting, b"GET /healthz HTTP/1.1\r\nX-Padding: " + b"a" * (70 * 1024))
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_a_chunked_body_after_100_continue_is_read_from_its_first_chunk(reporting):
    host, port = reporting.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"POST /api/v1/editions HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\n"
                           b"Authorization: Bearer " + token().encode() + b"\r\nExpect: 100-continue\r\n"
                           b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        assert connection.recv(4096) == b"HTTP/1.1 100 Continue\r\n\r\n"
        connection.sendall(b"b\r\n{\"name\": 1}\r\n0\r\n\r\n")
        assert connection.recv(65536).startswith(b"HTTP/1.1 405 ")


@pytest.fixture(scope="module")
def applications(databases, broker, tmp_path_factory):
    """A service whose API reads a body (the read-only reporting answers a POST without reading one)."""
    with _web_alone("applications", databases, broker, tmp_path_factory.mktemp("large"),
                    {"OCHOTNICY_WEB_WORKERS": "1", "OCHOTNICY_WEB_THREADS": "2"}) as url:
        yield url


def _answer_then_closed(connection: socket.socket, within: float) -> tuple[bytes, float | None]:
    """What the server answers, and how long after its answer it closes the connection (None: not within `within`)."""
    answer = b""
    while b"\r\n\r\n" not in answer or len(answer.partition(b"\r\n\r\n")[2]) < _length(answer):
        chunk = connection.recv(65536)
        if not chunk:
            return answer, 0.0
        answer += chunk
    answered = time.monotonic()
    connection.settimeout(within)
    try:
        while connection.recv(65536):
            pass  # nothing more is owed: an answer to a request that was never whole would be a second answer
    except TimeoutError:
        return answer, None
    except ConnectionResetError:
        pass
    return answer, time.monotonic() - answered


def _length(answer: bytes) -> int:
    for line in answer.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


@pytest.mark.parametrize("framing", ["chunked", "declared"])
def test_a_body_over_the_limit_is_a_413_that_closes_the_connection_at_once(applications, framing):
    """However it is sent, and with the client still sending: no thread stays reading a body nobody wants."""
    host, port = applications.removeprefix("http://").split(":")
    piece = b"\"" + b"a" * 65_000 + b"\","
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        length = b"Transfer-Encoding: chunked" if framing == "chunked" else b"Content-Length: 2000000"
        connection.sendall(b"POST /api/v1/institutions HTTP/1.1\r\nHost: large\r\nContent-Type: application/json\r\n"
                           b"Authorization: Bearer " + token("applications:write").encode() + b"\r\n" + length
                           + b"\r\n\r\n")
        for _ in range(18):  # 1.2 MB, and the body not yet at its end
            connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if framing == "chunked" else piece)
        answer, closed_after = _answer_then_closed(connection, within=4.0)
    head = answer.partition(b"\r\n\r\n")[0].lower()
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]
    assert b"connection: close" in head, head
    assert closed_after is not None and closed_after < 3.0, "the connection stayed open after the 413"


def test_clients_that_never_close_after_a_closing_answer_leave_healthz_answering(reporting):
    """The connection's close waits for each of them in the event loop, not on it (gunicorn's own linger blocked it)."""
    host, port = reporting.removeprefix("http://").split(":")
    clients = [socket.create_connection((host, int(port)), timeout=10) for _ in range(6)]
    try:
        for client in clients:
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: slow\r\nConnection: close\r\n\r\n")
        time.sleep(0.3)  # answered; each client now neither reads nor closes
        for _ in range(3):
            assert health_answers_meanwhile(reporting, within=5.0) < 1.0
        for client in clients:  # and each has its whole answer, then the server's close
            client.settimeout(LINGER_S + GRANULARITY_S + 2)
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 ") and b"\r\n\r\n" in answer
    finally:
        for client in clients:
            client.close()
