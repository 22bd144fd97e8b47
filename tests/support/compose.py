"""docker-compose.yml and the Dockerfile read as compose and the image would: commands and environments, secrets set."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SECRETS = {"POSTGRES_PASSWORD": "s3cret", "OCHOTNICY_JWT_SECRET": "a-production-secret-of-32-bytes-or-more",
           "OCHOTNICY_SECRET_KEY": "a-production-pages-key"}
"""What an operator's .env holds."""


def interpolate(value) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, with the operator's secrets set."""

    def one(match):
        name, _, default = match.group(1).partition(":")
        return SECRETS.get(name, default[1:] if default.startswith("-") else "")

    return re.sub(r"\$\{([^}]+)\}", one, str(value))


def environment(service: str) -> dict[str, str]:
    """The environment compose gives `service`'s container (the image's ENV beneath it)."""
    declared = COMPOSE["services"][service].get("environment", {})
    return image_environment() | {name: interpolate(value) for name, value in declared.items()}


def image_environment() -> dict[str, str]:
    """The Dockerfile's ENV lines."""
    found: dict[str, str] = {}
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("ENV "):
            found.update(pair.split("=", 1) for pair in shlex.split(line[4:]))
    return found
