"""The HTTP side of Idempotency-Key (see infra.idempotency): look up, claim, replay, record.

A command's answer is read in its own transaction (infra.bus.CommandBus.handle), so nothing is read
after the commit; recording the answer against the key afterwards is retried through connection
errors for a while. Without that, every retry with the key would hear a 409 "in progress".
"""

from __future__ import annotations

import decimal
import hashlib
import json
import logging
import time

import orjson
from flask import Flask, Response, g, request
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from infra import idempotency
from infra.db import transient
from infra.db.statements import insert_ignore
from infra.eventstore.tables import idempotency_keys
from infra.web import auth, errors

HEADER = "Idempotency-Key"
METHODS = ("POST", "PATCH")
"""The commands' methods: a retry of one must not run it twice."""
_KEPT_HEADERS = ("ETag", "Location", "Content-Type")
RECOVERY_S = 10.0
"""How long a request whose command committed keeps trying to read and record its answer."""

log = logging.getLogger(__name__)


def wire(app: Flask, engine_of, sealer: idempotency.Sealer | None = None) -> None:
    """Every POST and PATCH under /api/ honours Idempotency-Key; `engine_of()` gives the service's engine.

    With a `sealer`, an answer is kept sealed with the key of the subject its request is about (infra.idempotency).
    """

    def applies() -> bool:
        return request.method in METHODS and request.path.startswith("/api/") and HEADER in request.headers

    @app.before_request
    def _lookup():
        if request.method not in METHODS or not request.path.startswith("/api/") or "principal" not in g:
            return None
        role = auth.required_role(app.view_functions.get(request.endpoint), request.method)
        if role is not None and not g.principal.has(role):
            return None  # the view refuses it (403): a replay must not answer, nor a key's use show, before that
        if not applies():
            return None  # no key: nothing to claim
        key = request.headers[HEADER].strip()
        if not key or len(key) > 200 or not key.isprintable():
            return errors.respond(400, f"Nagłówek {HEADER} musi mieć od 1 do 200 drukowalnych znaków.")
        digest = _digest(_canonical(request.get_data()))
        # Keys claimed before bodies were compared as JSON hold the hash of the raw bytes.
        digests = {digest, _digest(request.get_data())}
        with engine_of().connect() as connection:
            row = connection.execute(
                select(idempotency_keys).where(
                    idempotency_keys.c.principal == g.principal.subject, idempotency_keys.c.key == key
                )
            ).first()
            body = row.body if row is not None else None
            if body is not None and sealer is not None and row.aggregate_id is not None and row.request_hash in digests:
                body = sealer.open(connection, row.aggregate_id, body)
                if body is None:  # its subject's key is gone: so is the answer
                    return _erased()
        if row is not None:
            return _replay(row, body, digests)
        claim = idempotency.Claim(g.principal.subject, key, request.method, request.path, digest)
        if sealer is not None:
            claim.aggregate_id = sealer.subject(request.view_args or {})
        g.idempotency_claim = claim
        return None

    @app.after_request
    def _record(response: Response):
        claim = g.pop("idempotency_claim", None)
        if claim is None or not 200 <= response.status_code < 300:
            # Only what took effect is remembered. A refusal changed nothing, and may not hold later
            # (a fact still on its way from another service), so a retry is judged afresh.
            return response
        answer = {
            "status": response.status_code,
            "body": response.get_data(),
            "headers": orjson.dumps({h: response.headers[h] for h in _KEPT_HEADERS if h in response.headers}).decode(),
        }

        def record() -> None:
            with engine_of().begin() as connection:
                if sealer is not None and claim.aggregate_id is not None:
                    answer["body"] = sealer.seal(connection, claim.aggregate_id, response.get_data())
                if claim.written:
                    connection.execute(
                        update(idempotency_keys)
                        .where(idempotency_keys.c.principal == claim.principal, idempotency_keys.c.key == claim.key,
                               # an erasure that came between the commit and this answer keeps it forgotten
                               idempotency_keys.c.request_hash != idempotency.FORGOTTEN)
                        .values(**answer)
                    )
                else:  # a success that needed no command (none so far), remembered all the same
                    insert_ignore(connection, idempotency_keys, [claim.row() | answer], ["principal", "key"])

        try:
            _patiently(record)
        except DBAPIError as exc:
            # The client still gets its answer; a retry with the key will hear "in progress" (409).
            log.warning("could not record the answer to an Idempotency-Key: %s", exc)
        return response


def _digest(body: bytes) -> str:
    return hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(), body])).hexdigest()


def _canonical(body: bytes) -> bytes:
    """A JSON body as its content: the same fields in another order or spacing are the same request.

    Numbers keep their text (5000.00 is not 5000.0): only the form is normalised, never a value.
    A body that is not JSON is compared byte for byte.
    """
    try:
        content = json.loads(body, parse_float=decimal.Decimal, parse_int=decimal.Decimal)
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=repr).encode()
    except (ValueError, RecursionError):  # not JSON, too deep, or a lone surrogate: the view will say why
        return body


def _patiently(action, give_up_after: float = RECOVERY_S):
    """Runs `action`, again after a connection error, for up to `give_up_after` seconds."""
    deadline, delay = time.monotonic() + give_up_after, 0.05
    while True:
        try:
            return action()
        except DBAPIError as exc:
            if not transient(exc) or time.monotonic() + delay > deadline:
                raise
            log.warning("database connection lost; trying again: %s", exc)
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def _erased():
    return errors.respond(
        410,
        "Odpowiedź na żądanie z tym kluczem zawierała dane osobowe, które usunięto (RODO). "
        "Żądanie nie zostanie wykonane ponownie.",
        rule="answer_erased",
    )


def _replay(row, body: bytes | None, digests: set[str]):
    if row.request_hash == idempotency.FORGOTTEN:
        return _erased()
    if row.request_hash not in digests:
        return errors.respond(
            422,
            f"Klucz {HEADER} został już użyty dla innego żądania. Użyj nowego klucza dla nowego żądania.",
            rule="idempotency_key_reused",
        )
    if row.status is None:
        return errors.respond(
            409,
            "Żądanie z tym kluczem zostało już przyjęte lub jest w toku. Sprawdź stan zasobu przed ponowieniem.",
            rule="idempotency_in_progress",
        )
    response = Response(body, status=row.status)
    for name, value in orjson.loads(row.headers or "{}").items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response
