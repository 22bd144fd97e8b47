"""One command over HTTP, applied by a consumer in another service: one trace, from the request through the outbox
and Kafka to the consumer, exported over OTLP; the trace id in both services' JSON logs, their times ISO 8601 UTC."""

from __future__ import annotations

import json
import re

from opentelemetry.proto.trace.v1.trace_pb2 import Span as ProtoSpan

from tests.support.collector import Collector
from tests.support.waiting import wait_until

UTC_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
EDITION = {"programme": "partnerships", "name": "Partnerstwa – edycja śledzona", "year": 2026, "kind": "partnership",
           "grant_caps": [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"}],
           "opens_on": "2026-12-01", "closes_on": "2027-01-31"}


def json_lines(text: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def test_a_command_and_its_consumer_in_another_service_share_one_trace_and_the_logs_name_it(live):
    with Collector() as collector, live("applications", "funding", OCHOTNICY_TRACE_EXPORTER="otlp",
                                        OCHOTNICY_OTLP_ENDPOINT=collector.endpoint, OCHOTNICY_LOG_LEVEL="DEBUG") as stack:
        staff = stack.session("applications:write", subject="anna.kowalska")
        answer = staff.post(f"{stack.url('applications')}/api/v1/editions", json=EDITION)
        assert answer.status_code == 201, answer.text
        edition = answer.json()["id"]

        def spans_of_the_edition():
            consumed = [s for s in collector.spans if s.kind == ProtoSpan.SPAN_KIND_CONSUMER and s.service == "ochotnicy-funding"
                        and s.attributes.get("cloudevents.event_type") == "EditionOpened"]
            return [(s, trace) for s in consumed
                    for trace in [[t for t in collector.spans if t.trace_id == s.trace_id]]
                    if any(t.kind == ProtoSpan.SPAN_KIND_SERVER for t in trace)]

        [(consumed, trace)] = wait_until(spans_of_the_edition, timeout=60, what="funding's span of the EditionOpened")
        [request] = [s for s in trace if s.kind == ProtoSpan.SPAN_KIND_SERVER]
        [publish] = [s for s in trace if s.kind == ProtoSpan.SPAN_KIND_PRODUCER]
        assert (request.service, request.name) == ("ochotnicy-applications", "POST /api/v1/editions")
        assert request.attributes["http.response.status_code"] == 201
        assert (publish.service, publish.parent_id) == ("ochotnicy-applications", request.span_id)
        assert consumed.parent_id == publish.span_id and consumed.attributes["messaging.consumer.group.name"] == "funding-v2"
        trace_id = request.trace_id

        web = json_lines(stack.log("applications-web"))
        [access] = [line for line in web if line.get("logger") == "ochotnicy.access" and line.get("method") == "POST"]
        assert access["trace_id"] == trace_id and access["status"] == 201 and access["path"] == "/api/v1/editions"
        assert access["subject"] == "anna.kowalska" and access["duration_ms"] > 0
        assert staff.headers["Authorization"].split()[1] not in stack.log("applications-web")  # never a token
        worker = json_lines(stack.log("funding-worker"))
        applied = [line for line in worker if line.get("message", "").startswith("applied EditionOpened")]
        assert [line["trace_id"] for line in applied if edition in line["message"]] == [trace_id]
        assert all(UTC_MILLIS.match(line["time"]) for line in web + worker), "a log line's time is not ISO 8601 UTC"
