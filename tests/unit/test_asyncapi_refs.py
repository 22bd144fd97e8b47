"""The AsyncAPI catalogue is valid AsyncAPI 3 (the official schema), its every $ref resolves, its servers are compose's."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator

from contracts import PUBLIC
from infra.messaging.catalogue import asyncapi

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = yaml.safe_load((ROOT / "docs" / "events" / "asyncapi.yaml").read_text())
# @asyncapi/specs' own schema, vendored (tests/support/asyncapi/README.md says from where).
OFFICIAL = json.loads((ROOT / "tests" / "support" / "asyncapi" / "asyncapi-3.0.0.schema.json").read_text())


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


def test_the_published_catalogue_is_valid_asyncapi_3_by_the_official_schema():
    assert OFFICIAL["properties"]["asyncapi"]["const"] == PUBLISHED["asyncapi"] == "3.0.0"
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in Draft7Validator(OFFICIAL).iter_errors(PUBLISHED)]
    assert errors == []


def test_the_official_schema_does_refuse_a_broken_catalogue():
    broken = copy.deepcopy(PUBLISHED)
    broken["servers"]["production"].pop("protocol")
    next(iter(broken["channels"].values()))["address"] = 42
    assert len(list(Draft7Validator(OFFICIAL).iter_errors(broken))) >= 2


def test_every_reference_of_the_published_catalogue_resolves():
    for ref in refs(PUBLISHED):
        assert resolve(PUBLISHED, ref) is not None, ref
