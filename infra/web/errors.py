"""Every error answered as JSON a person can act on, in the shape flask-smorest uses."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, jsonify
from sqlalchemy.exc import DBAPIError, PendingRollbackError

from infra.db import transient
from infra.errors import DomainError
from infra.eventstore.records import ConcurrencyError

log = logging.getLogger(__name__)

MESSAGES = {
    400: "Treść żądania nie jest poprawnym obiektem JSON.",
    401: "Brak ważnego tokenu. Dodaj nagłówek Authorization: Bearer <token>.",
    403: "Twój token nie pozwala na tę operację.",
    404: "Nie znaleziono.",
    405: "Ta metoda nie jest obsługiwana pod tym adresem.",
    409: "Stan zmienił się w międzyczasie. Odśwież dane i spróbuj ponownie.",
    413: "Treść żądania jest za duża.",
    415: "Wysyłaj dane jako JSON (Content-Type: application/json).",
    422: "Dane są niepoprawne. Popraw wskazane pola.",
    428: "Brakuje wymaganego nagłówka.",
    500: "Wystąpił nieoczekiwany błąd. Zgłoś go administratorowi, podając identyfikator korelacji.",
    503: "Usługa jest chwilowo niedostępna. Spróbuj ponownie za chwilę.",
}


def body(status: int, message: str | None = None, **extra: Any) -> dict[str, Any]:
    payload = {"code": status, "status": HTTPStatus(status).phrase, "message": message or MESSAGES.get(status, "")}
    payload.update({k: v for k, v in extra.items() if v is not None})
    return payload


def respond(status: int, message: str | None = None, **extra: Any):
    response = jsonify(body(status, message, **extra))
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ochotnicy"'
    return response, status


def _unavailable():
    response, status = respond(503)
    response.headers["Retry-After"] = "1"
    return response, status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        errors = {"json": {error.field: [error.message]}} if error.field else None
        return respond(error.status, error.message, rule=error.rule, errors=errors)

    @app.errorhandler(ConcurrencyError)
    def _concurrency(error: ConcurrencyError):
        return respond(409, MESSAGES[409], rule="concurrent_change")

    @app.errorhandler(DBAPIError)
    def _database(error: DBAPIError):
        if transient(error):
            log.warning("database unavailable: %s", error)
            return _unavailable()
        log.exception("database error")
        return respond(500)

    @app.errorhandler(PendingRollbackError)
    def _after_a_failed_statement(error: PendingRollbackError):
        # A session used again after its connection failed mid-transaction: the failure was the
        # database's (a cut connection), the request changed nothing, and a retry will do.
        log.warning("database transaction broken by an earlier failure", exc_info=error)
        return _unavailable()

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")
        return respond(500)
