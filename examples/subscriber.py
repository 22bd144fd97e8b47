"""An example subscriber for other city departments: prints every funding decision as it happens.

    pip install "kafka-python[crc32c]"     # or, inside this repository, use .venv/bin/python
    python examples/subscriber.py --bootstrap 127.0.0.1:9092

Each message is a CloudEvents 1.0 JSON document; its key is the aggregate id, so all events of one
partnership arrive in order. Use your own group id: the log is kept forever and replayed from the start
when a new group joins. The same event may arrive twice (e.g. after the broker recovers): keep the ids
you have handled (`id` is unique forever) and skip repeats.
"""

from __future__ import annotations

import argparse
import json

from kafka import KafkaConsumer


def main(argv: list[str] | None = None) -> int:
    # Polish, as the departments that run it read it.
    parser = argparse.ArgumentParser(description="Wypisuje decyzje o dofinansowaniu partnerstw w chwili, gdy zapadają.")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="adres brokera Kafka (domyślnie: %(default)s)")
    parser.add_argument("--group", default="wydzial-przykladowy", help="własna grupa konsumentów (domyślnie: %(default)s)")
    parser.add_argument("--topic", default="ochotnicy.funding", help="temat do czytania (domyślnie: %(default)s)")
    parser.add_argument("--max", type=int, default=0, help="zakończ po tylu zdarzeniach (0: nigdy)")
    parser.add_argument("--idle-ms", type=int, default=0, help="zakończ, gdy przez tyle ms nic nie przyjdzie (0: nigdy)")
    args = parser.parse_args(argv)

    consumer = KafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,  # commit after handling, so nothing is skipped after a crash
        session_timeout_ms=10_000,  # a short session lets a restarted subscriber rejoin quickly
        heartbeat_interval_ms=1_000,
        consumer_timeout_ms=args.idle_ms or float("inf"),
    )
    handled: set[str] = set()  # in production: a table, updated in the same transaction as your own data
    try:
        for message in consumer:
            event = json.loads(message.value)
            if event["id"] in handled:
                continue
            handled.add(event["id"])
            data = event["data"]
            if event["type"] == "FundingGranted":
                print(f"{event['time']}  przyznano {data['amount']} zł partnerstwu {data['partnership_id']}")
            elif event["type"] == "FundingRejected":
                print(f"{event['time']}  odmówiono partnerstwu {data['partnership_id']}: {data['reason']}")
            consumer.commit()
            if args.max and len(handled) >= args.max:
                break
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a person stops it; what was handled is committed
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
