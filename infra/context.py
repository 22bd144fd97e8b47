"""Who is acting and under which correlation id, carried from request to event to consumer."""

import contextlib
import contextvars
import dataclasses
import uuid


@dataclasses.dataclass(frozen=True)
class Context:
    actor: str = "system"
    correlation_id: str | None = None


_current: contextvars.ContextVar[Context] = contextvars.ContextVar("ochotnicy_context", default=Context())  # noqa: B039 (frozen)


def current() -> Context:
    return _current.get()


def new_correlation_id() -> str:
    return str(uuid.uuid4())


@contextlib.contextmanager
def acting(actor: str = "system", correlation_id: str | None = None):
    """Runs the block on behalf of `actor` with a correlation id."""
    token = _current.set(Context(actor=actor, correlation_id=correlation_id or new_correlation_id()))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def set_current(ctx: Context) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
