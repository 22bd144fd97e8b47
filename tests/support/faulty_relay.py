"""A service's worker whose relay dies between sending a batch to Kafka and recording the send.

`python -m tests.support.faulty_relay <service>` runs the worker of `<service>` (relay and consumers) with
one change: the first time the relay has flushed a non-empty batch to the broker, the process prints the
outbox ids it sent as `{"sent_not_recorded": [...]}` and exits at once with code 86, before
`Relay._mark_sent` records anything — the worst moment for a relay to die. Production code is untouched.
"""

from __future__ import annotations

import importlib
import json
import os
import sys

from infra import worker
from infra.messaging.relay import Relay

EXIT = 86


def main(service: str) -> None:
    record = Relay._mark_sent

    def die_instead_of_recording(self, ids: list[int]) -> None:
        if not ids:
            return record(self, ids)
        print(json.dumps({"sent_not_recorded": ids}), flush=True)
        os._exit(EXIT)

    Relay._mark_sent = die_instead_of_recording
    worker.run(lambda: importlib.import_module(f"services.{service}.spec").SPEC.bootstrap().worker_loops())


def sent_not_recorded(log_text: str) -> list[int]:
    """The outbox ids a faulty relay printed before dying."""
    for line in log_text.splitlines():
        if line.startswith('{"sent_not_recorded"'):
            return json.loads(line)["sent_not_recorded"]
    raise AssertionError("the faulty relay did not report what it sent")


if __name__ == "__main__":
    main(sys.argv[1])
