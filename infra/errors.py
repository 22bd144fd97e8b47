"""Errors the domain raises; the web layer turns them into HTTP answers (no I/O here)."""

from __future__ import annotations


class DomainError(Exception):
    """Something a person asked for that cannot be done; the message says why."""

    status = 400

    def __init__(self, message: str, *, rule: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.field = field


class RuleBroken(DomainError):
    """A rule of the programme forbids it (HTTP 422)."""

    status = 422


class Conflict(DomainError):
    """The current state forbids it: already decided, withdrawn, changed meanwhile (HTTP 409)."""

    status = 409


class NotFound(DomainError):
    """No such thing (HTTP 404)."""

    status = 404


def check_version(actual: int, expected: int | None, changed: str) -> None:
    """Refuses a command sent for another version of the aggregate (If-Match) than the one it is at.

    `changed` names the thing in Polish, with its verb: "Edycja zmieniła się".
    """
    if expected is not None and expected != actual:
        raise Conflict(
            f"{changed} w międzyczasie (wersja {actual}, a nie {expected}). Odśwież dane.",
            rule="version_mismatch",
        )
