"""Request fields with validation messages in Polish, the staff's language."""

from __future__ import annotations

import datetime
import decimal
import re

import marshmallow as ma
from marshmallow import fields, validate
from marshmallow.types import ErrorMessages

from infra import freetext as texts
from infra.web.decimals import DECIMAL, GROSZ, MONEY, MOST, Hours, Money, Written  # noqa: F401 - DECIMAL, Written: importable from here too

REQUIRED = {"required": "To pole jest wymagane.", "null": "To pole nie może być puste (null)."}


def _messages(invalid: str) -> ErrorMessages:
    return {**REQUIRED, "invalid": invalid}


class Schema(ma.Schema):
    """Edge schema: unknown fields are refused by name, so typos do not pass silently."""

    error_messages = {"unknown": "Nieznane pole.", "type": "Oczekiwano obiektu JSON."}

    class Meta:
        unknown = ma.RAISE

    def load(self, data, *, many=None, partial=None, unknown=None):
        # webargs asks query-string schemas to EXCLUDE unknown keys, which would let a mistyped filter
        # (?edition=… for ?edition_id=…) silently answer with everything: ours refuse them everywhere.
        return super().load(data, many=many, partial=partial, unknown=None)


class Words(fields.String):
    """Free text, read as the events keep it (`infra.freetext.words`); blank text or a forbidden character is refused here."""

    default_error_messages = {
        "forbidden": "Tekst zawiera niedozwolony znak {code} ({what}).",
        "blank": "Podaj tekst: same spacje lub niewidoczne znaki nie wystarczą.",
    }

    def __init__(self, *, allow_blank: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.allow_blank = allow_blank

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs)
        bad = texts.forbidden(raw)
        if bad is not None:
            raise self.make_error("forbidden", code=f"U+{ord(bad[0]):04X}", what=bad[1])
        cleaned = texts.words(raw)
        if not texts.visible(cleaned) and not (self.allow_blank and not cleaned):
            raise self.make_error("blank")
        return cleaned


def text(*, required: bool = True, max_length: int = 200, **kwargs) -> Words:
    """Required text must show something; optional text may be empty (then it is "")."""
    return Words(
        required=required,
        allow_blank=not required,
        validate=validate.Length(max=max_length, error="Tekst może mieć najwyżej {max} znaków."),
        error_messages=_messages("Oczekiwano tekstu."),
        **kwargs,
    )


def choice(values, *, required: bool = True, **kwargs) -> fields.String:
    return fields.String(
        required=required,
        validate=validate.OneOf(values, error="Dozwolone wartości: {choices}."),
        error_messages=_messages("Oczekiwano tekstu."),
        **kwargs,
    )


class Ident(fields.UUID):
    """A UUID checked at the edge and carried on as its canonical text: identifiers are `str` from here on."""

    def _deserialize(self, value, attr, data, **kwargs) -> str | None:  # type: ignore[override]
        loaded = super()._deserialize(value, attr, data, **kwargs)
        return None if loaded is None else str(loaded)


def ident(*, required: bool = True, **kwargs) -> Ident:
    invalid = "Oczekiwano identyfikatora UUID, np. 3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b."
    return Ident(required=required, error_messages=_messages(invalid) | {"invalid_uuid": invalid}, **kwargs)


class Tuple(fields.List):
    """A JSON list loaded as a tuple, as the frozen commands hold it."""

    def _deserialize(self, value, attr, data, **kwargs) -> tuple:  # type: ignore[override]
        return tuple(super()._deserialize(value, attr, data, **kwargs))


def money(*, required: bool = True, minimum: decimal.Decimal = GROSZ, **kwargs) -> Money:
    return Money(
        required=required,
        as_string=True,
        validate=validate.Range(min=minimum, max=MOST, error="Kwota musi wynosić od {min} do {max} zł."),
        error_messages=_messages(MONEY),
        **kwargs,
    )


