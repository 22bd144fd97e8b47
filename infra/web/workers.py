"""gunicorn workers whose own error answers (a request it cannot parse, before the app sees it) are the app's JSON."""

from __future__ import annotations

import re
import socket
from typing import cast

from gunicorn import util
from gunicorn.workers.base import Worker

from infra.web.intake import IntakeThreadWorker, error_answer

_STATUS = re.compile(rb"^HTTP/1\.[01] (\d{3}) ")

MESSAGES = {
    400: "Żądanie HTTP jest niepoprawne (wiersz żądania, nagłówek lub kodowanie treści) i nie mogło zostać odczytane.",
    403: "Żądanie zostało odrzucone.",
    414: "Adres żądania jest za długi (najwyżej 4094 znaki). Skróć parametry zapytania.",
    417: "Serwer nie spełnia oczekiwania z nagłówka Expect.",
    431: "Nagłówki żądania są za duże lub jest ich za dużo.",
    501: "Serwer nie obsługuje tego kodowania treści (Transfer-Encoding).",
}


class Captured:
    """Stands in for the client socket while gunicorn writes its HTML answer, keeping the bytes."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.data += data


def json_answer(html_answer: bytes) -> bytes:
    """The answer gunicorn wrote, with its status kept and its HTML page replaced by our JSON error body."""
    match = _STATUS.match(html_answer)
    status = int(match.group(1)) if match else 500
    return error_answer(status, MESSAGES.get(status))


class _JsonErrors(Worker):
    """Mixed in before the thread worker, so super() is that worker's own handle_error."""

    def handle_error(self, req, client, addr, exc) -> None:
        # gunicorn still decides the status and logs as it would; only the page it writes is replaced.
        captured = Captured()
        # gunicorn writes its page through the socket's gettimeout() and sendall() alone, which Captured has.
        super().handle_error(req, cast(socket.socket, captured), addr, exc)
        try:
            util.write_nonblock(client, json_answer(captured.data))
        except Exception:  # noqa: BLE001 - the client may be gone, as gunicorn's own write allows
            self.log.debug("Failed to send error message.")


class JsonThreadWorker(_JsonErrors, IntakeThreadWorker):
    """gunicorn's gthread worker, taking requests in whole (infra.web.intake), its own errors answered as JSON."""


def thread_worker(header_timeout: float, body_timeout: float) -> type[JsonThreadWorker]:
    """JsonThreadWorker giving a request these times to arrive (gunicorn builds each worker from the class)."""
    return type("JsonThreadWorker", (JsonThreadWorker,), {"header_timeout": header_timeout, "body_timeout": body_timeout})

