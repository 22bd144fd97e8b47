"""Without an exporter a span is only its context, and that context still travels: into message headers and logs."""

from __future__ import annotations

import io
import json
import logging

from opentelemetry import trace
from opentelemetry.trace import SpanKind

from infra import logs, tracing

CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_a_span_continues_its_parents_trace_and_hands_it_on_as_a_traceparent(monkeypatch):
    monkeypatch.setattr(tracing, "_exporting", False)
    span = tracing.start("POST /api/v1/editions", tracing.parent(CALLER), SpanKind.SERVER)
    context = span.get_span_context()
    assert not span.is_recording()
    assert trace.format_trace_id(context.trace_id) == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert trace.format_span_id(context.span_id) != "00f067aa0ba902b7"
    sent = tracing.header_value(span)
    assert sent.decode().split("-")[1] == "4bf92f3577b34da6a3ce929d0e0e4736"
    consumed = tracing.start("ochotnicy.applications process", tracing.from_headers([("traceparent", sent)]), SpanKind.CONSUMER)
    assert consumed.get_span_context().trace_id == context.trace_id


def test_a_request_without_a_traceparent_starts_a_trace_of_its_own(monkeypatch):
    monkeypatch.setattr(tracing, "_exporting", False)
    first, second = (tracing.start("GET /healthz", tracing.parent(None), SpanKind.SERVER) for _ in range(2))
    assert first.get_span_context().is_valid and first.get_span_context().trace_id != second.get_span_context().trace_id
    assert tracing.parent("not a traceparent") is None


def test_a_log_line_written_in_a_span_carries_its_ids_and_its_time_in_utc(monkeypatch):
    monkeypatch.setattr(tracing, "_exporting", False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out = io.StringIO()
    try:
        logs.configure("funding", "INFO")
        root.handlers[0].setStream(out)
        span = tracing.start("x", tracing.parent(CALLER), SpanKind.INTERNAL)
        with trace.use_span(span):
            logging.getLogger("test").info("inside")
        logging.getLogger("test").info("outside")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    inside, outside = (json.loads(line) for line in out.getvalue().splitlines())
    assert inside["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736" and inside["span_id"] and outside["trace_id"] is None
    assert inside["time"].endswith("Z") and inside["time"][10] == "T" and len(inside["time"]) == 24
