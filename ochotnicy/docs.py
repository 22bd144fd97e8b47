"""`make docs`: writes the event catalogue (AsyncAPI 3 and JSON Schemas) from the contracts package."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from contracts import PUBLIC
from infra.messaging import catalogue


def render() -> dict[str, str]:
    """File name → content of every generated document."""
    files = {
        "asyncapi.yaml": yaml.safe_dump(catalogue.asyncapi(PUBLIC), allow_unicode=True, sort_keys=False, width=110),
    }
    for spec in catalogue.public_specs(PUBLIC):
        files[f"schemas/{spec.type}.v{spec.version}.json"] = (
            json.dumps(catalogue.envelope_schema(spec), ensure_ascii=False, indent=2) + "\n"
        )
    return files


def write(out: Path) -> list[Path]:
    written = []
    for name, content in render().items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
