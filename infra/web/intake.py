"""gunicorn's threaded worker, taking each request in whole in its event loop before a thread serves it.

gunicorn's gthread worker hands a connection to a thread at its first bytes, and the thread then blocks until the
request's head and body have arrived: twelve clients that sent half a request held every thread, and /healthz
timed out (issue 30). Here the event loop collects the head within `header_timeout` and the declared body within
`body_timeout` without blocking; only a whole request reaches a thread. One that does not arrive in time is
answered 408 and closed. A thread's own reads and writes (an answer to a client that does not read it) give up
after `body_timeout` too. A body over the limit, however sent, is answered (413) with "Connection: close" and not
read on, and a connection's closing waits for its client in the event loop (infra.web.connections).
"""

from __future__ import annotations

import errno
import json
import selectors
import time
from functools import partial

from gunicorn.http.parser import RequestParser
from gunicorn.workers.gthread import TConn, ThreadWorker

from infra.web.connections import IntakeConn, Lingering, TimedSocket
from infra.web.errors import body

HEAD_LIMIT = 64 * 1024
"""A head longer than this is refused (431) before it is read further; browsers send a few kilobytes."""
BODY_LIMIT = 1024 * 1024
"""The app's MAX_CONTENT_LENGTH: a larger body is not collected, the app refuses it (413) without reading it."""
BUFFER_BUDGET = 64 * 1024 * 1024
"""Bytes one worker holds for requests still arriving; past it a new arrival is answered 503 (memory stays bounded)."""

MESSAGES = {
    408: "Żądanie nie dotarło w całości w wyznaczonym czasie. Wyślij je ponownie.",
    431: "Nagłówki żądania są za duże lub jest ich za dużo.",
    503: "Serwer przyjmuje teraz zbyt wiele żądań naraz. Spróbuj ponownie za chwilę.",
}


def error_answer(status: int, message: str | None = None) -> bytes:
    """A whole HTTP answer with our JSON error body (in Polish), closing the connection."""
    error = body(status, message or MESSAGES.get(status))
    payload = json.dumps(error, ensure_ascii=False).encode()
    head = f"HTTP/1.1 {status} {error['status']}\r\nConnection: close\r\n"
    head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    return head.encode("latin-1") + payload


class Arriving:
    """A request still arriving on a connection: its bytes so far, where its head ends, its deadline."""

    def __init__(self, conn: TConn, deadline: float) -> None:
        self.conn = conn
        self.data = bytearray()
        self.deadline = deadline
        self.head_end = -1
        self.body_length: int | None = None
        """Bytes of body a Content-Length declares; None: chunked."""
        self.chunk_at = 0
        """Chunked: where the next chunk's size line starts."""


def _headers(head: bytes) -> dict[bytes, list[bytes]]:
    found: dict[bytes, list[bytes]] = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        found.setdefault(name.strip().lower(), []).append(value.strip())
    return found


def _rewrite_head(arriving: Arriving, drop: bytes, add: bytes | None = None) -> None:
    """Takes the header `drop` off the request's head that has arrived, and puts the line `add` in its place."""
    head = bytes(arriving.data[:arriving.head_end - 4])
    kept = [line for line in head.split(b"\r\n") if line.partition(b":")[0].strip().lower() != drop]
    if add:
        kept.append(add)
    arriving.data[:arriving.head_end] = b"\r\n".join(kept) + b"\r\n\r\n"
    moved = len(b"\r\n".join(kept)) + 4 - arriving.head_end
    arriving.head_end += moved
    arriving.chunk_at += moved


def _chunked_end(data: bytearray, start: int) -> tuple[int | None, int]:
    """(where a chunked body starting at `start` ends, or None while it has not arrived; where to look next time)."""
    at = start
    while True:
        line_end = data.find(b"\r\n", at)
        if line_end < 0:
            return None, at
        size_text = bytes(data[at:line_end]).split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return len(data), at  # not chunked framing: gunicorn refuses it (400), nothing to wait for
        if size == 0:
            trailers_end = data.find(b"\r\n\r\n", line_end)
            return (None, at) if trailers_end < 0 else (trailers_end + 4, at)
        if line_end + 2 + size + 2 > len(data):
            return None, at
        at = line_end + 2 + size + 2


