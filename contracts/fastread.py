"""A fast path for reading event data: msgspec builds the dataclass, the field types' own validators check it.

The marshmallow schema stays the rule. This path only ever *agrees* with it: it accepts a subset of
what the schema accepts (exact types, money already with its places) and builds the same object.
Whatever it doubts goes to the schema, which then accepts it or says why not. No rule lives here:
the validators called are the ones the field types declare (`contracts/types.py`).

`reader` reads the data from orjson's dict; `text_form` reads it from its JSON text in one step, and takes only
what `reader` would read alike (else it doubts too, and the text goes the orjson way); its forms are `contracts/textread.py`.
"""

from __future__ import annotations

import dataclasses
import decimal
import types
import typing
from collections.abc import Callable
from typing import Any

import msgspec
from marshmallow import ValidationError, fields

from contracts import textread

Check = Callable[[Any], None]
Reader = Callable[[dict[str, Any]], Any]


class Doubt(Exception):
    """The fast path cannot vouch for this data; the schema decides."""


def reader(cls: type) -> Reader | None:
    """A function reading data of `cls` (raising Doubt), or None when a field's type is beyond this path."""
    check = _dataclass_check(cls)
    if check is None:
        return None

    def read(data: dict[str, Any]) -> Any:
        try:
            value: Any = msgspec.convert(data, cls)
            check(value)
        except (msgspec.ValidationError, ValidationError) as exc:
            raise Doubt(str(exc)) from exc
        return value

    return read


@dataclasses.dataclass(frozen=True)
class TextForm:
    """Data of a dataclass read from JSON text in one step: msgspec decodes the text as `wire`, `read` makes the event of it."""

    wire: Any
    read: Callable[[Any], Any]  # raises Doubt


def text_form(cls: type) -> TextForm | None:
    """How data of `cls` is read from JSON text as `reader` reads it from orjson's dict; None when beyond this path."""
    checks = _field_checks(cls)
    form = None if checks is None else textread.struct_form(cls, checks)
    if form is None:
        return None
    wire, build = form

    def read(value: Any) -> Any:
        try:
            return build(value)
        except Exception as exc:  # noqa: BLE001 - whatever it is, `reader` meets it again and says so as it always has
            raise Doubt(str(exc)) from exc

    return TextForm(wire, read)




FieldCheck = tuple[str, Check, set[str] | None]  # a field, its check, and the texts known to pass it (None: no such set)


def _field_checks(cls: type) -> list[FieldCheck] | None:
    """What to check of each field of `cls` (None: a field's type is beyond this path)."""
    hints = typing.get_type_hints(cls)
    checks: list[FieldCheck] = []
    for field in dataclasses.fields(cls):
        check = _check(hints[field.name])
        if check is None:
            return None
        if check is not _nothing:
            checks.append((field.name, check, _KNOWN_TEXTS.get(check)))
    return checks


def _dataclass_check(cls: type) -> Check | None:
    checks = _field_checks(cls)
    if checks is None:
        return None

    def check_all(value: Any) -> None:
        for name, check, _known in checks:
            check(getattr(value, name))

    return check_all


def _nothing(value: Any) -> None:
    return None


def _check(hint: Any) -> Check | None:
    """What to check of a value msgspec built for `hint` (None: this path does not handle the type)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) != 1:
            return None
        inner = _check(options[0])
        if inner is None or inner is _nothing:
            return inner

        def optional(value: Any) -> None:
            if value is not None:
                inner(value)

        if inner in _KNOWN_TEXTS:  # a text it passes, its inner check passes: the same set vouches for both
            _KNOWN_TEXTS[optional] = _KNOWN_TEXTS[inner]
        return optional
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        if len(args) != 2 or args[1] is not Ellipsis:
            return None
        each = _check(args[0])
        if each is None or each is _nothing:
            return each

        def every(values: Any) -> None:
            for value in values:
                each(value)

        return every
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_check(hint)
    if hasattr(hint, "_marshmallow_args"):  # a marshmallow_dataclass NewType: its field class and validators
        return _new_type_check(hint)
    if hint in textread.PLAIN:
        return _nothing
    return None


def _new_type_check(hint: Any) -> Check | None:
    args = hint._marshmallow_args
    validate = args.get("validate") or ()
    validators = tuple(validate) if isinstance(validate, (list, tuple)) else (validate,)
    field_class = getattr(hint, "_marshmallow_field", None)
    if hint.__supertype__ is str and field_class in (None, fields.String):
        places = None
    elif hint.__supertype__ is decimal.Decimal and field_class is fields.Decimal and args.get("places") is not None:
        places = -int(args["places"])
    else:
        return None

    if places is not None:
        def check_money(value: Any) -> None:
            # Money must already carry exactly its places: the schema would round anything else.
            if not value.is_finite() or value.as_tuple().exponent != places:
                raise Doubt(f"{value!r} is not written with {-places} decimal places")
            _validated(validators, value)

        return check_money
    # A log names the same ids and words many times over (an edition in every event of it), so the texts that passed
    # are remembered: a set lookup instead of the validators (pure functions of the text), a sixth of a read's cost.
    # Only exact str: equal values of another type need not pass alike. One set per field type, whichever fields
    # use it, bounded: forgotten all at once when full.
    passed = _PASSED.setdefault(hint, set())

    def check_text(value: Any) -> None:
        if type(value) is str and value in passed:
            return
        _validated(validators, value)
        if type(value) is str:
            if len(passed) >= REMEMBERED:
                passed.clear()
            passed.add(value)

    _KNOWN_TEXTS[check_text] = passed
    return check_text


REMEMBERED = 20_000
"""Texts remembered as valid per field type, at most (about 3 MB for ids)."""
_PASSED: dict[Any, set[str]] = {}
_KNOWN_TEXTS: dict[Check, set[str]] = {}  # each text check's set, so that a caller may look a text up before calling it


def _validated(validators: tuple, value: Any) -> None:
    for validator in validators:
        if validator(value) is False:  # marshmallow's convention for a refusing validator function
            raise Doubt(f"{value!r} fails {validator!r}")
