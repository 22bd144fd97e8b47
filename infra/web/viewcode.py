"""What a view does with versions, read from its code: whether it reads If-Match, whether its answer carries an ETag.

A view says so by calling http.expected_version() or http.required_version(), and by returning http.etag(…) or a
response it called set_etag() on, itself or through a function of its own module (`read(_found, id)`). Reading the
code keeps the API's documentation from drifting from what the views do, with nothing to declare twice.
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

DEPTH = 2
"""How far through the module's own helpers a call is followed (view → _found → etag)."""


def handler(view: Callable, method: str) -> Callable:
    """The function that answers `method` at an endpoint: a MethodView's method, or the view itself."""
    return getattr(getattr(view, "view_class", None), method.lower(), view)


@functools.cache
def _tree(function: Callable) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None  # no source (built in, or made at run time): nothing to learn from it
    node = ast.parse(source).body[0]
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


def _resolve(function: Callable, node: ast.expr) -> Any:
    """What a name (`etag`) or a module's attribute (`http.etag`) in `function`'s code stands for, if a global."""
    module: dict[str, Any] = getattr(function, "__globals__", {})
    if isinstance(node, ast.Name):
        return module.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = module.get(node.value.id)
        return getattr(owner, node.attr, None) if isinstance(owner, ModuleType) else None
    return None


def _helpers(function: Callable, nodes: Iterator[ast.AST]) -> Iterator[Callable]:
    """The functions of `function`'s own module that `nodes` name."""
    for node in nodes:
        if isinstance(node, ast.Name | ast.Attribute):
            found = _resolve(function, node)
            if inspect.isfunction(found) and found.__module__ == function.__module__ and found is not function:
                yield found


def calls(view: Callable, target: Callable, depth: int = DEPTH) -> bool:
    """Whether the view calls `target`, itself or through a function of its module that it names."""
    function = inspect.unwrap(view)
    tree = _tree(function)
    if tree is None:
        return False
    nodes = list(ast.walk(tree))
    if any(isinstance(n, ast.Call) and _resolve(function, n.func) is target for n in nodes):
        return True
    return depth > 0 and any(calls(helper, target, depth - 1) for helper in _helpers(function, iter(nodes)))


def returns_etag(view: Callable, etag: Callable, depth: int = DEPTH) -> bool:
    """Whether what the view returns carries an ETag: `etag(…)` in it, or a response the view called set_etag() on."""
    function = inspect.unwrap(view)
    tree = _tree(function)
    if tree is None:
        return False
    if any(isinstance(n, ast.Attribute) and n.attr == "set_etag" for n in ast.walk(tree)):
        return True
    returned = [n for r in ast.walk(tree) if isinstance(r, ast.Return) and r.value is not None for n in ast.walk(r.value)]
    if any(isinstance(n, ast.Call) and _resolve(function, n.func) is etag for n in returned):
        return True
    return depth > 0 and any(returns_etag(helper, etag, depth - 1) for helper in _helpers(function, iter(returned)))
