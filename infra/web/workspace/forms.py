"""A page's form runs the same command, handler and rules as the API: one path for every command.

The form's fields are loaded by the API's own marshmallow schema (so a field is checked by one rule, in one
place), the command goes through the service's command bus with the form's Idempotency-Key (a double submit
does nothing twice) and the version the page was drawn from (a stale edit is refused, not applied), and every
refusal lands next to the field it names, in Polish.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

import marshmallow as ma
from flask import request
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, StringField

from infra import idempotency
from infra.errors import Conflict, DomainError
from infra.eventstore.records import ConcurrencyError
from infra.eventstore.tables import idempotency_keys
from infra.web.app import service_of
from infra.web.auth import principal

_NOT_DIGITS = str.maketrans("", "", " \u00a0\u202f\u2009'_")


def money_text(typed: str | None) -> str | None:
    """An amount as people type it ("6 000,00 zł", "6.000,50") as the API's money field reads it ("6000.00").

    Only the writing is normalised (spaces, the currency, the decimal comma); whether it is an amount at all,
    and in range, stays the schema's to say.
    """
    if typed is None:
        return None
    text = typed.strip()
    for currency in ("zł", "zl", "PLN", "pln"):
        text = text.removesuffix(currency)
    text = text.translate(_NOT_DIGITS)
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # 6.000,50: dots group thousands
    return text


class MoneyField(StringField):
    """A text field for PLN: its data is what the schema loads; a refused form shows back what was typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if valuelist:
            self.data = money_text(valuelist[0])

    def _value(self) -> str:
        return str(self.raw_data[0]) if self.raw_data else super()._value()


class CountField(StringField):
    """A whole number typed in a text field: its data is an int when it is one, else the text for the schema to refuse."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = int(text) if text.isdigit() else text

    def _value(self) -> str:
        return str(self.raw_data[0]) if self.raw_data else ("" if self.data is None else str(self.data))


STALE = "Ktoś zmienił te dane, gdy strona była otwarta. Odśwież stronę, sprawdź zmiany i spróbuj ponownie."


class CommandForm(FlaskForm):
    """A form that sends one command: its key makes a second submit a no-op, its version guards a stale page."""

    idempotency_key = HiddenField()
    version = HiddenField()

    class Meta:
        locales = ["pl_PL", "pl"]

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.idempotency_key.data:
            self.idempotency_key.data = str(uuid.uuid4())
        if version is not None and not self.version.data:
            self.version.data = str(version)
        self.result: Any = None
        self.repeated = False

    @property
    def expected_version(self) -> int | None:
        return int(self.version.data) if (self.version.data or "").isdigit() else None

    def values(self) -> dict[str, Any]:
        """The fields a person filled in, as the API would receive them (blank optional fields left out)."""
        found = {}
        for name, field in self._fields.items():
            if name in ("csrf_token", "idempotency_key", "version") or field.type == "SubmitField":
                continue
            value = field.data
            if isinstance(value, str):
                value = value.strip()
            if value in ("", None, []) and not field.flags.required:
                continue
            found[name] = value
        return found

    def refuse(self, message: str, field: str | None = None) -> None:
        """Shows `message` next to `field` (or above the form when the form has no such field)."""
        target = self._fields.get(field) if field else None
        if target is not None:
            target.errors = [*target.errors, message]
        else:
            self.form_errors.append(message)

    def send(self, schema: ma.Schema, command: Callable[[dict[str, Any]], object],
             fields: Mapping[str, str] | None = None) -> bool:
        """Loads the fields by `schema`, sends `command(loaded)`; True when it took effect (now or at a first submit).

        `fields` maps a name the schema or a rule uses to the form's field where the person fixes it.
        """
        if not self.validate_on_submit():
            return False
        rename = dict(fields or {})
        try:
            loaded = schema.load(self.values())
        except ma.ValidationError as exc:
            for name, messages in _flat(exc.messages).items():
                for message in messages:
                    self.refuse(message, rename.get(name, name))
            return False
        claim = idempotency.Claim(principal().subject, self.idempotency_key.data, "POST", request.path, "form")
        if _claimed(claim):
            self.repeated = True  # a second click of the same form: the first one did it
            return True
        try:
            self.result = service_of().bus.handle(command(loaded), claim)
        except DomainError as exc:
            message = STALE if exc.rule == "version_mismatch" else exc.message
            self.refuse(message, rename.get(exc.field or "", exc.field))
            return False
        except ConcurrencyError:
            if _claimed(claim):
                self.repeated = True
                return True
            self.refuse(str(Conflict(STALE)))
            return False
        return True


def _claimed(claim: idempotency.Claim) -> bool:
    with service_of().read() as session:
        return session.execute(select(idempotency_keys.c.key).where(
            idempotency_keys.c.principal == claim.principal, idempotency_keys.c.key == claim.key)).first() is not None


def _flat(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error messages as field → messages ("grant_caps.0.cap")."""
    if isinstance(messages, list):
        return {prefix or "_schema": [str(m) for m in messages]}
    found: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        found.update(_flat(value, name) if isinstance(value, dict) else {name: [str(m) for m in value]})
    return found
