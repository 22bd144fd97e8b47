"""The event catalogue (AsyncAPI 3, JSON Schema per type and version) and the HTTP feed."""

from __future__ import annotations

import uuid

import pytest
from jsonschema import Draft202012Validator

from contracts import PUBLIC
from infra.messaging import catalogue
from services.applications import commands
from tests.support.apps import Client, service_app


@pytest.fixture(scope="module")
def app(databases):
    return service_app("applications", databases.create("feed"))


def test_the_catalogue_is_an_asyncapi_3_document_covering_every_public_event(app):
    document = Client(app[1]).get("/api/v1/events/catalogue").get_json()
    assert document["asyncapi"] == "3.0.0"
    assert {c["address"] for c in document["channels"].values()} == {
        "ochotnicy.applications", "ochotnicy.funding", "ochotnicy.volunteers"}
    messages = document["components"]["messages"]
    for spec in PUBLIC.specs():
        if spec.public:
            assert f"{spec.type}.v{spec.version}" in messages
    for operation in document["operations"].values():
        assert operation["action"] == "send"


def test_each_schema_is_valid_json_schema_and_served_by_type_and_version(app):
    client = Client(app[1])
    listed = client.get("/api/v1/schemas").get_json()
    assert {(s["type"], s["version"]) for s in listed} == {(s.type, s.version) for s in PUBLIC.specs() if s.public}
    for entry in listed:
        schema = client.get(entry["url"]).get_json()
        Draft202012Validator.check_schema(schema)
        assert schema["properties"]["dataschema"]["const"] == entry["dataschema"]
    assert client.get("/api/v1/schemas/PartnershipProposed/v99").status_code == 404


def test_a_money_field_must_be_a_string_with_two_places():
    schema = catalogue.envelope_schema(PUBLIC.spec("PartnershipProposed"))
    amount = schema["properties"]["data"]["properties"]["requested_amount"]
    assert amount["type"] == "string" and "minimum" not in amount
    validator = Draft202012Validator(amount)
    assert validator.is_valid("6000.00") and not validator.is_valid(6000) and not validator.is_valid("6000")


def test_the_feed_pages_through_sealed_public_events_in_log_order(app):
    service, flask_app = app
    client = Client(flask_app, "audit")
    ids = [
        service.bus.handle(commands.RegisterInstitution(str(uuid.uuid4()), f"Szkoła {uuid.uuid4().hex[:6]}", "school", "Wawer", False))
        for _ in range(5)
    ]
    assert client.get("/api/v1/events?limit=10").get_json()["events"] == [], "unsealed events are not served yet"
    service.runtime.relay().seal_once()
    seen, after = [], 0
    while True:
        page = client.get(f"/api/v1/events?after={after}&limit=2").get_json()
        seen += page["events"]
        after = page["next_after"]
        if not page["more"]:
            break
    assert [e["subject"] for e in seen][-5:] == ids
    assert all(e["specversion"] == "1.0" for e in seen)
    assert client.anonymous().get("/api/v1/events").status_code == 401
    assert client.get("/api/v1/events?limit=5000").status_code == 422