class IntakeThreadWorker(ThreadWorker):
    """gunicorn's gthread worker whose threads get only requests that have arrived whole."""

    header_timeout = 10.0
    body_timeout = 30.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.arriving: dict[TConn, Arriving] = {}
        self.lingering = Lingering()
        self.buffered = 0
        self.socket_class = type("ClientSocket", (TimedSocket,), {"timeout_s": self.body_timeout})

    def accept(self, listener) -> None:
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = IntakeConn(self.cfg, self.socket_class(fileno=client.detach()), address, listener.getsockname())
        conn.linger = partial(self.lingering.close, self.poller)
        if self.cfg.is_ssl:
            self.enqueue_req(conn)  # TLS ends at a proxy in front; gunicorn's own handshake needs a thread
        else:
            self._collect(conn)

    def on_client_socket_readable(self, conn: TConn, client) -> None:
        """A kept-alive connection's next request begins: collected like the first."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._collect(conn)

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        for arriving in [a for a in self.arriving.values() if a.deadline <= now]:
            # A connection that never sent a byte is closed quietly (browsers open spare ones); others hear why.
            self._drop(arriving, error_answer(408) if arriving.data else b"")
        self.lingering.expire(self.poller, now)

    def _collect(self, conn: TConn) -> None:
        conn.sock.setblocking(False)
        arriving = Arriving(conn, time.monotonic() + self.header_timeout)
        self.arriving[conn] = arriving
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, arriving))

    def _on_readable(self, arriving: Arriving, sock) -> None:
        try:
            data = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(arriving)  # the client went away before its request was whole
            return
        if self.buffered + len(data) > BUFFER_BUDGET:
            self._drop(arriving, error_answer(503))
            return
        arriving.data += data
        self.buffered += len(data)
        if arriving.head_end < 0 and not self._head_arrived(arriving):
            if len(arriving.data) > HEAD_LIMIT:
                self._drop(arriving, error_answer(431))
            return
        if self._body_arrived(arriving):
            self._serve(arriving)

    def _head_arrived(self, arriving: Arriving) -> bool:
        end = arriving.data.find(b"\r\n\r\n")
        if end < 0:
            return False
        arriving.head_end = end + 4
        arriving.deadline = time.monotonic() + self.body_timeout
        head = bytes(arriving.data[:end])
        headers = _headers(head)
        lengths = headers.get(b"content-length", [])
        if b"chunked" in b",".join(headers.get(b"transfer-encoding", [])).lower():
            arriving.body_length = None
        elif len(lengths) == 1 and lengths[0].isdigit() and int(lengths[0]) <= BODY_LIMIT:
            arriving.body_length = int(lengths[0])
        else:
            arriving.body_length = 0  # none, too large or malformed: the app or gunicorn answers without it
            if len(lengths) == 1 and lengths[0].isdigit():
                self._closing(arriving)
            return True
        if arriving.body_length != 0 and headers.get(b"expect", [b""])[0].lower() == b"100-continue":
            self._continue(arriving, head)
        arriving.chunk_at = arriving.head_end
        return True

    def _continue(self, arriving: Arriving, head: bytes) -> None:
        """Asks for the body the client holds back until told to send it, and takes the expectation off the head."""
        if not head.split(b"\r\n", 1)[0].endswith(b"HTTP/1.1"):
            return  # HTTP/1.0 has no 100 Continue
        try:
            arriving.conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        except OSError:
            return
        _rewrite_head(arriving, b"expect")

    def _closing(self, arriving: Arriving) -> None:
        """Makes the request ask for the connection to close after its answer: its body, over the limit, is not read."""
        # Otherwise gunicorn answers the 413 "keep-alive" and its thread stays reading the rest of the body to find
        # where the next request starts, for as long as the client keeps sending it (up to its drain's limits).
        _rewrite_head(arriving, b"connection", b"Connection: close")

    def _body_arrived(self, arriving: Arriving) -> bool:
        if arriving.body_length is not None:
            return len(arriving.data) - arriving.head_end >= arriving.body_length
        end, arriving.chunk_at = _chunked_end(arriving.data, arriving.chunk_at)
        if end is None and len(arriving.data) - arriving.head_end > BODY_LIMIT:
            self._closing(arriving)
            return True  # the app refuses it (413) without waiting for the rest
        return end is not None

    def _serve(self, arriving: Arriving) -> None:
        """Gives the whole request to a thread: gunicorn's parser reads it from memory, not from the client."""
        conn = self._forget(arriving)
        conn.init()
        assert isinstance(conn.parser, RequestParser), "plain HTTP/1.1 (no TLS, no HTTP/2): gunicorn's own parser"
        conn.parser.unreader.unread(bytes(arriving.data))
        self.enqueue_req(conn)

    def _drop(self, arriving: Arriving, answer: bytes = b"") -> None:
        conn = self._forget(arriving)
        if answer:
            try:
                conn.sock.send(answer)
            except OSError:
                pass  # the client is gone, or not reading: nothing more is owed
        self.nr_conns -= 1
        conn.close()

    def _forget(self, arriving: Arriving) -> TConn:
        self.poller.unregister(arriving.conn.sock)
        del self.arriving[arriving.conn]
        self.buffered -= len(arriving.data)
        return arriving.conn
