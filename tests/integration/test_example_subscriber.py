"""The README's example subscriber for departments runs against the broker and prints decisions."""

from __future__ import annotations

import datetime
import subprocess
import sys
import uuid
from pathlib import Path

from kafka import KafkaProducer

from contracts import PUBLIC, envelope, topics
from contracts.funding import FundingRejected

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "subscriber.py"


def test_the_example_subscriber_prints_a_funding_decision(broker):
    partnership = str(uuid.uuid4())
    spec, data = PUBLIC.encode(FundingRejected(partnership, str(uuid.uuid4()), "Brak MAL w partnerstwie"))
    raw = envelope.write(id=str(uuid.uuid4()), service="funding", type=spec.type, version=spec.version,
                         subject=partnership, sequence=1, time=datetime.datetime.now(datetime.timezone.utc), data=data)
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
    producer.send(topics.FUNDING, key=partnership.encode(), value=raw).get(timeout=10)
    producer.send(topics.FUNDING, key=partnership.encode(), value=raw).get(timeout=10)  # delivered twice
    producer.close()
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--bootstrap", broker.bootstrap, "--group", f"test-{uuid.uuid4().hex[:6]}",
         "--idle-ms", "10000"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if partnership in line]
    assert lines == [lines[0]] and "odmówiono" in lines[0] and "Brak MAL" in lines[0]
