"""Every operation's OpenAPI entry says who may call it, every answer it can give, and the headers it reads and sends.

Written once, here, from what each view declares or does: the role `requires` asks for, the ids in its path, the
arguments flask-smorest reads, the If-Match it reads and the ETag its answer carries (infra.web.viewcode).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from apispec import BasePlugin
from flask import Flask

from infra.web import auth, http, viewcode

SCHEME = "bearerAuth"
COMMANDS = ("post", "put", "patch", "delete")
IDEMPOTENT = ("post", "patch")
"""The methods whose Idempotency-Key is honoured (infra.web.idempotency.METHODS)."""
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
VERSION_PATTERN = r'^(\*|(W/)?"?[0-9]+"?)$'

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 200},
    "description": "Ten sam klucz przy ponowieniu: pierwsza odpowiedź wraca, nic nie dzieje się dwa razy.",
}
IF_MATCH = {
    "name": "If-Match", "in": "header", "required": False, "schema": {"type": "string", "pattern": VERSION_PATTERN},
    "description": 'Wersja zasobu, którą zmieniasz (ETag z odczytu GET), np. "3": inna niż bieżąca to 409 '
                   "version_mismatch. Bez nagłówka zmiana nie sprawdza wersji.",
}
IF_MATCH_REQUIRED = IF_MATCH | {
    "required": True,
    "description": 'Wersja zasobu, którą zmieniasz (ETag z odczytu GET), np. "3": inna niż bieżąca to 409 '
                   'version_mismatch, brak nagłówka to 428; "*" zmienia bez względu na wersję.',
}
ETAG = {
    "description": 'Wersja zasobu, np. "3" (do nagłówka If-Match przy jego zmianie); przy otwartych wynikach skrót '
                   "treści (do If-None-Match).",
    "schema": {"type": "string"},
}


def _answer(description: str) -> dict[str, Any]:
    return {"description": description, "content": ERROR}


class OperationsPlugin(BasePlugin):
    """Completes each operation flask-smorest documents under /api/ (see the module's docstring)."""

    def __init__(self, app: Flask, open_endpoints: Iterable[str], static_endpoints: Iterable[str] = (),
                 seals_answers: bool = False) -> None:
        self._app = app
        self._open = set(open_endpoints)
        self._static = set(static_endpoints)
        """Endpoints that answer from memory: no database to be unavailable."""
        self._seals = seals_answers
        """Whether kept answers are sealed with their subject's key: only then can an erasure make one 410 Gone."""

    def init_spec(self, spec: Any) -> None:
        super().init_spec(spec)
        spec.components.parameter("IdempotencyKey", "header", dict(IDEMPOTENCY_KEY))
        spec.components.parameter("IfMatch", "header", dict(IF_MATCH))
        spec.components.parameter("IfMatchRequired", "header", dict(IF_MATCH_REQUIRED))
        spec.components.header("ETag", dict(ETAG))

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        rule = kwargs.get("rule")
        if rule is None or not (path or "").startswith("/api/"):
            return
        view = self._app.view_functions[rule.endpoint]
        for method, operation in (operations or {}).items():
            function = viewcode.handler(view, method)
            responses = operation.setdefault("responses", {})
            self._access(operation, responses, rule.endpoint, auth.required_role(view, method))
            if rule.arguments:
                responses.setdefault("404", _answer("Nie ma zasobu o tym identyfikatorze (albo identyfikator nie jest UUID)."))
            if "requestBody" in operation:
                responses.setdefault("400", _answer("Treść nie jest poprawnym obiektem JSON (np. pole powtórzone, "
                                                    "zbyt głębokie zagnieżdżenie)."))
                responses.setdefault("413", _answer("Treść jest większa niż 1 MB."))
                responses.setdefault("415", _answer("Treść nie jest wysłana jako JSON (Content-Type: application/json)."))
            if "requestBody" in operation or any(p.get("in") == "query" for p in operation.get("parameters", [])
                                                 if isinstance(p, dict)):
                responses.setdefault("422", "UNPROCESSABLE_ENTITY")
            if method in COMMANDS:
                responses.setdefault("409", _answer(
                    "Stan zasobu nie pozwala na tę zmianę albo zmienił się w międzyczasie (rule: concurrent_change, "
                    "version_mismatch przy If-Match, idempotency_in_progress albo reguła polecenia)."))
            if method in IDEMPOTENT:
                self._idempotency(operation, responses, self._seals)
            self._versions(operation, responses, function)
            if rule.endpoint not in self._static:
                responses.setdefault("503", _answer("Baza danych jest chwilowo niedostępna: ponów po Retry-After."))

    def _access(self, operation: dict, responses: dict, endpoint: str, role: str | None) -> None:
        """Who may call it: open, any valid token, or a role (in `security`, `x-roles` and the description)."""
        if endpoint in self._open or operation.get("security") == []:
            operation["security"] = []
            operation["x-roles"] = []
            self._say(operation, "Dostęp: bez tokenu.")
            return
        operation["security"] = [{SCHEME: [role] if role else []}]
        operation["x-roles"] = [role] if role else []
        responses.setdefault("401", _answer("Brak tokenu albo token nieprawidłowy lub wygasły (nagłówek "
                                            "Authorization: Bearer <token>)."))
        if role:
            responses.setdefault("403", _answer(f"Token bez roli {role}."))
            self._say(operation, f"Dostęp: token z rolą `{role}`.")
        else:
            self._say(operation, "Dostęp: każdy ważny token.")

    @staticmethod
    def _idempotency(operation: dict, responses: dict, seals: bool) -> None:
        operation.setdefault("parameters", []).append("IdempotencyKey")
        responses.setdefault("400", _answer("Nagłówek Idempotency-Key jest pusty, dłuższy niż 200 znaków albo "
                                            "ma niedrukowalne znaki."))
        responses.setdefault("422", "UNPROCESSABLE_ENTITY")  # also idempotency_key_reused: the key, another request
        if seals:
            responses.setdefault("410", _answer("Odpowiedź zapamiętana pod tym Idempotency-Key zawierała dane osobowe "
                                                "usunięte od tego czasu (RODO; rule: answer_erased): nic nie wykonano."))

    @staticmethod
    def _versions(operation: dict, responses: dict, function: Callable) -> None:
        """If-Match where the view reads it, ETag on the answers its code sends one with."""
        if viewcode.calls(function, http.required_version):
            operation.setdefault("parameters", []).append("IfMatchRequired")
            responses.setdefault("428", _answer("Brak nagłówka If-Match: ta zmiana musi wskazać wersję, którą zmienia."))
        elif viewcode.calls(function, http.expected_version):
            operation.setdefault("parameters", []).append("IfMatch")
        if "IfMatch" in operation.get("parameters", []) or "IfMatchRequired" in operation.get("parameters", []):
            responses.setdefault("400", _answer('Nagłówek If-Match nie ma postaci "<wersja>", np. "3".'))
        if viewcode.returns_etag(function, http.etag):
            for code, response in responses.items():
                if str(code).startswith("2") and isinstance(response, dict):
                    response.setdefault("headers", {})["ETag"] = "ETag"

    @staticmethod
    def _say(operation: dict, sentence: str) -> None:
        operation["description"] = f"{operation['description']}\n\n{sentence}" if operation.get("description") else sentence