def hours(*, required: bool = True, maximum: decimal.Decimal = decimal.Decimal("1000000"), **kwargs) -> Hours:
    invalid = "Oczekiwano liczby godzin jako tekstu z cyframi i najwyżej dwoma miejscami po kropce, np. \"12.5\"."
    return Hours(
        required=required,
        as_string=True,
        validate=validate.Range(min=decimal.Decimal(0), max=maximum, error="Liczba godzin musi wynosić od {min} do {max}."),
        error_messages=_messages(invalid),
        **kwargs,
    )


def _range_message(minimum: int | None, maximum: int | None) -> str:
    if maximum is None:
        return "Wartość musi wynosić co najmniej {min}."
    if minimum is None:
        return "Wartość może wynosić najwyżej {max}."
    return "Wartość musi mieścić się w zakresie {min}–{max}."


def integer(
    *, required: bool = True, minimum: int | None = None, maximum: int | None = None, strict: bool = True, **kwargs
) -> fields.Integer:
    """strict=True refuses "3" in a JSON body; query strings are always text, so they pass strict=False."""
    return fields.Integer(
        required=required,
        strict=strict,
        validate=validate.Range(min=minimum, max=maximum, error=_range_message(minimum, maximum)),
        error_messages=_messages("Oczekiwano liczby całkowitej."),
        **kwargs,
    )


class Flag(fields.Boolean):
    """Yes or no: in a JSON body only JSON's true and false ("yes", "true", 1 refused); in a query string true/false, 1/0."""

    def __init__(self, *, strict: bool = True, **kwargs) -> None:
        super().__init__(truthy={"true", "1"}, falsy={"false", "0"}, **kwargs)
        self.strict = strict

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        if self.strict or not isinstance(value, str):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def boolean(*, required: bool = True, strict: bool = True, **kwargs) -> Flag:
    """strict=True takes only JSON's true and false; query strings are always text, so they pass strict=False."""
    invalid = "Oczekiwano true albo false." if strict else "Oczekiwano true albo false (także 1 albo 0)."
    return Flag(required=required, strict=strict, error_messages=_messages(invalid), **kwargs)


ERA = (datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))
"""The dates a programme's records may carry, as an edition's year (2000–2100): 0001-01-01 is a typo, not a date."""


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAY = "Oczekiwano daty w formacie RRRR-MM-DD."


class Day(fields.Date):
    """A day written YYYY-MM-DD, as published: ISO 8601's other spellings (2026-W01-1, 2026-001, 20260101) are refused."""

    def _deserialize(self, value, attr, data, **kwargs) -> datetime.date:
        if not isinstance(value, str) or _DAY.fullmatch(value) is None:
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def date(*, required: bool = True, **kwargs) -> Day:
    return Day(
        required=required,
        validate=validate.Range(min=ERA[0], max=ERA[1], error="Data musi przypadać między {min} a {max}."),
        error_messages=_messages(DAY),
        **kwargs,
    )


def email(*, required: bool = True, **kwargs) -> fields.Email:
    return fields.Email(
        required=required,
        validate=validate.Length(max=254, error="Adres e-mail może mieć najwyżej {max} znaków."),
        error_messages=_messages("Podaj poprawny adres e-mail, np. jan.kowalski@example.pl."),
        **kwargs,
    )


def id_list(*, required: bool = True, min_items: int = 0, max_items: int = 100, **kwargs) -> Tuple:
    return Tuple(
        ident(),
        required=required,
        validate=validate.Length(min=min_items, max=max_items, error="Podaj od {min} do {max} identyfikatorów."),
        error_messages=_messages("Oczekiwano listy identyfikatorów."),
        **kwargs,
    )


def nested(schema, *, many: bool = False, required: bool = True, **kwargs):
    if many:
        return Tuple(
            fields.Nested(schema, error_messages=_messages("Oczekiwano obiektu.")),
            required=required,
            error_messages=_messages("Oczekiwano listy."),
            **kwargs,
        )
    return fields.Nested(schema, required=required, error_messages=_messages("Oczekiwano obiektu."), **kwargs)
