"""OpenTelemetry traces: one trace from an HTTP request through the outbox and Kafka to every consumer that applies it.

A span's context travels as a W3C `traceparent`: from the request into the outbox row its events wrote, from the
relay into each message's headers, and from the headers into the consumer's span. The trace ids also reach every
log line (infra.logs). Spans are recorded and exported only where the settings say so (nothing connects before the
first export); without an exporter each span is only its context, which costs a consumer next to nothing per event.
"""

from __future__ import annotations

import contextlib
import contextvars
import random
from collections.abc import Iterator, Mapping, Sequence

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, SpanKind, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from infra.config import Settings

HEADER = "traceparent"
EXPORT_DELAY_MS = 2000
"""How long finished spans wait to be exported together."""
_PROPAGATOR = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None
_exporting = False
_applying: contextvars.ContextVar[Mapping[str, Span]] = contextvars.ContextVar("ochotnicy_applying", default={})  # noqa: B039


def configure(settings: Settings, exporter: SpanExporter | None = None) -> None:
    """Installs this process's tracer provider (once), exporting as the settings say, or to `exporter` (tests)."""
    global _provider, _exporting
    if _provider is None:
        _provider = TracerProvider(resource=Resource.create({"service.name": f"ochotnicy-{settings.service}"}))
        chosen = _exporter(settings)
        if chosen is not None:
            _provider.add_span_processor(BatchSpanProcessor(chosen, schedule_delay_millis=EXPORT_DELAY_MS))
            _exporting = True
        trace.set_tracer_provider(_provider)
    if exporter is not None:
        _provider.add_span_processor(SimpleSpanProcessor(exporter))  # a test's: each span as it ends
        _exporting = True


def _exporter(settings: Settings) -> SpanExporter | None:
    if settings.trace_exporter == "otlp":
        # Imported only when chosen: it brings protobuf and requests, and connects at its first export.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(endpoint=settings.otlp_endpoint)
    if settings.trace_exporter == "console":
        return ConsoleSpanExporter(formatter=lambda span: span.to_json(indent=None) + "\n")
    return None


def flush() -> None:
    """Exports what has finished (at a clean stop)."""
    if _provider is not None:
        _provider.force_flush()


def tracer() -> trace.Tracer:
    return trace.get_tracer("ochotnicy")


def current_traceparent() -> str | None:
    """The current span's context as a `traceparent` value, or None outside any span."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(HEADER)


def parent(traceparent: str | bytes | None) -> otel_context.Context | None:
    """The context a `traceparent` value names (None when there is none or it is malformed: the span starts a trace)."""
    if isinstance(traceparent, bytes):
        traceparent = traceparent.decode("ascii", errors="replace")
    if not traceparent:
        return None
    found = _PROPAGATOR.extract({HEADER: traceparent})
    return found if trace.get_current_span(found).get_span_context().is_valid else None


def ids() -> tuple[str, str] | None:
    """The current trace and span ids in hex, as logs show them; None outside any span."""
    found = trace.get_current_span().get_span_context()
    if not found.is_valid:
        return None
    return trace.format_trace_id(found.trace_id), trace.format_span_id(found.span_id)


def header_value(span: Span) -> bytes:
    """The `traceparent` a message carries so that its consumer's span continues `span`'s trace."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=trace.set_span_in_context(span))
    return carrier[HEADER].encode("ascii")


def from_headers(headers: Sequence[tuple[str, bytes]] | None) -> otel_context.Context | None:
    """The parent a Kafka message's headers name."""
    for key, value in headers or ():
        if key == HEADER:
            return parent(value)
    return None


@contextlib.contextmanager
def applying_batch(spans: Mapping[str, Span]) -> Iterator[None]:
    """While a consumer applies a batch: each event's span, by event id, for `applying`."""
    token = _applying.set(spans)
    try:
        yield
    finally:
        _applying.reset(token)


def applying(event_id: str) -> contextlib.AbstractContextManager:
    """The event's span as the current one while a projection applies it (what it logs or commands joins its trace)."""
    span = _applying.get().get(event_id)
    return trace.use_span(span, end_on_exit=False) if span is not None else contextlib.nullcontext()


def start(name: str, parent_context: otel_context.Context | None, kind: SpanKind, attributes: Mapping | None = None) -> Span:
    """A span started under `parent_context` (a root span without one); the caller ends it."""
    if _exporting:
        return tracer().start_span(name, context=parent_context, kind=kind, attributes=dict(attributes or {}))
    # Nothing records it: only its context, for the logs and the next hop (a tenth of a recorded span's cost).
    found = trace.get_current_span(parent_context).get_span_context() if parent_context is not None else None
    if found is None or not found.is_valid:
        return NonRecordingSpan(SpanContext(random.getrandbits(128) or 1, random.getrandbits(64) or 1, False,
                                            TraceFlags(TraceFlags.SAMPLED)))
    return NonRecordingSpan(SpanContext(found.trace_id, random.getrandbits(64) or 1, False, found.trace_flags))
