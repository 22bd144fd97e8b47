"""The command bus on the in-memory unit of work: routing, and the request's claim written with the command (no I/O)."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from contracts import PUBLIC
from infra.bus import Handlers
from infra.errors import RuleBroken
from infra.eventstore.records import ConcurrencyError
from tests.support.memory import Memory
from tests.support.uow_suite import claim, opened


@dataclasses.dataclass(frozen=True)
class Open:
    edition_id: str


@dataclasses.dataclass(frozen=True)
class Refuse:
    edition_id: str


@dataclasses.dataclass
class Bus(Memory):
    ran: list[object] = dataclasses.field(default_factory=list)
    """The commands the handlers ran, in order."""


@pytest.fixture
def world() -> Bus:
    world = Bus(PUBLIC, Handlers(), None)
    handlers, ran = world.handlers, world.ran

    @handlers.handles(Open)
    def open_edition(cmd: Open, uow) -> str:
        ran.append(cmd)
        with uow:
            uow.aggregates.add(opened(cmd.edition_id))
            uow.commit()
        return f"opened {cmd.edition_id}"

    @handlers.handles(Refuse)
    def refuse(cmd: Refuse, uow) -> str:
        ran.append(cmd)
        with uow:
            uow.aggregates.add(opened(cmd.edition_id))
            raise RuleBroken("Nie tym razem.", rule="not_now")

    return world


def uid() -> str:
    return str(uuid.uuid4())


def test_a_command_goes_to_its_one_handler_in_a_fresh_unit_of_work(world):
    first, second = Open(uid()), Open(uid())
    assert world.bus().handle(first) == f"opened {first.edition_id}"
    assert world.bus().handle(second) == f"opened {second.edition_id}"
    assert world.ran == [first, second]
    assert world.history(first.edition_id) == world.history(second.edition_id) == [("EditionOpened", 1)]


def test_a_command_without_a_handler_is_a_lookup_error_naming_it(world):
    class Unheard:
        pass

    with pytest.raises(LookupError, match="Unheard"):
        world.bus().handle(Unheard())
    assert world.ran == []


def test_a_second_handler_for_one_command_is_refused_at_registration(world):
    with pytest.raises(ValueError, match="Open has a handler already: open_edition"):
        world.handlers.handles(Open)(lambda cmd, uow: None)
    assert list(world.handlers) == [Open, Refuse]


def test_a_claim_is_written_in_the_commands_commit_with_the_aggregate_it_changed(world):
    cmd, request = Open(uid()), claim("key-1")
    assert world.bus().handle(cmd, request) == f"opened {cmd.edition_id}"
    assert world.claims.written == {("anna", "key-1"): cmd.edition_id}
    assert request.written and request.aggregate_id == cmd.edition_id


def test_the_answer_is_read_in_the_commands_transaction_after_its_events(world):
    cmd, request = Open(uid()), claim("key-1")

    def answer(uow):
        assert not request.written  # not committed yet: the answer and the claim share the commit
        return [e.type for e in uow.store.load(cmd.edition_id)]

    assert world.bus().handle(cmd, request, answer=answer) == ["EditionOpened"]
    assert request.written and world.ran == [cmd]


def test_an_answer_that_cannot_be_read_takes_the_command_back(world):
    cmd, request = Open(uid()), claim("key-1")

    def answer(_uow):
        raise RuntimeError("the read model is unreachable")

    with pytest.raises(RuntimeError):
        world.bus().handle(cmd, request, answer=answer)
    assert world.history(cmd.edition_id) == [] and world.claims.written == {} and not request.written
    assert world.bus().handle(cmd, request) == f"opened {cmd.edition_id}"  # a retry under the key runs it


def test_a_second_request_under_a_claimed_key_fails_its_commit_and_stores_nothing(world):
    world.bus().handle(Open(uid()), claim("key-1"))
    again, request = Open(uid()), claim("key-1")
    with pytest.raises(ConcurrencyError):
        world.bus().handle(again, request)
    assert world.history(again.edition_id) == []
    assert not request.written
    assert list(world.claims.written) == [("anna", "key-1")]


def test_a_refused_command_leaves_its_claim_unwritten(world):
    cmd, request = Refuse(uid()), claim("key-1")
    with pytest.raises(RuleBroken):
        world.bus().handle(cmd, request)
    assert not request.written
    assert world.claims.written == {}
    assert world.history(cmd.edition_id) == []
    world.bus().handle(Open(uid()), request)  # a retry under the key is judged afresh
    assert request.written and len(world.claims.written) == 1


def test_a_claim_without_a_key_stores_nothing(world):
    for _ in range(2):
        cmd, request = Open(uid()), claim("", persist=False)
        assert world.bus().handle(cmd, request) == f"opened {cmd.edition_id}"
    assert world.claims.written == {}
