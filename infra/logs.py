"""Structured JSON logs, each line carrying the service and the correlation id."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from infra import context


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = context.current()
        record.service = self._service
        record.correlation_id = ctx.correlation_id
        record.actor = ctx.actor
        return True


class _CancelledMetadataRequests(logging.Filter):
    """Drops kafka-python's ERROR for a cancelled metadata request: our own clean stop cancels one, and a lost
    connection, which also cancels them, is logged on its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.msg == "Metadata refresh: failed %s" and isinstance(record.args, tuple) and record.args
                    and type(record.args[0]).__name__ == "Cancelled")


def configure(service: str, level: str = "INFO") -> None:
    """Sends every log record to stdout as one JSON object per line."""
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(_ContextFilter(service))
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(service)s %(correlation_id)s %(actor)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # kafka-python is chatty about every reconnect attempt.
    logging.getLogger("kafka").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("kafka.cluster").addFilter(_CancelledMetadataRequests())
