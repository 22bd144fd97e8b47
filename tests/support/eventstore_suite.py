"""One suite every event store passes: the in-memory fake and the SQL adapter alike."""

from __future__ import annotations

import datetime
import uuid

import pytest

from infra.eventstore.records import ConcurrencyError, NewEvent, Snapshot


def new_event(aggregate_id: str, version: int, **overrides) -> NewEvent:
    values = dict(
        event_id=str(uuid.uuid4()),
        aggregate_type="Partnership",
        aggregate_id=aggregate_id,
        version=version,
        type="PartnershipWithdrawn",
        schema_version=1,
        topic="ochotnicy.applications",
        data={"partnership_id": aggregate_id, "edition_id": str(uuid.uuid4()), "reason": f"v{version} – zażółć"},
        meta={"actor": "anna", "correlation_id": "c-1"},
        occurred_at=datetime.datetime(2021, 10, 1, 12, version, tzinfo=datetime.timezone.utc),
    )
    values.update(overrides)
    return NewEvent(**values)


class EventStoreContract:
    """Subclasses provide a `store` fixture (and `commit`, a no-op for stores without transactions)."""

    def commit(self, store) -> None:
        pass

    def test_appended_events_load_in_version_order(self, store):
        a = str(uuid.uuid4())
        store.append([new_event(a, 1), new_event(a, 2)])
        store.append([new_event(a, 3)])
        self.commit(store)
        loaded = store.load(a)
        assert [e.version for e in loaded] == [1, 2, 3]
        assert loaded[0].data["reason"] == "v1 – zażółć"
        assert loaded[0].meta == {"actor": "anna", "correlation_id": "c-1"}
        assert loaded[0].occurred_at == datetime.datetime(2021, 10, 1, 12, 1, tzinfo=datetime.timezone.utc)

    def test_an_unknown_aggregate_has_no_events(self, store):
        assert store.load(str(uuid.uuid4())) == []

    def test_appending_at_a_taken_version_is_a_conflict(self, store):
        a = str(uuid.uuid4())
        store.append([new_event(a, 1)])
        self.commit(store)
        with pytest.raises(ConcurrencyError):
            store.append([new_event(a, 1)])

    def test_appending_past_the_next_version_is_a_conflict(self, store):
        a = str(uuid.uuid4())
        store.append([new_event(a, 1)])
        self.commit(store)
        with pytest.raises(ConcurrencyError):
            store.append([new_event(a, 3)])

    def test_the_whole_log_reads_in_position_order_from_any_point(self, store):
        a, b = str(uuid.uuid4()), str(uuid.uuid4())
        first = store.append([new_event(a, 1)])
        store.append([new_event(b, 1), new_event(a, 2)])
        self.commit(store)
        after = store.read_all(after=first[0].position)
        assert [(e.aggregate_id, e.version) for e in after][:2] == [(b, 1), (a, 2)]
        assert [e.position for e in after] == sorted(e.position for e in after)
        assert len(store.read_all(after=first[0].position, limit=1)) == 1

    def test_positions_grow_and_records_keep_their_ids(self, store):
        a = str(uuid.uuid4())
        events = [new_event(a, 1), new_event(a, 2)]
        stored = store.append(events)
        self.commit(store)
        assert stored[0].position < stored[1].position
        assert [e.event_id for e in store.load(a)] == [e.event_id for e in events]

    def test_a_load_after_a_version_gives_only_the_later_events(self, store):
        a = str(uuid.uuid4())
        store.append([new_event(a, 1), new_event(a, 2), new_event(a, 3)])
        self.commit(store)
        assert [e.version for e in store.load(a, after=2)] == [3]

    def test_the_latest_snapshot_is_kept_and_an_older_one_never_replaces_it(self, store):
        a = str(uuid.uuid4())
        assert store.snapshot(a) is None
        store.keep([Snapshot(a, "Partnership", 4, 1, {"count": 4, "name": "zażółć"})])
        store.keep([Snapshot(a, "Partnership", 2, 1, {"count": 2})])
        self.commit(store)
        assert store.snapshot(a) == Snapshot(a, "Partnership", 4, 1, {"count": 4, "name": "zażółć"})
        store.keep([Snapshot(a, "Partnership", 8, 1, {"count": 8})])
        self.commit(store)
        assert store.snapshot(a).state == {"count": 8}
