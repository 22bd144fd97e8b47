"""Structured JSON logs: one object per line, its time in UTC (ISO 8601), with the service, correlation and trace ids."""

from __future__ import annotations

import datetime
import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from infra import context, tracing


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = context.current()
        record.service = self._service
        record.correlation_id = ctx.correlation_id
        record.actor = ctx.actor
        found = tracing.ids()
        record.trace_id, record.span_id = found if found else (None, None)
        return True


class _CancelledMetadataRequests(logging.Filter):
    """Drops kafka-python's ERROR for a cancelled metadata request: our own clean stop cancels one, and a lost
    connection, which also cancels them, is logged on its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.msg == "Metadata refresh: failed %s" and isinstance(record.args, tuple) and record.args
                    and type(record.args[0]).__name__ == "Cancelled")


class UtcJsonFormatter(JsonFormatter):
    """python-json-logger with times as `2026-12-06T16:30:00.123Z`, whatever the host's time zone."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        moment = datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(record.msecs):03d}Z"


def configure(service: str, level: str = "INFO") -> None:
    """Sends every log record to stdout as one JSON object per line."""
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(_ContextFilter(service))
    handler.setFormatter(
        UtcJsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(service)s %(correlation_id)s %(actor)s %(trace_id)s %(span_id)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # kafka-python is chatty about every reconnect attempt.
    logging.getLogger("kafka").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("kafka.cluster").addFilter(_CancelledMetadataRequests())

