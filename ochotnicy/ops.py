"""`ochotnicy migrate`, `topics` and `ops status`: production's one-off steps, and what an operator looks at."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from contracts import topics
from infra import config, db, spec
from infra.db import migrate as migrations
from infra.eventstore import chain
from infra.messaging import backlog, kafka
from infra.messaging.offsets import Offsets
from infra.polish import count
from infra.terminal import say, shown_json
from ochotnicy import dlq
from ochotnicy.audit import ALL, available


def migrate(services: Iterable[str], environ: Mapping[str, str] | None = None, out=None) -> None:
    """Brings each service's database to the newest schema (the step before web and worker start)."""
    for service in services:
        engine = db.make_engine(config.load(service, environ).check_database().database_url)
        try:
            migrations.upgrade(engine, spec.load(service).migrations)
        finally:
            engine.dispose()
        print(f"{service}: schemat bazy jest najnowszy", file=out)


def create_topics(environ: Mapping[str, str] | None = None, out=None) -> list[str]:
    """Creates every topic the services write, dead-letter topics included, with the configured partitions and replicas."""
    settings = config.load("cli", environ)
    created = kafka.ensure_topics(settings, topics.every(), "ochotnicy-topics")
    for name in topics.every():
        what = "utworzony" if name in created else "już był"
        partitions = count(settings.topic_partitions, "partycja", "partycje", "partycji")
        print(f"{name}: {what} ({partitions}, {count(settings.topic_replication_factor, 'kopia', 'kopie', 'kopii')})", file=out)
    return created


def status(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Each service's outbox and chain head, each consumer group's lag, and what waits on each dead-letter topic."""
    found: dict[str, Any] = {"services": {name: _service(name, environ) for name in available(ALL)}}
    try:
        with Offsets(config.load("cli", environ), "ochotnicy-ops") as offsets:
            found["consumers"] = {
                name: _lag(offsets, group) | {"service": group.service} for name, group in sorted(dlq.groups().items())
            }
            sizes = offsets.sizes(dlq.DEAD_LETTER_TOPICS)
        parked = dlq.read(environ=environ)
    except Exception as exc:  # noqa: BLE001 - the rest of the status is still worth printing
        found["broker"] = f"niedostępny: {exc!r}"
        return found
    found["broker"] = "ok"
    found["dead_letters"] = {topic: {"parked": sizes[topic], "waiting": Counter(), "by_consumer": Counter()}
                             for topic in dlq.DEAD_LETTER_TOPICS}
    for message, state in parked:
        entry = found["dead_letters"][message.topic]
        entry["by_consumer"][message.consumer] += 1
        if state == dlq.WAITING:
            entry["waiting"][message.consumer] += 1
    return found


def _service(name: str, environ: Mapping[str, str] | None) -> dict[str, Any]:
    try:
        engine = db.make_engine(config.load(name, environ).check_database().database_url)
    except config.ConfigError as exc:
        return {"database": f"nie ustawiono: {exc}"}
    try:
        with engine.connect() as connection:
            found: dict[str, Any] = {"database": "ok"}
            if name in topics.BY_SERVICE:
                pending = backlog.measure(connection)
                seq, digest, unsealed = chain.head(connection)
                found["outbox"] = {"pending": pending.pending, "oldest_age_s": round(pending.oldest_age_s, 3)}
                found["chain"] = {"head": seq, "hash": digest, "unsealed": unsealed}
            return found
    except Exception as exc:  # noqa: BLE001 - one database down does not hide the others
        return {"database": f"niedostępna: {exc.__class__.__name__}"}
    finally:
        engine.dispose()


def _lag(offsets: Offsets, group: dlq.Group) -> dict[str, Any]:
    partitions = offsets.lag(group.consumed.name, group.consumed.topics)
    by_topic: Counter[str] = Counter()
    for partition in partitions:
        by_topic[partition.topic] += partition.lag
    return {"lag": sum(by_topic.values()), "by_topic": dict(by_topic)}


def print_status(found: dict[str, Any], as_json: bool, out=None) -> None:
    """The status as a table or JSON; names and errors read from the stores and the broker are printed escaped."""
    if as_json:
        print(shown_json(found), file=out)
        return
    say("Usługi:", out)
    for name, service in found["services"].items():
        say(f"  {name:<13} baza: {service['database']}", out)
        if "outbox" in service:
            outbox, head = service["outbox"], service["chain"]
            say(f"  {'':<13} outbox: {outbox['pending']} do wysłania, najstarsze czeka {_seconds(outbox['oldest_age_s'])}",
                out)
            say(f"  {'':<13} łańcuch: ogniwo {head['head']} ({head['hash'][:16]}…), niezapieczętowane: {head['unsealed']}",
                out)
    say(f"Broker: {found['broker']}", out)
    if "consumers" in found:
        say("Opóźnienie konsumentów (wiadomości do przeczytania):", out)
        for name, consumer in found["consumers"].items():
            topics_lag = ", ".join(f"{t} {n}" for t, n in consumer["by_topic"].items()) or "tematy jeszcze nie istnieją"
            say(f"  {name:<16} ({consumer['service']}): {consumer['lag']}  [{topics_lag}]", out)
    if "dead_letters" in found:
        say("Odłożone wiadomości (ochotnicy dlq list):", out)
        for topic, entry in found["dead_letters"].items():
            waiting = sum(entry["waiting"].values())
            # The consumer's name comes from the parked message's header: anything a producer wrote there.
            who = ", ".join(f"{c} {n}" for c, n in sorted(entry["by_consumer"].items()))
            parked = count(entry["parked"], "odłożona", "odłożone", "odłożonych")
            say(f"  {topic:<30} {parked}, {waiting} czeka{f'  [{who}]' if who else ''}", out)


def _seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")  # a decimal comma, as the audit tools write


def healthy(found: dict[str, Any]) -> bool:
    """Whether every database and the broker answered."""
    return found["broker"] == "ok" and all(s["database"] == "ok" for s in found["services"].values())
