"""The fast reader of event data never disagrees with the schema: what it accepts, the schema accepts as the same event."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import types
import typing
import uuid

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, validate

from contracts import PUBLIC, fastread
from contracts.registry import EventSpec
from ochotnicy.bench import log
from services.funding.domain.events import REGISTRY as FUNDING
from services.volunteers.domain.events import REGISTRY as VOLUNTEERS

SPECS = {(s.type, s.version): s for registry in (PUBLIC, FUNDING, VOLUNTEERS) for s in registry.specs()}
REFUSED = object()

_junk = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=4),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
_uuids = st.uuids().map(str)
_uuid_like = st.one_of(
    _uuids, _uuids.map(str.upper), _uuids.map(lambda u: "{" + u + "}"), _uuids.map(lambda u: u.replace("-", "")),
    _uuids.map(lambda u: u + "\n"), _uuids.map(lambda u: u[:-1] + "g"),
)
_money = st.one_of(
    st.decimals(min_value=-10**6, max_value=10**9, places=2).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=-10, max_value=10**6, places=2),
    st.integers(-5, 10**6), st.floats(-5, 10**6),
    st.sampled_from(["6000.005", "1e3", "0.00", "-0.00", "00012.30", " 1.00", "1.00 ", "١٢.٠٠", "+1.00"]),
)
_dates = st.one_of(
    st.dates().map(datetime.date.isoformat), st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.datetimes().map(datetime.datetime.isoformat), st.sampled_from(["2026-3-2", "2026-02-30", "2026-W05-1"]),
)
_ints = st.one_of(st.integers(-2**40, 2**40), st.booleans(), st.floats(), st.integers().map(str))
_bools = st.one_of(st.booleans(), st.sampled_from([0, 1, "true", "false", "1", None]))


def _validators(hint) -> list:
    found = hint._marshmallow_args.get("validate") or []
    return list(found) if isinstance(found, (list, tuple)) else [found]


def _strings(hint) -> st.SearchStrategy:
    for validator in _validators(hint):
        if isinstance(validator, validate.OneOf):
            return st.one_of(st.sampled_from(list(validator.choices)), st.text(max_size=6))
        if isinstance(validator, validate.Length):
            return st.one_of(st.text(max_size=8), st.sampled_from(["", "a" * 2000, "a" * 2001, "ż" * 2000]))
    if hint.__name__ == "Id":
        return _uuid_like
    return st.text(max_size=8)


def data_for(hint) -> st.SearchStrategy:
    """JSON-like values near the valid ones for `hint`, and some junk."""
    return st.one_of(_valid_for(hint), _junk) if not dataclasses.is_dataclass(hint) else _valid_for(hint)


def _valid_for(hint) -> st.SearchStrategy:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(st.none() if a is type(None) else data_for(a) for a in typing.get_args(hint)))
    if origin is tuple:
        return st.lists(data_for(typing.get_args(hint)[0]), max_size=3)
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        fields = {f.name: data_for(hints[f.name]) for f in dataclasses.fields(hint)}
        documents = st.fixed_dictionaries(fields) | st.fixed_dictionaries({}, optional=fields)
        return documents.flatmap(lambda d: st.sampled_from([d, {**d, "unknown": 1}]))
    if hasattr(hint, "_marshmallow_args"):
        return _money if hint.__supertype__ is decimal.Decimal else _strings(hint)
    return {int: _ints, bool: _bools, str: st.text(max_size=8), datetime.date: _dates}[hint]


def _outcome(spec: EventSpec, data):
    try:
        return spec.schema.load(data)
    except ValidationError:
        return REFUSED


def test_every_event_version_has_a_fast_reader():
    assert all(spec.fast is not None for spec in SPECS.values()), [k for k, s in SPECS.items() if s.fast is None]


@pytest.mark.parametrize("key", sorted(SPECS), ids=lambda k: f"{k[0]}-v{k[1]}")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_what_the_fast_reader_accepts_the_schema_accepts_as_the_same_event(key, data):
    spec = SPECS[key]
    document = data.draw(_valid_for(spec.cls))
    try:
        fast = spec.fast(document)
    except fastread.Doubt:
        return
    slow = _outcome(spec, document)
    assert slow is not REFUSED, f"the fast reader accepted what the schema refuses: {document!r}"
    assert repr(fast) == repr(slow)


def test_events_as_producers_write_them_take_the_fast_path():
    for _topic, _key, value in log.messages(2000):
        document = orjson.loads(value)
        spec = PUBLIC.spec(document["type"])
        assert repr(spec.fast(document["data"])) == repr(spec.schema.load(document["data"]))


@pytest.mark.parametrize(
    "change",
    [
        {"requested_amount": 6000},  # a number, not text: the schema reads it and gives it two places
        {"requested_amount": "6000.005"},  # the schema rounds half up
    ],
)
def test_what_the_fast_reader_doubts_the_schema_decides(change):
    data = {
        "partnership_id": str(uuid.uuid4()), "edition_id": str(uuid.uuid4()), "title": "Wspólna inicjatywa",
        "lead_institution_id": str(uuid.UUID(int=1)), "institution_ids": [str(uuid.UUID(int=1))],
        "requested_amount": "6000.00", **change,
    }
    spec = PUBLIC.spec("PartnershipProposed")
    with pytest.raises(fastread.Doubt):
        spec.fast(data)
    assert repr(PUBLIC.decode("PartnershipProposed", 1, data)) == repr(spec.schema.load(data))


def test_a_rule_breach_is_refused_with_the_schemas_reason():
    with pytest.raises(ValidationError, match="Not a valid UUID"):
        PUBLIC.decode("EditionClosed", 1, {"edition_id": "not-a-uuid"})
