"""Each HTTP request's span (continuing a caller's `traceparent`) and its one line in the access log."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from infra import tracing

log = logging.getLogger("ochotnicy.access")
PROBES = {"healthz", "metrics"}
"""Asked every few seconds by compose and Prometheus: logged at DEBUG, so the access log shows people's requests."""


def install(app: Flask) -> None:
    """Registered before every other request hook, so a request refused early (401, 415) is traced and logged too."""

    @app.before_request
    def _start() -> None:
        g.observed_at = time.perf_counter()
        route = request.url_rule.rule if request.url_rule is not None else None
        span = tracing.start(
            f"{request.method} {route}" if route else request.method,
            tracing.parent(request.headers.get(tracing.HEADER)),
            SpanKind.SERVER,
            {"http.request.method": request.method, "url.path": request.path, **({"http.route": route} if route else {})},
        )
        g.span, g.span_token = span, otel_context.attach(trace.set_span_in_context(span))

    @app.after_request
    def _log(response: Response) -> Response:
        span = g.get("span")
        if span is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                span.set_status(Status(StatusCode.ERROR))
        principal = g.get("principal")
        # The path without its query (a search may name a person), and the subject alone: never a token.
        log.log(
            logging.DEBUG if request.endpoint in PROBES else logging.INFO,
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"method": request.method, "path": request.path, "status": response.status_code,
                   "duration_ms": round((time.perf_counter() - g.get("observed_at", time.perf_counter())) * 1000, 1),
                   "subject": principal.subject if principal is not None else None},
        )
        return response

    @app.teardown_request
    def _end(error: BaseException | None) -> None:
        span, token = g.pop("span", None), g.pop("span_token", None)
        if span is not None:
            if error is not None:
                span.record_exception(error)
            span.end()
        if token is not None:
            otel_context.detach(token)
