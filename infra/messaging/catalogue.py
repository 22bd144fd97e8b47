"""The event catalogue for other departments, generated from the one contracts package.

JSON Schema (2020-12) for the `data` of each event type and version, one for the CloudEvents
envelope, and an AsyncAPI 3 document tying them to the topics. Nothing here is written by hand
twice: change a dataclass in `contracts/` and the catalogue follows.
"""

from __future__ import annotations

import copy
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from contracts import topics
from contracts.registry import EventRegistry, EventSpec

JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
MONEY_PATTERN = r"^[0-9]+\.[0-9]{2}$"


def _money_as_string(self, field, **kwargs) -> dict[str, Any]:
    if isinstance(field, fields.Decimal) and field.as_string:
        return {"type": ["string", "null"] if field.allow_none else "string", "pattern": MONEY_PATTERN}
    return {}


def _converter():
    plugin = MarshmallowPlugin()
    spec = APISpec("ochotnicy-events", "1", "3.1.0", plugins=[plugin])
    plugin.converter.add_attribute_function(_money_as_string)
    return spec, plugin.converter


def _inline_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else _inline_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v) for v in node]
    return node


def _strip_numeric_bounds_of_strings(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _strip_numeric_bounds_of_strings(v) for k, v in node.items()}
        if node.get("pattern") == MONEY_PATTERN:
            node.pop("minimum", None)
            node.pop("maximum", None)
        return node
    if isinstance(node, list):
        return [_strip_numeric_bounds_of_strings(v) for v in node]
    return node


def data_schema(spec: EventSpec) -> dict[str, Any]:
    """The JSON Schema of one event version's `data`, self-contained."""
    api, converter = _converter()
    body = converter.schema2jsonschema(spec.schema)
    defs = copy.deepcopy(api.to_dict().get("components", {}).get("schemas", {}))
    document = {
        "$schema": JSON_SCHEMA,
        "$id": spec.dataschema,
        "title": f"{spec.type} v{spec.version}",
        "description": (spec.cls.__doc__ or spec.type).strip(),
        **body,
        "additionalProperties": True,
    }
    if defs:
        document["$defs"] = defs
    return _strip_numeric_bounds_of_strings(_inline_refs(document))


def envelope_schema(spec: EventSpec) -> dict[str, Any]:
    """The JSON Schema of the whole CloudEvent carrying one event version."""
    service = next(s for s, t in topics.BY_SERVICE.items() if t == spec.topic)
    data = data_schema(spec)
    defs = data.pop("$defs", {})
    data.pop("$schema")
    data.pop("$id")  # an embedded $id would re-base the #/$defs references
    return {
        "$schema": JSON_SCHEMA,
        "$id": f"{spec.dataschema}:cloudevent",
        "title": f"CloudEvent {spec.type} v{spec.version}",
        "type": "object",
        "required": ["specversion", "id", "source", "type", "subject", "time", "datacontenttype",
                     "dataschema", "sequence", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid", "description": "unikalny na zawsze"},
            "source": {"const": f"/ochotnicy/{service}"},
            "type": {"const": spec.type},
            "subject": {"type": "string", "description": "identyfikator agregatu (także klucz wiadomości w Kafce)"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "dataschema": {"const": spec.dataschema},
            "sequence": {"type": "integer", "minimum": 1, "description": "wersja agregatu po tym zdarzeniu"},
            "correlationid": {"type": "string"},
            "data": data,
        },
        "additionalProperties": True,
        **({"$defs": defs} if defs else {}),
    }


def public_specs(registry: EventRegistry) -> list[EventSpec]:
    return sorted((s for s in registry.specs() if s.public), key=lambda s: (s.topic, s.type, s.version))


def asyncapi(registry: EventRegistry) -> dict[str, Any]:
    """An AsyncAPI 3.0 document: the channels (topics), their messages, and their schemas."""
    specs = public_specs(registry)
    current = {s.type: registry.spec(s.type).version for s in specs}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for spec in specs:
        key = f"{spec.type}.v{spec.version}"
        envelope = envelope_schema(spec)
        for name, definition in envelope.pop("$defs", {}).items():
            schemas[name] = _defs_to_components(definition)  # a definition may refer to another (RulesApplied → GrantCap)
        schemas[key] = _defs_to_components(envelope)
        messages[key] = {
            "name": spec.type,
            "title": f"{spec.type} (v{spec.version}{'' if current[spec.type] == spec.version else ', starsza wersja'})",
            "summary": (spec.cls.__doc__ or spec.type).strip(),
            "contentType": "application/cloudevents+json",
            "payload": {"$ref": f"#/components/schemas/{key}"},
            "bindings": {"kafka": {"key": {"type": "string", "description": "identyfikator agregatu"}}},
        }
        topic = spec.topic
        assert topic is not None, "public_specs keeps only the events published on a topic"
        channel = topic.split(".")[-1]
        channels.setdefault(channel, {"address": topic, "messages": {}, "description": f"Zdarzenia usługi {channel}"})
        channels[channel]["messages"][key] = {"$ref": f"#/components/messages/{key}"}
    for channel, definition in channels.items():
        operations[f"publish_{channel}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in definition["messages"]],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Ochotnicy warszawscy – katalog zdarzeń",
            "version": "1.0.0",
            "description": (
                "Publiczne zdarzenia systemu Ochotnicy dla innych wydziałów. Każde zdarzenie to dokument "
                "CloudEvents 1.0 (tryb strukturalny, JSON), kluczem wiadomości jest identyfikator agregatu. "
                "Dane osobowe wolontariuszy nigdy nie trafiają do tych tematów."
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        "servers": {
            "production": {"host": "{public_host}:9092", "protocol": "kafka",
                           "description": "Apache Kafka (KRaft), for other departments: the host docker-compose "
                                          "advertises as OCHOTNICY_KAFKA_PUBLIC_HOST",
                           "variables": {"public_host": {"default": "localhost"}}},
            "production-internal": {"host": "kafka:19092", "protocol": "kafka",
                                    "description": "the same broker inside the compose network (the services' own listener)"},
            "local": {"host": "127.0.0.1:9092", "protocol": "kafka", "description": "make run (Tansu, tylko w pamięci)"},
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def _defs_to_components(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else _defs_to_components(v))
            for k, v in node.items()
            if k != "$schema"
        }
    if isinstance(node, list):
        return [_defs_to_components(v) for v in node]
    return node
