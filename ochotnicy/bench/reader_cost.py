"""CPU per event of the bulk rebuild's reading, in one process: the Kafka record, the event read from it, both together.

    python -m ochotnicy.bench.reader_cost [--events 200000] [--bootstrap HOST:PORT] [--fill] [--rounds 3]

Without --bootstrap it starts a Tansu broker of its own and fills it with the benchmark's log (`log.publish`); with it,
--fill writes the log there first. Each figure is CPU time (time.process_time: every thread of this process, the Kafka
client's I/O thread too) over the events read, the best of --rounds, so other work on the machine moves it little.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from contracts import envelope
from contracts.registry import PUBLIC
from infra import config
from infra.messaging import kafka
from infra.messaging.offsets import partitions, read_on
from infra.rebuild import sources
from ochotnicy.bench import log


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu(work: Callable[[], int], rounds: int) -> tuple[float, int]:
    """The least CPU seconds of `rounds` runs of `work` and the count of events it returned."""
    best, count = float("inf"), 0
    for _ in range(rounds):
        gc.collect()
        started = time.process_time()
        count = work()
        best = min(best, time.process_time() - started)
    return best, count


def _kafka_python(settings: config.Settings) -> int:
    """Every record of the log's topics through kafka-python as the services read (what the rebuild read before)."""
    reader = kafka.consumer(settings, None, "reader-cost-kafka-python", enable_incremental_fetch_sessions=False)
    try:
        assigned = partitions(reader, sorted(log.SERVICE_OF_TOPIC))
        ends = reader.end_offsets(assigned)
        reader.assign(assigned)
        reader.seek_to_beginning(*assigned)
        return sum(1 for _ in read_on(reader, assigned, ends, 300.0))
    finally:
        reader.close(autocommit=False)


def _records(settings: config.Settings) -> int:
    """Every record through the rebuild's own reader, the event left unread: what the Kafka client and the loop cost."""
    real = envelope.read
    envelope.read = lambda value, registry: value  # type: ignore[assignment]  # the reader looks it up when it starts
    try:
        with sources.TopicReader(settings, sorted(log.SERVICE_OF_TOPIC), PUBLIC, "reader-cost") as reader:
            return sum(1 for _ in reader)
    finally:
        envelope.read = real


def measure(settings: config.Settings, rounds: int) -> dict[str, float]:
    """µs of CPU per event of each part: records, events read from values in memory, the rebuild's reader whole."""
    values = [value for _topic, _key, value in log.messages(_records(settings))]  # the log's events as they lie there

    def events() -> int:
        read = envelope.read
        for value in values:
            read(value, PUBLIC)
        return len(values)

    def whole() -> int:
        with sources.TopicReader(settings, sorted(log.SERVICE_OF_TOPIC), PUBLIC, "reader-cost") as reader:
            return sum(1 for r in reader if r.event is not None)

    figures = {}
    for name, work in (("kafka-python record (the services' client)", lambda: _kafka_python(settings)),
                       ("rebuild reader's record", lambda: _records(settings)), ("envelope.read", events),
                       ("rebuild reader whole", whole)):
        seconds, count = _cpu(work, rounds)
        figures[name] = seconds / count * 1e6
        figures["events"] = count
    # Each reading ends with a few empty polls (QUIET_POLLS) and, for kafka-python, read_on's wait past the ends:
    # idle time, next to nothing in CPU, so no correction.
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--bootstrap")
    parser.add_argument("--fill", action="store_true", help="write the log to --bootstrap first")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    broker = None
    if args.bootstrap is None:
        from ochotnicy.broker import Tansu

        broker = Tansu(port=_free_port(), log=Path(tempfile.gettempdir()) / "reader-cost-tansu.log").start()
        args.bootstrap, args.fill = broker.bootstrap, True
    settings = dataclasses.replace(config.load("cli"), kafka_bootstrap=args.bootstrap)
    try:
        if args.fill:
            started = time.perf_counter()
            log.publish(settings, args.events)
            print(f"filled {args.events} events in {time.perf_counter() - started:.1f} s")
        figures = measure(settings, args.rounds)
    finally:
        if broker is not None:
            broker.stop()
    print(f"{int(figures.pop('events'))} events, µs of CPU per event (best of {args.rounds}):")
    for name, us in figures.items():
        print(f"  {name:<44} {us:6.2f}")


if __name__ == "__main__":
    main()
