"""A worker process's /healthz and /metrics on its own port (`OCHOTNICY_<SERVICE>_WORKER_PORT`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import orjson

from infra import metrics
from infra.config import Settings

log = logging.getLogger(__name__)
Check = Callable[[], tuple[dict[str, Any], int]]
REASONS = {200: "200 OK", 404: "404 Not Found", 503: "503 Service Unavailable"}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a client that never finishes its request must not hold the worker's exit


class _Handler(WSGIRequestHandler):
    timeout = 10  # seconds a client may take to send its request

    def log_message(self, format: str, *args: Any) -> None:
        pass  # probes every few seconds would drown the worker's own (JSON) log


class Probe:
    """Serves the worker's health and metrics until the worker stops."""

    def __init__(self, settings: Settings, check: Check) -> None:
        self._settings = settings
        self._check = check

    def run(self, stop: threading.Event) -> None:
        server = make_server(self._settings.http_host, self._settings.worker_port, self.app,
                             server_class=_Server, handler_class=_Handler)
        serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5}, name="probe-http", daemon=True)
        serving.start()
        log.info("worker health and metrics served", extra={"port": self._settings.worker_port})
        try:
            stop.wait()
        finally:
            server.shutdown()
            server.server_close()

    def app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """The WSGI app: /healthz as the web process answers it, /metrics with the outbox and broker measured now."""
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            body, status = self._check()
            payload, content_type = orjson.dumps(body), "application/json"
        elif path == "/metrics":
            self._check()  # sets the outbox and broker gauges to what holds now
            payload, content_type = metrics.exposition(self._settings.metrics_dir)
            status = 200
        else:
            payload, content_type, status = b'{"code": 404}', "application/json", 404
        start_response(REASONS[status], [("Content-Type", content_type), ("Content-Length", str(len(payload)))])
        return [payload]
