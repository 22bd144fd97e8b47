"""`ochotnicy dlq list|show|redrive`: what consumers parked, and re-driving it through the consumer's own claims.

A re-drive feeds a parked message to the projection of the consumer that parked it, in one transaction with its
claim (the consumer's `processed_events`), exactly as the consumer would have: an event already applied is not
applied again, however often it is re-driven. Nothing is published: the public topics never see it twice.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select

from contracts import topics
from contracts.envelope import InvalidEvent
from infra import config, db, spec
from infra.audit.replay import Consumed
from infra.eventstore.tables import processed_events
from infra.messaging import parked
from infra.messaging.parked import Parked
from infra.terminal import say, shown, shown_json

DEAD_LETTER_TOPICS = tuple(topics.dead_letter(t) for t in topics.ALL)
APPLIED, WAITING, UNREADABLE, UNKNOWN = "applied", "waiting", "unreadable", "unknown-consumer"
STATES = {APPLIED: "zastosowana", WAITING: "czeka", UNREADABLE: "nieczytelna", UNKNOWN: "nieznany konsument"}
REDRIVEN, DUPLICATE = "redriven", "already-applied"
"""What a re-drive did: applied the event now, or found it applied meanwhile (and changed nothing)."""


@dataclasses.dataclass(frozen=True)
class Group:
    """A consumer group of an installed service."""

    service: str
    consumed: Consumed


def groups() -> dict[str, Group]:
    """Every consumer group the installed services run, by name."""
    from ochotnicy.audit import ALL, available

    return {c.name: Group(service, c) for service in available(ALL) for c in spec.load(service).consumed}


def states(found: Sequence[Parked], environ: Mapping[str, str] | None = None) -> dict[tuple[str, int, int], str]:
    """Each parked message's state: applied (its consumer's claims hold its event), waiting, unreadable (no event id)."""
    known = groups()
    wanted: dict[str, set[str]] = defaultdict(set)
    for message in found:
        if message.consumer in known and message.event_id:
            wanted[message.consumer].add(message.event_id)
    claimed: dict[str, set[str]] = {}
    for name, ids in wanted.items():
        engine = db.make_engine(config.load(known[name].service, environ).check_database().database_url)
        try:
            with engine.connect() as connection:
                claimed[name] = set(connection.execute(
                    select(processed_events.c.event_id).where(processed_events.c.consumer == name,
                                                              processed_events.c.event_id.in_(sorted(ids)))
                ).scalars())
        finally:
            engine.dispose()
    result = {}
    for message in found:
        if message.consumer not in known:
            state = UNKNOWN
        elif not message.event_id:
            state = UNREADABLE
        else:
            state = APPLIED if message.event_id in claimed.get(message.consumer, ()) else WAITING
        result[_where(message)] = state
    return result


def read(dead_letter_topics: Iterable[str] = DEAD_LETTER_TOPICS, consumer: str | None = None,
         environ: Mapping[str, str] | None = None) -> list[tuple[Parked, str]]:
    """The parked messages of `dead_letter_topics` (of one consumer, if named), each with its state."""
    found = [p for p in parked.read(config.load("cli", environ), dead_letter_topics) if consumer in (None, p.consumer)]
    state = states(found, environ)
    return [(p, state[_where(p)]) for p in found]


def redrive(dead_letter_topic: str, positions: Sequence[str] = (), consumer: str | None = None,
            environ: Mapping[str, str] | None = None) -> list[tuple[Parked, str]]:
    """Re-drives the waiting messages at `positions` ("partition:offset"; none: every one) of the topic; each with what became of it."""
    chosen = [(p, s) for p, s in read([dead_letter_topic], consumer, environ) if not positions or p.position in positions]
    missing = set(positions) - {p.position for p, _ in chosen}
    if missing:
        raise LookupError(f"na {dead_letter_topic} nie ma odłożonych wiadomości: {', '.join(sorted(missing))}")
    known = groups()
    outcomes, services = [], {}
    try:
        for message, state in chosen:
            if state != WAITING:
                outcomes.append((message, state))
                continue
            group = known[message.consumer]
            if group.service not in services:
                settings = config.load(group.service, environ)
                services[group.service] = spec.load(group.service).bootstrap(settings, configure_logging=False)
            reader = services[group.service].consumer(consumed=group.consumed)
            try:
                outcomes.append((message, REDRIVEN if reader.redrive(message.as_read()) else DUPLICATE))
            except InvalidEvent as exc:
                outcomes.append((message, f"nadal nieczytelna: {exc}"))
            except Exception as exc:  # noqa: BLE001 - the read model's refusal is reported, and the next message tried
                if db.transient(exc):
                    raise
                outcomes.append((message, f"model odczytu nadal jej nie przyjmuje: {exc!r}"))
    finally:
        for service in services.values():
            service.runtime.engine.dispose()
    return outcomes


def _where(message: Parked) -> tuple[str, int, int]:
    return message.topic, message.partition, message.offset


def _summary(message: Parked) -> dict:
    return {
        "topic": message.topic, "position": message.position, "consumer": message.consumer, "reason": message.reason,
        "original": f"{message.original_topic} {message.original_partition}:{message.original_offset}",
        "event_id": message.event_id, "parked_at_ms": message.timestamp_ms,
    }


def print_list(found: Sequence[tuple[Parked, str]], as_json: bool, out=None) -> None:
    """The parked messages as a table or JSON; what their headers say (consumer, reason) is printed escaped."""
    if as_json:
        print(shown_json([_summary(p) | {"state": s} for p, s in found]), file=out)
        return
    if not found:
        say("Żaden konsument nie odłożył żadnej wiadomości.", out)
        return
    say(f"{'temat':<30}  {'miejsce':<9}  {'konsument':<14}  {'stan':<19}  {'zdarzenie':<36}  powód", out)
    for message, state in found:
        say(f"{message.topic:<30}  {message.position:<9}  {message.consumer:<14}  {STATES.get(state, state):<19}  "
            f"{message.event_id or '–':<36}  {message.reason[:120]}", out)


def print_one(message: Parked, state: str, out=None) -> None:
    """One parked message, its headers and its body; all of it came off the broker, so all of it is printed escaped."""
    parked_at = datetime.datetime.fromtimestamp(message.timestamp_ms / 1000, datetime.timezone.utc)
    for label, value in (
        ("temat", message.topic), ("miejsce", message.position), ("konsument", message.consumer),
        ("powód", message.reason), ("stan", STATES.get(state, state)), ("odłożona", parked_at.isoformat(timespec="seconds")),
        ("skąd", f"{message.original_topic} {message.original_partition}:{message.original_offset}"),
        ("zdarzenie", message.event_id or "–"), ("klucz", (message.key or b"").decode(errors="replace")),
    ):
        say(f"{label:>10}: {value}", out)
    try:
        body = shown_json(json.loads(message.value))
    except ValueError:
        body = shown(message.value[:4000].decode(errors="replace"), keep="\n")
    print(body[:20_000], file=out)


def print_outcomes(outcomes: Sequence[tuple[Parked, str]], out=None) -> None:
    words = {REDRIVEN: "zastosowana teraz", DUPLICATE: "była już zastosowana (nic się nie zmieniło)"} | {
        state: f"pominięta: {word}" for state, word in STATES.items()}
    for message, outcome in outcomes:
        say(f"{message.topic} {message.position} ({message.consumer}): {words.get(outcome, outcome)}", out)
    if not outcomes:
        say("Nie było czego ponawiać.", out)
