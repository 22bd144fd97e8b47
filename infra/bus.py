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

    def handle(self, command: object, claim: idempotency.Claim | None = None) -> Any:
        """The handler's result; with a `claim`, a command that already committed under it is not run again."""
        if claim is not None and claim.result is not idempotency.NOT_YET:
            return claim.result  # committed earlier in this request; the view runs again only to answer
        handler = self.handlers.of(command)
        uow = self._uow()
        if claim is not None:

            def write_claim(stored: list[StoredEvent]) -> None:
                uow.claims.write(claim, stored[0].aggregate_id if stored else None)

            uow.before_commit(write_claim)
        result = handler(command, uow)
        if claim is not None and uow.committed is not None:
            claim.written, claim.result = True, result
        return result
