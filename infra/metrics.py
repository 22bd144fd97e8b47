"""Prometheus metrics every service exposes at /metrics."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("ochotnicy_http_requests_total", "HTTP requests served", ["service", "method", "endpoint", "status"])
LATENCY = Histogram("ochotnicy_http_request_seconds", "HTTP request duration", ["service", "endpoint"])
EVENTS_APPENDED = Counter("ochotnicy_events_appended_total", "Events appended to the store", ["service", "type"])
EVENTS_PUBLISHED = Counter("ochotnicy_events_published_total", "Events the relay published", ["service", "topic"])
EVENTS_CONSUMED = Counter("ochotnicy_events_consumed_total", "Events applied by a consumer", ["consumer", "topic"])
EVENTS_DUPLICATE = Counter("ochotnicy_events_duplicate_total", "Redelivered events ignored", ["consumer", "topic"])
DEAD_LETTERED = Counter("ochotnicy_events_dead_lettered_total", "Messages parked on a dead-letter topic", ["consumer", "topic"])
CONSUMER_LAG = Gauge(
    "ochotnicy_consumer_lag", "Messages not yet consumed", ["consumer", "topic", "partition"], multiprocess_mode="max"
)
# Measured from the database when /healthz or a worker's /metrics is read: the latest measurement is the truth.
OUTBOX_PENDING = Gauge("ochotnicy_outbox_pending", "Outbox rows not yet published", ["service"], multiprocess_mode="mostrecent")
OUTBOX_AGE = Gauge(
    "ochotnicy_outbox_oldest_age_seconds", "How long the oldest unpublished outbox row has waited", ["service"],
    multiprocess_mode="mostrecent",
)
BROKER_UP = Gauge("ochotnicy_broker_up", "Whether the broker answered the last health check (1) or not (0)", ["service"],
                  multiprocess_mode="mostrecent")


def exposition(multiprocess_dir: str | None) -> tuple[bytes, str]:
    """The metrics text of this process, or of all gunicorn workers in multiprocess mode."""
    if multiprocess_dir:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
