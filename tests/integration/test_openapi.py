"""Every operation of every service's OpenAPI document says who may call it, every answer it can give, and its headers.

The expectations are read here from the views themselves (their role, path, arguments and source), not from the
plugin that writes the documents (infra.web.openapi), so a view the plugin misreads fails.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import pytest

from infra import config, spec
from infra.web import app as web_app
from infra.web import catalogue
from infra.web.auth import required_role
from tests.support.apps import Client, service_app

SERVICES = tuple(config.SERVICES)
ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    directory = tmp_path_factory.mktemp("openapi")
    return {name: service_app(name, f"sqlite:///{directory / name}.sqlite3")[1] for name in SERVICES}


def _operations(app):
    """(path, method, operation, view function) of every documented operation, from the app's own routes."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    found = []
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        if path not in document["paths"]:
            continue
        for method in sorted(m.lower() for m in rule.methods or ()):
            if method in METHODS and method in document["paths"][path]:
                found.append((path, method, document["paths"][path][method], app.view_functions[rule.endpoint], rule))
    return document, found


def _source(view, method: str) -> str:
    function = getattr(getattr(view, "view_class", None), method, view)
    return textwrap.dedent(inspect.getsource(inspect.unwrap(function)))


def _returned(source: str) -> str:
    """The text of the function's return statements."""
    tree = ast.parse(source)
    return " ".join(ast.unparse(node.value) for node in ast.walk(tree) if isinstance(node, ast.Return) and node.value)


def _sends_etag(view, method: str) -> bool:
    """By its source: it returns etag(…), or a helper of its module whose return holds one, or sets one itself."""
    source = _source(view, method)
    if "set_etag(" in source or "etag(" in _returned(source):
        return True
    module = inspect.getmodule(inspect.unwrap(getattr(getattr(view, "view_class", None), method, view)))
    for name in set(re.findall(r"\b(_\w+|cacheable)\b", _returned(source))):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and (sends := inspect.getsource(helper)) and (
                "set_etag(" in sends or "etag(" in _returned(textwrap.dedent(sends))):
            return True
    return False


def _parameters(document, operation) -> dict[str, dict]:
    found = {}
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = document["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        found[parameter["name"]] = parameter
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_names_who_may_call_it_and_documents_every_answer_and_header(apps, service):
    document, operations = _operations(apps[service])
    assert operations
    open_endpoints = web_app.OPEN_ENDPOINTS | catalogue.OPEN | set(spec.load(service).web.open_endpoints)
    for path, method, operation, view, rule in operations:
        where = f"{service} {method.upper()} {path}"
        responses = operation["responses"]
        parameters = _parameters(document, operation)
        role = required_role(view, method)
        if rule.endpoint in open_endpoints:
            assert operation["security"] == [] and operation["x-roles"] == [] and "401" not in responses, where
        else:
            assert "401" in responses, where
            assert operation["security"] == [{"bearerAuth": [role] if role else []}], where
            assert operation["x-roles"] == ([role] if role else []), where
            assert ("403" in responses) == bool(role), where
            assert (f"`{role}`" if role else "każdy ważny token") in operation["description"], where
        if rule.arguments:
            assert "404" in responses, where
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= set(responses), where
        if any(p["in"] == "query" for p in parameters.values()):
            assert "422" in responses, where
        if method in ("post", "put", "patch", "delete"):
            assert "409" in responses, where
        if method in ("post", "patch"):
            assert "Idempotency-Key" in parameters and "422" in responses, where
        # Gone only where kept answers are sealed with a person's key, which their erasure deletes.
        assert ("410" in responses) == (method in ("post", "patch") and spec.load(service).web.answers is not None), where
        source = _source(view, method)
        if_match = parameters.get("If-Match")
        if "required_version(" in source:
            assert if_match and if_match["required"] and "428" in responses, where
        elif "expected_version(" in source:
            assert if_match and not if_match["required"] and "428" not in responses, where
        else:
            assert if_match is None, where
        etags = {code for code, r in responses.items() if "ETag" in r.get("headers", {})}
        assert bool(etags) == _sends_etag(view, method), where
        for code, response in responses.items():
            if code != "default" and int(code) >= 400 and "$ref" not in response:
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_no_view_reads_if_match_through_a_helper_the_documents_could_not_see():
    """If-Match is documented where the view calls expected_version() or required_version(): so only views call them."""
    hidden = []
    for path in sorted(ROOT.glob("services/*/api/*.py")):
        tree = ast.parse(path.read_text())
        views = set()
        for node in ast.walk(tree):
            routed = isinstance(node, ast.FunctionDef | ast.ClassDef) and any(
                "route" in ast.unparse(d) for d in node.decorator_list)
            if routed and isinstance(node, ast.ClassDef):
                views |= {id(f) for f in node.body if isinstance(f, ast.FunctionDef)}
            elif routed:
                views.add(id(node))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and id(node) not in views:
                names = {ast.unparse(c.func) for c in ast.walk(node) if isinstance(c, ast.Call)}
                if names & {"expected_version", "required_version", "http.expected_version", "http.required_version"}:
                    hidden.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert hidden == []


def test_an_answer_documented_with_an_etag_carries_one_and_one_documented_without_carries_none(apps):
    client = Client(apps["applications"], "applications:write")
    created = client.post("/api/v1/institutions", json={"name": "Biblioteka z wersją", "kind": "library", "district": "Wola"})
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    institution = created.get_json()["id"]
    assert client.get(f"/api/v1/institutions/{institution}").headers["ETag"] == '"1"'
    assert "ETag" not in client.get(f"/api/v1/institutions/{institution}/history").headers
    document, _ = _operations(apps["applications"])
    by_id = document["paths"]["/api/v1/institutions/{institution_id}"]["get"]["responses"]["200"]
    history = document["paths"]["/api/v1/institutions/{institution_id}/history"]["get"]["responses"]["200"]
    assert "ETag" in by_id["headers"] and "headers" not in history
