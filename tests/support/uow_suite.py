"""One suite every unit of work passes: the SQL one (SQLite and PostgreSQL) and the in-memory one alike."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from contracts.applications import EditionClosed, EditionOpened
from infra.eventstore.aggregate import Aggregate
from infra.eventstore.records import ConcurrencyError
from infra.idempotency import Claim
from services.applications.domain.editions import Edition


def opened(edition_id: str) -> Edition:
    return Edition.open(EditionOpened(
        edition_id=edition_id, programme="libraries", name="Biblioteki 2027", year=2027, round=None, kind="enrolment",
        mal_required=False, grant_caps=(), budget=Decimal("1000.00"), opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 6, 30),
    ))


class Tally(Aggregate):
    """A test aggregate that counts its events and keeps a snapshot every third one."""

    snapshot_every = 3

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.count, self.restored_at = 0, None

    def tick(self) -> None:
        self._record(EditionClosed(edition_id=self.id))

    def state(self):
        return {"count": self.count}

    def restore(self, state) -> None:
        self.count, self.restored_at = state["count"], state["count"]

    def apply(self, event) -> None:
        self.count += 1


def ticked(new_uow, tally_id: str, times: int) -> None:
    """`times` commits of one event each."""
    for _ in range(times):
        with new_uow() as uow:
            tally = uow.aggregates.get(Tally, tally_id) or Tally(tally_id)
            uow.aggregates.add(tally)
            tally.tick()
            uow.commit()


def claim(key: str, persist: bool = True) -> Claim:
    return Claim("anna", key, "POST", "/api/v1/editions", "hash", persist=persist)


class UnitOfWorkContract:
    """Subclasses provide `new_uow`: a fixture giving fresh units of work over one shared store."""

    def test_committed_events_are_loaded_by_the_next_unit_of_work(self, new_uow):
        edition_id = str(uuid.uuid4())
        with new_uow() as uow:
            uow.aggregates.add(opened(edition_id))
            stored = uow.commit()
        assert [(e.type, e.version) for e in stored] == [("EditionOpened", 1)] and uow.committed == stored
        with new_uow() as uow:
            edition = uow.aggregates.get(Edition, edition_id)
            assert edition is not None and edition.version == 1 and edition.name == "Biblioteki 2027"

    def test_leaving_the_block_without_commit_keeps_nothing(self, new_uow):
        edition_id = str(uuid.uuid4())
        with new_uow() as uow:
            uow.aggregates.add(opened(edition_id))
        assert uow.committed is None
        with new_uow() as uow:
            assert uow.aggregates.get(Edition, edition_id) is None

    def test_a_change_to_a_version_someone_else_changed_first_is_refused(self, new_uow):
        edition_id = str(uuid.uuid4())
        with new_uow() as uow:
            uow.aggregates.add(opened(edition_id))
            uow.commit()
        with new_uow() as uow:
            stale = uow.aggregates.get(Edition, edition_id)  # read, as a request would, before the other one commits
        with new_uow() as uow:
            uow.aggregates.get(Edition, edition_id).close()
            uow.commit()
        with new_uow() as uow:
            stale.close()
            uow.aggregates.add(stale)
            with pytest.raises(ConcurrencyError):
                uow.commit()
        with new_uow() as uow:
            assert uow.aggregates.get(Edition, edition_id).version == 2

    def test_before_commit_hooks_see_the_events_and_share_their_fate(self, new_uow):
        edition_id, seen = str(uuid.uuid4()), []
        uow = new_uow()
        uow.before_commit(lambda stored: seen.append([e.aggregate_id for e in stored]))
        with uow:
            uow.aggregates.add(opened(edition_id))
            uow.commit()
        assert seen == [[edition_id]]

        def fails(_stored):
            raise RuntimeError("the hook failed")

        other = str(uuid.uuid4())
        uow = new_uow()
        uow.before_commit(fails)
        with uow:
            uow.aggregates.add(opened(other))
            with pytest.raises(RuntimeError):
                uow.commit()
        assert uow.committed is None
        with new_uow() as uow:
            assert uow.aggregates.get(Edition, other) is None

    def claimed(self, new_uow, request: Claim):
        """A unit of work that writes `request` in its commit, as the command bus has it do."""
        uow = new_uow()
        uow.before_commit(lambda stored: uow.claims.write(request, stored[0].aggregate_id if stored else None))
        return uow

    def test_a_claim_written_twice_fails_the_second_commit_and_keeps_its_events_out(self, new_uow):
        key, first_id, second_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        with self.claimed(new_uow, claim(key)) as uow:
            uow.aggregates.add(opened(first_id))
            uow.commit()
        with self.claimed(new_uow, claim(key)) as uow:
            uow.aggregates.add(opened(second_id))
            with pytest.raises(ConcurrencyError):
                uow.commit()
        with new_uow() as uow:
            assert uow.aggregates.get(Edition, second_id) is None

    def test_a_claim_without_a_key_is_not_stored(self, new_uow):
        for _ in range(2):
            with self.claimed(new_uow, claim("", persist=False)) as uow:
                uow.aggregates.add(opened(str(uuid.uuid4())))
                uow.commit()

    def test_a_lock_is_held_without_error(self, new_uow):
        with new_uow() as uow:
            uow.locks.hold("suite:one")
            uow.locks.hold("suite:one")  # the same holder again
            uow.commit()

    def test_an_aggregate_loads_from_its_latest_snapshot_and_the_events_after_it(self, new_uow):
        tally_id = str(uuid.uuid4())
        ticked(new_uow, tally_id, 7)
        with new_uow() as uow:
            assert uow.store.snapshot(tally_id).version == 6
            tally = uow.aggregates.get(Tally, tally_id)
        assert (tally.version, tally.count, tally.restored_at) == (7, 7, 6)

    def test_several_events_past_a_multiple_keep_the_snapshot_at_the_last(self, new_uow):
        tally_id = str(uuid.uuid4())
        with new_uow() as uow:
            tally = Tally(tally_id)
            uow.aggregates.add(tally)
            for _ in range(4):
                tally.tick()
            uow.commit()
        with new_uow() as uow:
            assert (uow.store.snapshot(tally_id).version, uow.store.snapshot(tally_id).state) == (4, {"count": 4})

    def test_a_snapshot_of_another_format_is_ignored(self, new_uow, monkeypatch):
        tally_id = str(uuid.uuid4())
        ticked(new_uow, tally_id, 4)
        monkeypatch.setattr(Tally, "snapshot_format", 2)
        with new_uow() as uow:
            tally = uow.aggregates.get(Tally, tally_id)
        assert (tally.version, tally.count, tally.restored_at) == (4, 4, None)

    def test_a_snapshot_is_kept_only_with_its_events(self, new_uow):
        tally_id = str(uuid.uuid4())
        ticked(new_uow, tally_id, 2)

        def fails(_stored):
            raise RuntimeError("the hook failed")

        uow = new_uow()
        uow.before_commit(fails)
        with uow:
            tally = uow.aggregates.get(Tally, tally_id)
            tally.tick()
            with pytest.raises(RuntimeError):
                uow.commit()
        with new_uow() as uow:
            assert uow.store.snapshot(tally_id) is None
            assert uow.aggregates.get(Tally, tally_id).count == 2
