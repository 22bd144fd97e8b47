"""The AsyncAPI catalogue's every $ref resolves inside the document, and its servers name both Kafka listeners."""

from __future__ import annotations

from typing import Any

from contracts import PUBLIC
from infra.messaging.catalogue import asyncapi


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def resolve(document: dict, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_every_reference_resolves_within_the_document():
    document = asyncapi(PUBLIC)
    found = refs(document)
    assert "#/components/schemas/GrantCap" in found  # FundingGranted v2's rules name the caps
    for ref in found:
        assert resolve(document, ref) is not None, ref


def test_the_servers_are_the_listeners_compose_opens():
    servers = asyncapi(PUBLIC)["servers"]
    assert servers["production"]["host"] == "{public_host}:9092" and servers["production-internal"]["host"] == "kafka:19092"
