"""CloudEvents 1.0 structured-mode JSON: the form every event takes on the wire."""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

import marshmallow as ma
import orjson
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from contracts import fastread, textread
from contracts.registry import EventRegistry, UnknownEvent, dataschema_uri

CONTENT_TYPE = "application/json"
REQUIRED = ("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema")
_SCHEMA = re.compile(r"^urn:ochotnicy:event:(?P<type>[A-Za-z]+):v(?P<version>[1-9][0-9]*)$")
_SOURCE = re.compile(r"^/ochotnicy/[a-z]+$")
_FORMAT = JSONFormat()


class InvalidEvent(ValueError):
    """A message that is not a readable event of ours; the text says why."""


@dataclasses.dataclass(frozen=True)
class Envelope:
    """A decoded event with the CloudEvents attributes that travelled with it."""

    id: str
    type: str
    source: str
    subject: str
    sequence: int
    time: datetime.datetime
    schema_version: int
    data: Any
    correlation_id: str | None = None


def source_of(service: str) -> str:
    return f"/ochotnicy/{service}"


def write(
    *,
    id: str,
    service: str,
    type: str,
    version: int,
    subject: str,
    sequence: int,
    time: datetime.datetime,
    data: dict[str, Any],
    correlation_id: str | None = None,
) -> bytes:
    """Serialises one event as a CloudEvents structured JSON document."""
    attributes: dict[str, Any] = {
        "specversion": "1.0",
        "id": id,
        "source": source_of(service),
        "type": type,
        "subject": subject,
        "time": time.astimezone(datetime.timezone.utc),
        "datacontenttype": CONTENT_TYPE,
        "dataschema": dataschema_uri(type, version),
        "sequence": sequence,
    }
    if correlation_id:
        attributes["correlationid"] = correlation_id
    return _FORMAT.write(CloudEvent(attributes, data))


def _document(raw: bytes) -> dict[str, Any]:
    # orjson rather than the CloudEvents SDK's reader: the same checks at a tenth of the cost per message,
    # which is most of a replay's time; the SDK still writes every event.
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidEvent(f"not a CloudEvents JSON document: {exc}") from exc
    if not isinstance(document, dict):
        raise InvalidEvent(f"not a CloudEvents JSON document: a JSON {type(document).__name__}, not an object")
    if document.get("specversion") != "1.0":
        raise InvalidEvent("not a CloudEvents JSON document: specversion must be 1.0")
    if "data_base64" in document:
        raise InvalidEvent("not a CloudEvents JSON document of ours: data must be JSON, not data_base64")
    wrong = [name for name in REQUIRED if name in document and not isinstance(document[name], str)]
    if wrong:
        raise InvalidEvent(f"attributes must be strings: {', '.join(wrong)}")
    if document.get("time"):
        try:
            moment = datetime.datetime.fromisoformat(document["time"])
        except ValueError as exc:
            raise InvalidEvent(f"time is not an RFC 3339 timestamp: {exc}") from exc
        if moment.tzinfo is None:
            raise InvalidEvent("time must carry its offset from UTC (RFC 3339)")
        document["time"] = moment
    return document


def _checked(raw: bytes | None) -> tuple[dict[str, Any], int]:
    """The document's attributes and its schema version, every rule checked in turn: the first one broken says why."""
    if not raw:
        raise InvalidEvent("empty message")
    attrs = _document(raw)
    missing = [name for name in REQUIRED if not attrs.get(name)]
    if missing:
        raise InvalidEvent(f"missing attributes: {', '.join(missing)}")
    if attrs["datacontenttype"] != CONTENT_TYPE:
        raise InvalidEvent(f"datacontenttype must be {CONTENT_TYPE}")
    if not _SOURCE.match(str(attrs["source"])):
        raise InvalidEvent(f"source {attrs['source']!r} is not /ochotnicy/<service>")
    sequence = attrs.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise InvalidEvent("sequence must be the aggregate version, an integer from 1")
    match = _SCHEMA.match(str(attrs["dataschema"]))
    if not match or match["type"] != attrs["type"]:
        raise InvalidEvent(f"dataschema {attrs['dataschema']!r} does not name type {attrs['type']!r}")
    if not isinstance(attrs.get("data"), dict):
        raise InvalidEvent("data must be a JSON object")
    return attrs, int(match["version"])


# What passed the rules above, remembered: a log holds a few sources and (type, dataschema) pairs many times over.
# Bounded, so that a stream of made-up names cannot grow them for ever.
_SOURCES: set[str] = set()
_VERSIONS: dict[tuple[str, str], int] = {}
_REMEMBERED = 1000


