"""One suite every unit of work passes: the SQL one (SQLite and PostgreSQL) and the in-memory one alike."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from contracts.applications import EditionOpened
from infra.eventstore.records import ConcurrencyError
from infra.idempotency import Claim
from services.applications.domain.editions import Edition


def opened(edition_id: str) -> Edition:
    return Edition.open(EditionOpened(
        edition_id=edition_id, programme="libraries", name="Biblioteki 2027", year=2027, round=None, kind="enrolment",
        mal_required=False, grant_caps=(), budget=Decimal("1000.00"), opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 6, 30),
    ))


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
