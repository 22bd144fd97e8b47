"""Commands to their handlers: each handler registers itself beside its definition, and runs in a fresh unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from infra import idempotency
from infra.eventstore.records import StoredEvent
from infra.uow import UnitOfWork

C = TypeVar("C")
Handler = Callable[[Any, Any], Any]


class Handlers:
    """A service's handlers by command type; `@handles(Cmd)` puts one in."""

    def __init__(self) -> None:
        self._by_command: dict[type, Handler] = {}

    def handles(self, command: type[C]) -> Callable[[Callable[[C, Any], Any]], Callable[[C, Any], Any]]:
        def register(handler: Callable[[C, Any], Any]) -> Callable[[C, Any], Any]:
            if command in self._by_command:
                raise ValueError(f"{command.__name__} has a handler already: {self._by_command[command].__name__}")
            self._by_command[command] = handler
            return handler

        return register

    def of(self, command: object) -> Handler:
        try:
            return self._by_command[type(command)]
        except KeyError:
            raise LookupError(f"no handler for {type(command).__name__}") from None

    def __iter__(self) -> Iterator[type]:
        return iter(self._by_command)


class CommandBus:
    """Runs a command's one handler in a fresh unit of work, writing the request's claim in the same transaction."""

    def __init__(self, handlers: Handlers, uow: Callable[[], UnitOfWork]) -> None:
        self.handlers = handlers
        self._uow = uow

    def handle(self, command: object, claim: idempotency.Claim | None = None,
               answer: Callable[[Any], Any] | None = None) -> Any:
        """The handler's result or, given `answer`, what `answer(uow)` read in the command's own transaction.

        Read there, after the events and before the commit, the answer cannot be lost to a connection cut
        after the commit, and nothing has to run again to give it. The request's `claim` (Idempotency-Key)
        is written in the same transaction: a second request under its key cannot commit.
        """
        handler = self.handlers.of(command)
        uow = self._uow()
        if claim is not None:

            def write_claim(stored: list[StoredEvent]) -> None:
                uow.claims.write(claim, stored[0].aggregate_id if stored else None)

            uow.before_commit(write_claim)
        answers: list[Any] = []
        if answer is not None:
            uow.before_commit(lambda _stored: answers.append(answer(uow)))  # the last attempt's, if retried
        result = handler(command, uow)
        if uow.committed is None:
            raise RuntimeError(f"{handler.__name__} returned without committing")
        if claim is not None:
            claim.written = True
        return answers[-1] if answer is not None else result
