"""Small helpers views share: an error answer, versions in If-Match and ETag headers."""

from __future__ import annotations

import re
from typing import Any, NoReturn

import flask_smorest
from flask import request
from werkzeug.routing import UUIDConverter

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
