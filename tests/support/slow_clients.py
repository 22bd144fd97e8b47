"""A bounded slow client: connections that send part of a request, then nothing (issue 30, finding 1)."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import requests

HALF_HEAD = b"GET /healthz HTTP/1.1\r\nHost: slow\r\nX-Never-Finished: "
SHORT_BODY = (b"POST /api/v1/editions HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\n"
              b"Content-Length: 500\r\n\r\n{}")


class SlowClients:
    """`heads` connections that never finish their headers and `bodies` that declare 500 bytes of body and send 2."""

    def __init__(self, url: str, heads: int = 12, bodies: int = 12) -> None:
        address = urlsplit(url)
        self.opened = time.monotonic()
        self.sockets = []
        for request in [HALF_HEAD] * heads + [SHORT_BODY] * bodies:
            connection = socket.create_connection((address.hostname, address.port), timeout=5)
            connection.sendall(request)
            self.sockets.append(connection)
        self.answers = [b""] * len(self.sockets)

    def closed_after(self, wait: float) -> list[float | None]:
        """Seconds from opening until the server closed each connection; None for one still open after `wait`."""
        closed: list[float | None] = [None] * len(self.sockets)
        deadline = self.opened + wait
        for connection in self.sockets:
            connection.settimeout(0.05)
        while None in closed and time.monotonic() < deadline:
            for i, connection in enumerate(self.sockets):
                if closed[i] is not None:
                    continue
                try:
                    data = connection.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    data = b""
                self.answers[i] += data
                if not data:
                    closed[i] = time.monotonic() - self.opened
        return closed

    def close(self) -> None:
        for connection in self.sockets:
            connection.close()

    def __enter__(self) -> SlowClients:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def health_answers_meanwhile(url: str, within: float) -> float:
    """Seconds /healthz takes to answer (any status) while the slow clients are connected; fails past `within`."""
    started = time.monotonic()
    requests.get(f"{url}/healthz", timeout=within)
    return time.monotonic() - started
