"""After an erasure, nothing anywhere holds the person: every file of the stack's data folder (SQLite with its -wal and
-shm, the erasure ledger), every message of every topic and every line the processes logged (real processes, SQLite)."""

from __future__ import annotations

import sqlite3
import time
import uuid

from kafka import KafkaConsumer, TopicPartition

from tests.support.waiting import wait_until


def everything_on_the_broker(bootstrap: str) -> bytes:
    """Every key, value and header of every message of every topic, from the first."""
    reader = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(t, p) for t in reader.topics() for p in reader.partitions_for_topic(t) or ()]
        if not partitions:
            return b""  # no topic yet: the volunteers' own events here are private, and nothing else ran
        reader.assign(partitions)
        reader.seek_to_beginning(*partitions)
        ends, found = reader.end_offsets(partitions), []
        deadline = time.monotonic() + 60
        while any(reader.position(p) < ends[p] for p in partitions) and time.monotonic() < deadline:
            for records in reader.poll(timeout_ms=500).values():
                for r in records:
                    found += [r.key or b"", r.value or b"", *(value or b"" for _, value in r.headers or ())]
        assert time.monotonic() < deadline, "the broker did not give every message"
        return b"\n".join(found)
    finally:
        reader.close()


def test_an_erased_persons_name_email_phone_and_key_are_nowhere_in_files_topics_or_logs(live, broker, tmp_path):
    marker = uuid.uuid4().hex[:8]
    digits = f"{int(marker, 16) % 10**6:06d}"
    data = tmp_path / "data"
    registered = {"first_name": f"Genowefa{marker}", "last_name": f"Pigwa{marker}",
                  "email": f"genowefa.{marker}@przyklad.waw.pl", "phone": f"+48 601 {digits[:3]} {digits[3:]}"}
    corrected = {"last_name": f"Zażółć{marker}", "phone": f"+48 602 {digits[3:]} {digits[:3]}"}
    with live("volunteers", OCHOTNICY_VOLUNTEERS_DATABASE_URL=f"sqlite:///{data}/volunteers.sqlite3") as stack:
        staff = stack.session("volunteers:write", subject="jan.kowalski")
        api = f"{stack.url('volunteers')}/api/v1/volunteers"
        first = staff.post(api, json=registered, headers={"Idempotency-Key": f"r-{marker}"})
        assert first.status_code == 201, first.text
        volunteer_id = first.json()["id"]
        assert staff.post(api, json=registered, headers={"Idempotency-Key": f"r-{marker}"}).headers["Idempotent-Replayed"]
        etag = staff.get(f"{api}/{volunteer_id}").headers["ETag"]
        assert staff.patch(f"{api}/{volunteer_id}", json=corrected,
                           headers={"If-Match": etag, "Idempotency-Key": f"c-{marker}"}).status_code == 200
        assert corrected["last_name"] in staff.get(f"{api}/{volunteer_id}/export").text
        assert corrected["last_name"] in staff.get(f"{stack.url('volunteers')}/volunteers/{volunteer_id}").text
        with sqlite3.connect(f"file:{data}/volunteers.sqlite3?mode=ro", uri=True) as db:
            [key] = db.execute("SELECT key FROM volunteer_keys WHERE volunteer_id = ?", (volunteer_id,)).fetchone()
        assert staff.delete(f"{api}/{volunteer_id}").status_code == 204
        wait_until(lambda: staff.get(f"{api}/{volunteer_id}").json()["erased"], what="the erasure")
        retry = staff.post(api, json=registered, headers={"Idempotency-Key": f"r-{marker}"})
        assert retry.status_code == 410
        topics = everything_on_the_broker(broker.bootstrap)
    files = {path.relative_to(tmp_path).as_posix(): path.read_bytes() for path in data.rglob("*") if path.is_file()}
    assert {"data/volunteers.sqlite3", "data/erasure-ledger.jsonl"} <= set(files)
    logs = {path.name: path.read_bytes() for path in tmp_path.glob("*.log")}
    assert set(logs) == {"volunteers-web.log", "volunteers-worker.log"}
    secrets = [value.encode() for value in (*registered.values(), *corrected.values())] + [
        registered["phone"].replace(" ", "").encode(), f"pigwa{marker}".encode(), marker.encode() + b"@"]
    secrets += [s.lower() for s in secrets] + [key]
    found = {where: [s for s in secrets if s in content] for where, content in
             {**files, **logs, "broker": topics}.items()}
    assert {where: hits for where, hits in found.items() if hits} == {}
    assert volunteer_id.encode() in files["data/erasure-ledger.jsonl"]  # an id, and nothing personal beside it