def _plain(raw: bytes | None) -> tuple[dict[str, Any], int] | None:
    """`_checked`'s answer for a document that plainly keeps every rule, in fewer steps; None for anything else."""
    # Nothing is refused here: what does not plainly pass goes to `_checked`, which accepts it or says why not,
    # so a refusal and its reason stay those of one function.
    if not raw:
        return None
    try:
        attrs = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(attrs) is not dict or "data_base64" in attrs or attrs.get("specversion") != "1.0":
        return None
    get = attrs.get
    # orjson gives exact types: a str attribute is a str, not a subclass, so `type(...) is` says what isinstance would.
    source, type_, schema, moment, sequence = get("source"), get("type"), get("dataschema"), get("time"), get("sequence")
    if not (type(source) is str and type(type_) is str and type(schema) is str and type(moment) is str and moment
            and type(get("id")) is str and get("id") and type(get("subject")) is str and get("subject")
            and get("datacontenttype") == CONTENT_TYPE and type(sequence) is int and sequence >= 1
            and type(get("data")) is dict):
        return None
    named = _named(source, type_, schema, moment)
    if named is None:
        return None
    version, attrs["time"] = named
    return attrs, version


def _named(source: str, type_: str, schema: str, moment: str) -> tuple[int, datetime.datetime] | None:
    """The schema version and time of attributes that are non-empty strings, when they plainly keep `_checked`'s rules."""
    if source not in _SOURCES:
        if not _SOURCE.match(source):
            return None
        if len(_SOURCES) < _REMEMBERED:
            _SOURCES.add(source)
    version = _VERSIONS.get((type_, schema))
    if version is None:
        match = _SCHEMA.match(schema)
        if not match or match["type"] != type_:
            return None
        version = int(match["version"])
        if len(_VERSIONS) < _REMEMBERED:
            _VERSIONS[(type_, schema)] = version
    try:
        when = datetime.datetime.fromisoformat(moment)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    return version, when


def _quick(raw: bytes | None, registry: EventRegistry) -> Envelope | None:
    """`read`'s answer for a document that plainly keeps every rule, its text decoded once; None for anything else."""
    # As with `_plain`, nothing is refused here: what msgspec does not take as plain goes the orjson way, whose
    # functions accept it or say why not. Where msgspec takes a text at all, it reads it as orjson does: every value is
    # decoded (no field unknown, so nothing skipped unchecked), ints in orjson's range, the last of duplicate keys.
    if not raw or type(raw) is not bytes:  # text or a buffer: orjson's reading of it is left to orjson
        return None
    documents = textread.DOCUMENTS.get(registry) or textread.documents(registry)  # no call once remembered: a read's every step counts
    if documents is None:
        return None
    decoder, specs = documents
    try:
        document = decoder.decode(raw)
    except Exception:  # noqa: BLE001 - not only DecodeError (invalid UTF-8, nesting too deep): `_plain` or `_checked` says
        return None
    spec = specs[type(document)]
    if not (document.specversion == "1.0" and document.datacontenttype == CONTENT_TYPE and document.id and document.subject
            and document.time):
        return None
    named = _named(document.source, spec.type, document.dataschema, document.time)
    # An older version is upcast on the old path; a spec since replaced in the registry, read there too.
    if named is None or named[0] != spec.version:
        return None
    try:
        if registry.spec(spec.type) is not spec:
            return None
        data = spec.text.read(document.data)  # type: ignore[union-attr]  # only specs with a text form are in the union
    except (UnknownEvent, fastread.Doubt):
        return None
    return _envelope(document.id, spec.type, document.source, document.subject, document.sequence, named[1], spec.version,
                     data, document.correlationid)


_new = object.__new__
_set = object.__setattr__


def read(raw: bytes | None, registry: EventRegistry) -> Envelope:
    """Parses and validates one message; raises InvalidEvent with the reason."""
    quick = _quick(raw, registry)
    if quick is not None:
        return quick
    plain = _plain(raw)
    attrs, version = plain if plain is not None else _checked(raw)
    try:
        decoded = registry.decode(attrs["type"], version, attrs["data"])
    except UnknownEvent as exc:
        raise InvalidEvent(str(exc)) from exc
    except ma.ValidationError as exc:
        raise InvalidEvent(f"data does not match {attrs['dataschema']}: {exc.messages}") from exc
    return _envelope(attrs["id"], attrs["type"], attrs["source"], attrs["subject"], attrs["sequence"], attrs["time"], version,
                     decoded, attrs.get("correlationid"))


def _envelope(id: str, type: str, source: str, subject: str, sequence: int, time: datetime.datetime, version: int, data: Any,
              correlation_id: Any) -> Envelope:
    """The Envelope of these fields, made without its __init__."""
    # The frozen dataclass's own __init__ sets each field through object.__setattr__, a third of `read`'s cost once the
    # data is read; its fields set at once give the same object (the same fields, equal, hashable).
    event = _new(Envelope)
    _set(event, "__dict__", {"id": id, "type": type, "source": source, "subject": subject, "sequence": sequence, "time": time,
                             "schema_version": version, "data": data, "correlation_id": correlation_id})
    return event
