"""Prometheus metrics every service exposes at /metrics."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO

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


def claim_directory(path: str) -> IO[bytes]:
    """Makes the multi-process directory, emptied first unless a live process still uses it; held while the file is open.

    A dead process's files would count forever (its counters, its gauges' last values), so prometheus-client wants the
    directory wiped at start. Locally a service's web and worker share one: each holds a shared lock on `.in-use` while
    it runs, and only a starter that finds nobody holding it wipes (the kernel drops a dead process's lock).
    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".starting", "wb") as starting:
        fcntl.flock(starting, fcntl.LOCK_EX)  # one starter at a time: none may wipe between another's check and lock
        in_use = open(folder / ".in-use", "wb")  # kept open for the life of the process
        try:
            fcntl.flock(in_use, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # another process of the service runs and writes here
        else:
            for stale in folder.glob("*.db"):
                stale.unlink(missing_ok=True)
        fcntl.flock(in_use, fcntl.LOCK_SH)
    return in_use
