"""Small helpers views share: an error answer, versions in If-Match and ETag headers."""

from __future__ import annotations

import io
import re
from typing import IO, Any, NoReturn, cast

import flask
import flask_smorest
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import UUIDConverter
from werkzeug.utils import cached_property

_VERSION = re.compile(r'^(?:W/)?"?(\d+)"?$')


def abort(status: int, **kwargs: Any) -> NoReturn:
    """flask_smorest.abort (the message and errors go into the JSON error body), typed as the raise it is:
    flask-smorest ships no types, so a view could not say that nothing runs after it."""
    flask_smorest.abort(status, **kwargs)
    raise AssertionError("flask_smorest.abort returned")  # never reached: it raises an HTTPException


def expected_version() -> int | None:
    """The aggregate version a client expects, from If-Match ("3" or W/"3"), if it sent one."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return None
    match = _VERSION.match(header.strip())
    if not match:
        abort(400, message='Nagłówek If-Match ma postać "<wersja>", np. "3".')
    return int(match.group(1))


def required_version() -> int | None:
    """`expected_version()` for a change that must say which version it was made on: without If-Match, a 428.

    `If-Match: *` is an explicit "whatever the version" (no check), as HTTP defines it.
    """
    if not request.headers.get("If-Match", "").strip():
        abort(428, message='Dodaj nagłówek If-Match z wersją, którą zmieniasz (ETag z odczytu GET), np. If-Match: "3". '
                           "Bez niego zmiana mogłaby nadpisać cudzą, zapisaną w międzyczasie.")
    return expected_version()


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


class IdConverter(UUIDConverter):
    """`<uuid:…>` in a route: checked as a UUID, handed to the view as its canonical text (ids are `str` inside)."""

    def to_python(self, value: str) -> str:  # type: ignore[override]
        return str(super().to_python(value))


class CountedBody(io.RawIOBase):
    """A body sent without a Content-Length (chunked), counted as it is read: a byte past `limit` is a 413."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        self._read += len(data)
        if self._read > self._limit:
            raise RequestEntityTooLarge()
        buffer[: len(data)] = data
        return len(data)


class Request(flask.Request):
    """Flask's request, whose chunked body over MAX_CONTENT_LENGTH is a 413 like one that declares its length.

    Werkzeug stops reading such a body at the limit and hands on what it read, so a JSON body over 1 MB sent in
    chunks arrived cut short and was refused as "not valid JSON" (issue 30).
    """

    @cached_property
    def stream(self) -> IO[bytes]:  # type: ignore[override]
        limit = self.max_content_length
        # Werkzeug trusts a stream with no length only when the server ends it (wsgi.input_terminated); so do we.
        if not self.shallow and self.content_length is None and limit is not None and "wsgi.input_terminated" in self.environ:
            return cast(IO[bytes], CountedBody(self.environ["wsgi.input"], limit))
        return super().stream
