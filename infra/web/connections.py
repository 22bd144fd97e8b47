"""The web worker's client connections: blocking waits bounded, and closes that linger without blocking the loop.

gunicorn lingers on a closing connection (reads what its client still sends until it closes too, so unread bytes do
not reset the connection and cost the client its answer) on the event loop's own thread, up to 2 s for each client
that does not close after a "Connection: close" answer: six such clients held /healthz for 6 s. Here the event loop
waits for them among its other sockets.
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from collections.abc import Callable

from gunicorn.workers.gthread import TConn

LINGER_S = 2.0
"""How long a closing connection waits for its client to close too, as gunicorn's own linger does."""


class TimedSocket(socket.socket):
    """A client socket whose blocking mode waits at most `timeout` for the client; then it counts as gone."""

    timeout_s = 30.0

    def setblocking(self, flag: bool) -> None:
        # gunicorn switches a connection to blocking mode for its thread; a timeout instead bounds the wait.
        if flag:
            self.settimeout(self.timeout_s)
        else:
            super().setblocking(False)

    def recv(self, *args, **kwargs) -> bytes:
        try:
            return super().recv(*args, **kwargs)
        except TimeoutError as exc:  # gunicorn ignores a reset quietly; a timeout it would log as a server error
            raise ConnectionResetError(errno.ECONNRESET, "the client sent nothing in time") from exc

    def sendall(self, *args, **kwargs) -> None:
        try:
            super().sendall(*args, **kwargs)
        except TimeoutError as exc:
            raise ConnectionResetError(errno.ECONNRESET, "the client read nothing in time") from exc


class IntakeConn(TConn):
    """gunicorn's connection, whose graceful close waits for the client in the worker's event loop, not blocking it."""

    linger: Callable[[socket.socket], None] | None = None

    def close(self, graceful: bool = False) -> None:
        if graceful and self.linger is not None:
            self.linger(self.sock)
        else:
            super().close(graceful)


class Lingering:
    """Connections closed on our side, each read (and what arrives dropped) until its client closes or its deadline."""

    def __init__(self) -> None:
        self.deadlines: dict[socket.socket, float] = {}

    def close(self, poller: selectors.BaseSelector, sock: socket.socket) -> None:
        """Sends our FIN after the answer, then waits in `poller` for the client's."""
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.setblocking(False)
            poller.register(sock, selectors.EVENT_READ, lambda readable: self._readable(poller, readable))
        except (OSError, ValueError, KeyError):
            sock.close()
            return
        self.deadlines[sock] = time.monotonic() + LINGER_S

    def expire(self, poller: selectors.BaseSelector, now: float) -> None:
        for sock in [s for s, deadline in self.deadlines.items() if deadline <= now]:
            self._closed(poller, sock)

    def _readable(self, poller: selectors.BaseSelector, sock: socket.socket) -> None:
        try:
            if sock.recv(65536):
                return  # read and dropped: the request it belongs to has been answered
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            pass
        self._closed(poller, sock)

    def _closed(self, poller: selectors.BaseSelector, sock: socket.socket) -> None:
        poller.unregister(sock)
        del self.deadlines[sock]
        sock.close()
