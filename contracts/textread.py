"""The text path: the msgspec types an event's JSON text is decoded into in one step, and how its event is made of them."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import types
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Union

import msgspec
import msgspec.structs
from marshmallow import fields

if TYPE_CHECKING:  # for the annotations only: fastread imports this module, and the registry imports fastread
    from contracts.fastread import FieldCheck
    from contracts.registry import EventRegistry, EventSpec

PLAIN = (str, int, bool, datetime.date)  # msgspec checks these exactly (no bool for int, no text for a date)
Build = Callable[[Any], Any] | None  # makes the field type's value of what msgspec decoded; None: that value as it is


# What fastread's `reader` builds from orjson's dict, built from the JSON text itself: msgspec decodes it into a struct that takes
# only what orjson and msgspec.convert read alike, and anything else (a field unknown, money as a number, an int orjson
# would read as a float) is a decoding error, hence a Doubt.
# Ints that orjson reads as ints too (past -2**63 or 2**64-1 it reads a float); msgspec's bounds stop at 2**63-1.
_ORJSON_INT = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]


def _form(hint: Any) -> tuple[Any, Build] | None:
    """The type msgspec decodes JSON text of `hint` into and how to make `hint`'s value of it (None: beyond this path)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = _form(options[0]) if len(options) == 1 else None
        if inner is None:
            return None
        wire, build = inner
        return typing.Optional[wire], None if build is None else _optional(build)  # noqa: UP007 - wire may be an Annotated
    if origin is tuple:
        args = typing.get_args(hint)
        inner = _form(args[0]) if len(args) == 2 and args[1] is Ellipsis else None
        if inner is None:
            return None
        wire, build = inner
        return tuple[wire, ...], None if build is None else _each(build)  # type: ignore[valid-type]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return struct_form(hint, [])  # checked as a field of the event, by `_check`
    if hasattr(hint, "_marshmallow_args"):
        field_class = getattr(hint, "_marshmallow_field", None)
        if hint.__supertype__ is str and field_class in (None, fields.String):
            return str, None
        if hint.__supertype__ is decimal.Decimal and field_class is fields.Decimal:
            # Only money written as text: orjson reads a number as a float, which the schema then rounds.
            return str, _decimal
        return None
    if hint is int:
        return _ORJSON_INT, None
    if hint in PLAIN:
        return hint, None
    return None


def _decimal(text: str) -> decimal.Decimal:
    return msgspec.convert(text, decimal.Decimal)  # what msgspec.convert makes of the text in orjson's dict


def _optional(build: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else build(value)


def _each(build: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda values: tuple(map(build, values))


_new = object.__new__
_set = object.__setattr__


def struct_form(cls: type, checks: list[FieldCheck]) -> tuple[Any, Callable[[Any], Any]] | None:
    """The struct msgspec decodes `cls` as, and how to make an object of `cls` of one, its fields' `checks` passed."""
    if hasattr(cls, "__slots__") or hasattr(cls, "__post_init__"):
        return None  # msgspec.convert would not make such an object by setting its __dict__
    hints = typing.get_type_hints(cls)
    wire_fields: list[tuple[Any, ...]] = []
    builds: list[tuple[str, Callable[[Any], Any]]] = []
    for field in dataclasses.fields(cls):
        form = _form(hints[field.name])
        if form is None or not field.init or field.default_factory is not dataclasses.MISSING:
            return None
        wire, build = form
        default = () if field.default is dataclasses.MISSING else (field.default,)
        wire_fields.append((field.name, wire, *default))
        if build is not None:
            builds.append((field.name, build))
    struct = msgspec.defstruct(cls.__name__, wire_fields, kw_only=True, forbid_unknown_fields=True)
    as_dict = msgspec.structs.asdict

    def build_one(value: Any) -> Any:
        # The fields set at once, as msgspec.convert sets them: no __init__, the same object.
        values = as_dict(value)
        for name, make in builds:
            values[name] = make(values[name])
        for name, check, known in checks:  # a text known to pass needs no call (most of a log's ids and words)
            field_value = values[name]
            if known is None or type(field_value) is not str or field_value not in known:
                check(field_value)
        made: Any = _new(cls)
        _set(made, "__dict__", values)
        return made

    return struct, build_one


# The attributes our producers write, of the types envelope's `_plain` vouches for: a document with any other is no quick one.
_ATTRIBUTES: list[tuple[Any, ...]] = [
    ("specversion", str), ("id", str), ("source", str), ("subject", str), ("time", str), ("datacontenttype", str),
    ("dataschema", str),
    ("sequence", Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]),  # past 2**64-1 orjson reads a float; msgspec bounds stop here
    ("correlationid", str | None, None),
]
Documents = tuple[msgspec.json.Decoder, dict[type, "EventSpec"]]
DOCUMENTS: dict[EventRegistry, Documents | None] = {}  # each registry's, made at its first read: see `documents`
_REGISTRIES = 16  # remembered at most: a few live for the process, and one made for a test need not be kept


def _documents(registry: EventRegistry) -> Documents | None:
    """A decoder of whole documents of the registry's current event versions read from text, and each one's spec."""
    # One struct per type, tagged by `type`: the text is decoded once, its data straight into the type's own form.
    structs = {msgspec.defstruct(f"{spec.type}Document", [*_ATTRIBUTES, ("data", spec.text.wire)], tag_field="type",
                                 tag=spec.type, kw_only=True, forbid_unknown_fields=True): spec
               for spec in registry.current() if spec.text is not None}
    if len(structs) < 2:
        return None  # msgspec reads a lone tagged struct without its tag, a union of them only with one
    return msgspec.json.Decoder(Union[tuple(structs)]), structs  # noqa: UP007 - a union made of a tuple of types


def documents(registry: EventRegistry) -> Documents | None:
    """The registry's decoder of whole documents and each one's spec, remembered in DOCUMENTS (None: it has none)."""
    if registry not in DOCUMENTS and len(DOCUMENTS) < _REGISTRIES:
        DOCUMENTS[registry] = _documents(registry)
    return DOCUMENTS.get(registry)
