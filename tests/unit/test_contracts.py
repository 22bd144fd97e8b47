"""Event contracts: CloudEvents form, every type round-trips, versions upcast, bad messages are named."""

import dataclasses
import datetime
import uuid
from decimal import Decimal

import orjson
import pytest

from contracts import PUBLIC, EventRegistry, envelope, topics
from contracts.applications import GrantCap, PartnershipProposed
from contracts.envelope import InvalidEvent
from contracts.funding import GrantInputs, RulesApplied

NOW = datetime.datetime(2021, 10, 1, 12, 0, tzinfo=datetime.timezone.utc)
CONTRACT_TYPES = {
    "EditionOpened", "EditionClosed", "InstitutionRegistered", "PartnershipProposed", "PartnershipWithdrawn",
    "MALVerified", "MALVerificationFailed", "InstitutionEnrolled", "FundingGranted", "FundingRejected",
    "VolunteerJoined", "VolunteerLeft",
}


def uid() -> str:
    return str(uuid.uuid4())


def sample(cls):
    """An instance of any event class with plausible values for each field."""
    values = {}
    for field in dataclasses.fields(cls):
        name, kind = field.name, str(field.type)
        if name.endswith("_ids"):
            values[name] = (uid(), uid())
        elif name.endswith("_id"):
            values[name] = uid()
        elif name in ("requested_amount", "amount", "cap", "budget"):
            values[name] = Decimal("6000.00")
        elif name.endswith("_on"):
            values[name] = datetime.date(2021, 9, 1)
        elif name == "rules":
            values[name] = RulesApplied(True, (GrantCap(2, 3, Decimal("6000.00")),), Decimal("50000.00"))
        elif name == "inputs":
            values[name] = GrantInputs(3, Decimal("6000.00"), "verified", Decimal("12000.00"))
        elif name == "grant_caps":
            values[name] = (GrantCap(2, 3, Decimal("6000.00")), GrantCap(4, None, Decimal("10000.00")))
        elif name == "programme":
            values[name] = "partnerships"
        elif name == "round":
            values[name] = "autumn"
        elif name == "kind":
            values[name] = "partnership" if "Edition" in cls.__name__ else "library"
        elif name == "district":
            values[name] = "Włochy"
        elif name == "year":
            values[name] = 2021
        elif "bool" in kind:
            values[name] = True
        else:
            values[name] = "Tekst – zażółć gęślą jaźń"
    return cls(**values)


def wire(event, registry=PUBLIC, version=None, sequence=1) -> bytes:
    spec, data = registry.encode(event)
    owner = next((s for s, t in topics.BY_SERVICE.items() if t == spec.topic), "applications")
    return envelope.write(
        id=uid(), service=owner, type=spec.type, version=version or spec.version,
        subject=uid(), sequence=sequence, time=NOW, data=data,
    )


def test_every_contract_event_is_registered_on_its_owners_topic():
    specs = {s.type: s for s in PUBLIC.specs()}
    assert CONTRACT_TYPES <= set(specs)
    owners = {"FundingGranted": topics.FUNDING, "FundingRejected": topics.FUNDING,
              "VolunteerJoined": topics.VOLUNTEERS, "VolunteerLeft": topics.VOLUNTEERS}
    for name in CONTRACT_TYPES:
        assert specs[name].topic == owners.get(name, topics.APPLICATIONS)


