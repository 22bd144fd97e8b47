"""Endpoints for other departments: the event catalogue and an HTTP feed of the public events."""

from __future__ import annotations

import orjson
from flask import Response, url_for
from marshmallow import fields
from sqlalchemy import select

from contracts.registry import EventRegistry, UnknownEvent
from infra.eventstore.tables import events, outbox
from infra.messaging import catalogue
from infra.web import fields as f
from infra.web.blueprint import Blueprint
from infra.web.http import abort

OPEN = {"events.catalogue", "events.schema_list", "events.schema"}


class FeedQuery(f.Schema):
    after = f.integer(required=False, load_default=0, minimum=0, maximum=2**63 - 1, strict=False)
    limit = f.integer(required=False, load_default=100, minimum=1, maximum=1000, strict=False)


class FeedPage(f.Schema):
    events = fields.List(fields.Dict(), metadata={"description": "dokumenty CloudEvents, w kolejności dziennika"})
    next_after = fields.Integer(metadata={"description": "podaj jako ?after= przy następnym zapytaniu"})
    more = fields.Boolean()


def _documented(description: str, schema: dict) -> dict:
    """An OpenAPI 200 response for views that answer a ready-made JSON document (no marshmallow schema)."""
    return {"responses": {"200": {"description": description, "content": {"application/json": {"schema": schema}}}}}


def _json(document) -> Response:
    return Response(orjson.dumps(document), mimetype="application/json")


def blueprint(registry: EventRegistry, engine_of, *, feed: bool) -> Blueprint:
    """`engine_of()` gives the service's engine; the feed is for services that own a topic."""
    blp = Blueprint("events", __name__, url_prefix="/api/v1", description="Zdarzenia dla innych wydziałów")

    @blp.route("/events/catalogue", endpoint="catalogue")
    @blp.doc(**_documented("Dokument AsyncAPI 3.0", {"type": "object"}))
    def catalogue_document():
        """Katalog zdarzeń (AsyncAPI 3.0)"""
        return _json(catalogue.asyncapi(registry))

    @blp.route("/schemas")
    @blp.doc(**_documented("Typy i wersje zdarzeń z adresami ich schematów", {"type": "array", "items": {
        "type": "object", "properties": {"type": {"type": "string"}, "version": {"type": "integer"},
                                         "dataschema": {"type": "string"}, "url": {"type": "string"}}}}))
    def schema_list():
        """Schematy JSON wszystkich typów i wersji zdarzeń"""
        return _json([
            {"type": s.type, "version": s.version, "dataschema": s.dataschema,
             "url": url_for("events.schema", type_=s.type, version=s.version, _external=False)}
            for s in catalogue.public_specs(registry)
        ])

    @blp.route("/schemas/<type_>/v<int:version>")
    @blp.doc(**_documented("Schemat JSON (2020-12) dokumentu CloudEvents", {"type": "object"}))
    def schema(type_: str, version: int):
        """Schemat JSON (2020-12) dokumentu CloudEvents jednego typu i wersji zdarzenia"""
        try:
            spec = registry.spec(type_, version)
        except UnknownEvent:
            abort(404, message=f"Nie ma zdarzenia {type_} w wersji {version}.")
        if not spec.public:
            abort(404, message=f"Nie ma publicznego zdarzenia {type_}.")
        return _json(catalogue.envelope_schema(spec))

    if feed:

        @blp.route("/events")
        @blp.arguments(FeedQuery, location="query")
        @blp.response(200, FeedPage)
        def event_feed(query):
            """Publiczne zdarzenia usługi, stronicowane (dla wydziałów bez dostępu do Kafki)"""
            with engine_of().connect() as connection:
                rows = connection.execute(
                    select(events.c.chain_seq, outbox.c.payload)
                    .join(outbox, outbox.c.event_id == events.c.event_id)
                    .where(events.c.chain_seq > query["after"])
                    .order_by(events.c.chain_seq)
                    .limit(query["limit"] + 1)
                ).all()
            page = rows[: query["limit"]]
            return {
                "events": [orjson.loads(r.payload) for r in page],
                "next_after": page[-1].chain_seq if page else query["after"],
                "more": len(rows) > len(page),
            }

    return blp
