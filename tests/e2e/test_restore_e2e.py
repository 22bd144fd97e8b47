"""Backup and restore exactly as docs/operations.md tells an operator, on real processes, PostgreSQL and a broker.

Commands; a pg_dump of each service's database; more commands, published and applied; both databases dropped and
restored from the dumps; a worker started too early refuses; `ochotnicy migrate`, `restore-check` and `recover` for
each service; the services started again; more commands. Then: every event ever published is in its store with its
id, version and chain sequence, no number is used twice, each event is on its topic once, the chains hold, every
consumer applied every event once (funding took back a grant once, not again), the edition's budget holds the grants
in force (its private commitments, lost with the restore, derived again: a grant beyond it is refused), and the read
models replay equal.
"""

from __future__ import annotations

import collections
import io
import subprocess
import sys

import orjson
from sqlalchemy import select

from contracts import topics
from infra.eventstore.tables import events, outbox, processed_events, store_identity
from infra.recovery import headers
from ochotnicy import audit
from tests.support import backup
from tests.support.live import LiveStack
from tests.support.settling import Databases, settle
from tests.support.topics import reader_from_start

SERVICES = ("applications", "funding")
EDITION = {"programme": "partnerships", "name": "Partnerstwa – edycja odtwarzana", "year": 2026, "kind": "partnership",
           "mal_required": False, "budget": "15000.00", "grant_caps": [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"}],
           "opens_on": "2026-12-01", "closes_on": "2027-01-31"}


class Office:
    """Staff at work: proposals, grants and withdrawals over HTTP."""

    def __init__(self, stack: LiveStack) -> None:
        self.stack = stack
        self.staff = stack.session("applications:write", "funding:write", subject="anna.kowalska")
        self.edition = self._created("applications", "/editions", EDITION)
        self.partners = [self._created("applications", "/institutions", {"name": f"Dom kultury nr {n}", "kind": "culture_house",
                                                                          "district": "Wola"}) for n in (1, 2)]

    def _created(self, service: str, path: str, body: dict) -> str:
        answer = self.staff.post(f"{self.stack.url(service)}/api/v1{path}", json=body)
        assert answer.status_code in (200, 201), answer.text
        return answer.json().get("id", "")

    def propose(self, title: str) -> str:
        return self._created("applications", "/partnerships", {
            "edition_id": self.edition, "title": title, "lead_institution_id": self.partners[0],
            "institution_ids": self.partners, "requested_amount": "5000.00"})

    def grant(self, partnership: str) -> None:
        answer = self.granting(partnership)
        assert answer.status_code == 201, answer.text

    def granting(self, partnership: str):
        self.stack_settled()  # funding has learnt of the proposal
        return self.staff.post(f"{self.stack.url('funding')}/api/v1/cases/{partnership}/grant", json={"amount": "5000.00"})

    def withdraw(self, partnership: str) -> None:
        self._created("applications", f"/partnerships/{partnership}/withdraw", {"reason": "Rezygnacja"})

    def stack_settled(self) -> None:
        dbs = Databases(self.stack.database_urls)
        try:
            settle(dbs, SERVICES, timeout=90)
        finally:
            dbs.dispose()


def ochotnicy(stack: LiveStack, *args: str) -> subprocess.CompletedProcess:
    """The command line as the runbook runs it (`docker compose run --rm migrate ochotnicy …`)."""
    return subprocess.run([sys.executable, "-m", "ochotnicy.cli", *args], env=stack.environment(), capture_output=True,
                          text=True, timeout=180)


def on_topic(bootstrap: str, topic: str, log_id: str) -> list[tuple[str, int, str, int]]:
    """(event id, chain sequence, subject, version) of every message of the store `log_id` on `topic`, copies too."""
    reader = reader_from_start(bootstrap, [topic])
    found, quiet = [], 0
    try:
        while quiet < 3:
            batches = reader.poll(timeout_ms=500)
            quiet = 0 if batches else quiet + 1
            for records in batches.values():
                for record in records:
                    link = headers.link(record.headers)
                    if link is not None and link.log_id == log_id:
                        document = orjson.loads(record.value)
                        found.append((document["id"], link.seq, document["subject"], document["sequence"]))
    finally:
        reader.close()
    return found


def stored(url: str, public: bool = True) -> tuple[str, dict[str, tuple], set[str]]:
    """The store's log id, its public (or private) events (id → chain sequence, aggregate, version) and the ids its
    outbox still holds back."""
    dbs = Databases({"s": url})
    try:
        log_id = dbs.scalar("s", select(store_identity.c.log_id))
        rows = dbs.rows("s", select(events.c.event_id, events.c.chain_seq, events.c.aggregate_id, events.c.version)
                        .where(events.c.topic.is_not(None) if public else events.c.topic.is_(None)))
        waiting = {r.event_id for r in dbs.rows("s", select(outbox.c.event_id).where(outbox.c.published_at.is_(None)))}
        return log_id, {r.event_id: (r.chain_seq, r.aggregate_id, r.version) for r in rows}, waiting
    finally:
        dbs.dispose()


def test_a_service_restored_from_its_dump_gets_back_everything_published_and_reuses_no_number(databases, own_broker, tmp_path):
    stack = LiveStack(SERVICES, databases, own_broker.bootstrap, tmp_path)
    with stack:
        office = Office(stack)
        early = [office.propose(f"Wcześniej {n}") for n in range(3)]
        office.grant(early[0])
        office.stack_settled()
        dumps = {s: backup.dump(stack.database_urls[s], tmp_path / f"{s}.dump") for s in SERVICES}  # while they run

        late = [office.propose(f"Później {n}") for n in range(3)]
        office.grant(late[0])
        office.grant(late[2])
        office.withdraw(early[0])  # funding takes its grant back by itself: a FundingRevoked after the backup
        office.withdraw(late[1])  # the budget now holds late[0] and late[2]; the backup's, early[0]
        office.stack_settled()
        before = {s: stored(stack.database_urls[s]) for s in SERVICES}

        for service in SERVICES:  # the runbook: stop the service, restore its database, migrate, check, recover, start
            stack.stop_process(f"{service}-web")
            stack.stop_process(f"{service}-worker")
        for service in SERVICES:
            backup.restore(stack.database_urls[service], dumps[service])
        early_start = stack.start_process("applications", "worker")
        assert early_start.wait(timeout=90) != 0, "a worker started on a store behind its topic"
        assert "ochotnicy recover applications" in stack.log("applications-worker")
        for service in SERVICES:
            assert ochotnicy(stack, "migrate", "--service", service).returncode == 0
            check = ochotnicy(stack, "restore-check", service)
            assert check.returncode == 1 and f"ochotnicy recover {service}" in check.stdout, check.stdout + check.stderr
            recovered = ochotnicy(stack, "recover", service)
            assert recovered.returncode == 0 and "gotowe" in recovered.stdout, recovered.stdout + recovered.stderr
            if service == "funding":
                assert "zaangażowane 5 000,00 zł → 10 000,00 zł" in recovered.stdout.replace("\u00a0", " "), recovered.stdout
            assert ochotnicy(stack, "restore-check", service).returncode == 0
        for service in SERVICES:
            stack.start_process(service, "web")
            stack.start_process(service, "worker")
        stack.wait_healthy()

        newest, beyond = office.propose("Po odtworzeniu"), office.propose("Ponad budżet")
        office.grant(newest)  # the budget's 15 000 zł all granted
        refused = office.granting(beyond)
        assert refused.status_code == 422 and refused.json()["rule"] == "over_budget", refused.text
        office.withdraw(newest)  # a grant after the restore, taken back once
        office.stack_settled()
        after = {s: stored(stack.database_urls[s]) for s in SERVICES}

    for service in SERVICES:
        log_id, was, _ = before[service]
        now_log_id, now, waiting = after[service]
        assert now_log_id == log_id and not waiting
        assert {e: now.get(e) for e in was} == was, f"{service}: an event published before the restore is not as it was"
        messages = on_topic(own_broker.bootstrap, topics.BY_SERVICE[service], log_id)
        copies = collections.Counter(m[0] for m in messages)
        assert set(copies) == set(now) and set(copies.values()) == {1}, f"{service}: an event is missing or on the topic twice"
        assert {m[0]: (m[1], m[2], m[3]) for m in messages} == now, f"{service}: the topic and the store disagree"
        assert len({m[1] for m in messages}) == len(messages), f"{service}: a chain sequence was used twice"
        assert len({(m[2], m[3]) for m in messages}) == len(messages), f"{service}: an aggregate version was used twice"
        assert min(now[e][0] for e in set(now) - set(was)) > max(seq for seq, _, _ in was.values())
        versions = collections.defaultdict(list)
        for _, aggregate, version in [*now.values(), *stored(stack.database_urls[service], public=False)[1].values()]:
            versions[aggregate].append(version)
        assert all(sorted(v) == list(range(1, len(v) + 1)) for v in versions.values()), f"{service}: versions skip"

    dbs = Databases(stack.database_urls)
    try:
        applied = [r.event_id for r in dbs.rows("funding", select(processed_events.c.event_id).where(
            processed_events.c.consumer == "funding-v2"))]
        funding_events = dbs.rows("funding", select(events.c.aggregate_id, events.c.type))
    finally:
        dbs.dispose()
    assert sorted(applied) == sorted(after["applications"][1]), "funding did not apply every applications event once"
    revoked = collections.Counter(aggregate for aggregate, kind in funding_events if kind == "FundingRevoked")
    assert revoked == {early[0]: 1, newest: 1}, "a grant was taken back twice, or not at all"
    assert len([kind for _, kind in funding_events if kind == "FundingGranted"]) == 4  # early[0], late[0], late[2], newest
    out = io.StringIO()
    assert audit.verify_services(list(SERVICES), out=out, environ=stack.environment()), out.getvalue()
    assert all(o.ok and not o.notes for o in audit.replay_services(list(SERVICES), out=out, environ=stack.environment())), \
        out.getvalue()