@pytest.mark.parametrize("type_", sorted(CONTRACT_TYPES))
def test_every_event_round_trips_as_a_cloudevent(type_):
    event = sample(PUBLIC.spec(type_).cls)
    raw = wire(event, sequence=3)
    document = orjson.loads(raw)
    for attribute in ("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "sequence", "data"):
        assert document[attribute] not in (None, ""), attribute
    assert document["specversion"] == "1.0"
    assert document["source"] == f"/ochotnicy/{document['source'].rsplit('/', 1)[1]}"
    assert PUBLIC.spec(type_).topic == topics.BY_SERVICE[document["source"].rsplit("/", 1)[1]]
    assert document["dataschema"] == f"urn:ochotnicy:event:{type_}:v{PUBLIC.spec(type_).version}"
    assert document["sequence"] == 3
    assert document["time"].endswith("Z")
    assert envelope.read(raw, PUBLIC).data == event


def test_money_is_a_decimal_string_with_two_places():
    proposed = sample(PartnershipProposed)
    data = orjson.loads(wire(proposed))["data"]
    assert data["requested_amount"] == "6000.00"


def test_a_v1_entry_is_read_through_an_upcaster_as_v2():
    registry = PUBLIC.child()

    @registry.legacy(name="Greeted", version=1, topic=topics.APPLICATIONS)
    @dataclasses.dataclass(frozen=True)
    class GreetedV1:
        name: str

    @registry.event(topic=topics.APPLICATIONS, version=2, name="Greeted")
    @dataclasses.dataclass(frozen=True)
    class Greeted:
        first_name: str
        last_name: str

    @registry.upcaster("Greeted", from_version=1)
    def split_name(data):
        first, _, last = data["name"].partition(" ")
        return {"first_name": first, "last_name": last}

    old = wire(GreetedV1("Jan Kowalski"), registry, version=1)
    assert orjson.loads(old)["dataschema"] == "urn:ochotnicy:event:Greeted:v1"
    read = envelope.read(old, registry)
    assert read.data == Greeted("Jan", "Kowalski")
    assert read.schema_version == 1
    assert envelope.read(wire(Greeted("Anna", "Nowak"), registry), registry).schema_version == 2


def test_a_reader_ignores_fields_it_does_not_know_yet():
    raw = orjson.loads(wire(sample(PartnershipProposed)))
    raw["data"]["added_in_a_later_release"] = 1
    assert envelope.read(orjson.dumps(raw), PUBLIC).data.title


@pytest.mark.parametrize(
    "mangle, reason",
    [
        (lambda d: b"not json at all", "not a CloudEvents JSON document"),
        (lambda d: orjson.dumps({k: v for k, v in d.items() if k != "subject"}), "missing attributes: subject"),
        (lambda d: orjson.dumps(d | {"type": "SomethingElse", "dataschema": "urn:ochotnicy:event:SomethingElse:v1"}), "unknown event"),
        (lambda d: orjson.dumps(d | {"dataschema": "urn:ochotnicy:event:PartnershipProposed:v9"}), "newer than this reader"),
        (lambda d: orjson.dumps(d | {"data": d["data"] | {"requested_amount": "lots"}}), "does not match"),
        (lambda d: orjson.dumps(d | {"sequence": 0}), "sequence"),
        (lambda d: orjson.dumps(d | {"source": "somewhere"}), "source"),
        (lambda d: orjson.dumps(d | {"data": [1, 2]}), "JSON object"),
        (lambda d: b"", "empty message"),
        (lambda d: b"[1, 2, 3]", "not a CloudEvents JSON document"),
        (lambda d: b'"just a string"', "not a CloudEvents JSON document"),
        (lambda d: b"42", "not a CloudEvents JSON document"),
        (lambda d: b"null", "not a CloudEvents JSON document"),
        (lambda d: orjson.dumps(d | {"specversion": "0.3"}), "specversion must be 1.0"),
        (lambda d: orjson.dumps(d | {"id": 42}), "attributes must be strings: id"),
        (lambda d: orjson.dumps(d | {"time": "yesterday"}), "RFC 3339"),
        (lambda d: orjson.dumps(d | {"time": "2026-03-01T09:00:00"}), "offset from UTC"),
    ],
)
def test_unreadable_messages_are_refused_with_the_reason(mangle, reason):
    document = orjson.loads(wire(sample(PartnershipProposed)))
    with pytest.raises(InvalidEvent, match=reason):
        envelope.read(mangle(document), PUBLIC)


def test_a_child_registry_keeps_private_events_off_the_public_one():
    registry = EventRegistry().child()

    @registry.event(topic=None)
    @dataclasses.dataclass(frozen=True)
    class Secret:
        value: str

    assert not registry.spec("Secret").public
    assert not PUBLIC.knows("Secret")


def test_an_event_its_schema_refuses_is_never_encoded():
    from contracts.applications import PartnershipWithdrawn
    from contracts.registry import BrokenEvent

    withdrawn = PartnershipWithdrawn(partnership_id=str(uuid.uuid4()), edition_id=str(uuid.uuid4()), reason="")
    with pytest.raises(BrokenEvent, match="PartnershipWithdrawn v1 does not match its schema: .*reason"):
        PUBLIC.encode(withdrawn)
    assert PUBLIC.encode(dataclasses.replace(withdrawn, reason="Rezygnacja"))[1]["reason"] == "Rezygnacja"
