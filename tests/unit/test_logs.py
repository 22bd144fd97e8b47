"""Log configuration: what operators see."""

from __future__ import annotations

import io
import logging

from kafka.errors import Cancelled, KafkaConnectionError

from infra import logs


def test_a_metadata_request_cancelled_by_our_own_close_is_not_logged_as_an_error(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(logs.sys, "stdout", out)
    root, cluster = logging.getLogger(), logging.getLogger("kafka.cluster")
    handlers, level = root.handlers[:], root.level
    try:
        logs.configure("volunteers")
        cluster.error("Metadata refresh: failed %s", Cancelled())
        cluster.error("Metadata refresh: failed %s", KafkaConnectionError("broker gone"))
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        cluster.filters.clear()
        logging.getLogger("kafka").setLevel(logging.NOTSET)
    printed = out.getvalue()
    assert "Cancelled" not in printed and "broker gone" in printed
