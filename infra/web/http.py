"""Small helpers views share: versions in If-Match and ETag headers."""

from __future__ import annotations

import re

from flask import request
from flask_smorest import abort
from werkzeug.routing import UUIDConverter

_VERSION = re.compile(r'^(?:W/)?"?(\d+)"?$')


def expected_version() -> int | None:
    """The aggregate version a client expects, from If-Match ("3" or W/"3"), if it sent one."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return None
    match = _VERSION.match(header.strip())
    if not match:
        abort(400, message='Nagłówek If-Match ma postać "<wersja>", np. "3".')
    return int(match.group(1))


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


class IdConverter(UUIDConverter):
    """`<uuid:…>` in a route: checked as a UUID, handed to the view as its canonical text (ids are `str` inside)."""

    def to_python(self, value: str) -> str:  # type: ignore[override]
        return str(super().to_python(value))
