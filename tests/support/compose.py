"""docker-compose.yml and the Dockerfile read as compose and the image would: commands and environments, secrets set."""

from __future__ import annotations

import dataclasses
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


@dataclasses.dataclass(frozen=True)
class Stage:
    """One stage of the Dockerfile: its base, its name (`AS …`) and its instructions, each on one line."""

    base: str
    name: str | None
    instructions: tuple[tuple[str, str], ...]
    """(INSTRUCTION, its arguments), continuation lines joined."""

    def arguments(self, instruction: str) -> list[str]:
        return [arguments for name, arguments in self.instructions if name == instruction]


def dockerfile_stages() -> list[Stage]:
    """The Dockerfile's stages, in order (the last is the image compose runs)."""
    stages: list[Stage] = []
    for line in re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text()).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        instruction, _, arguments = line.strip().partition(" ")
        if instruction.upper() == "FROM":
            base, _, name = arguments.partition(" AS ")
            stages.append(Stage(base.strip(), name.strip() or None, ()))
        else:
            last = stages[-1]
            stages[-1] = dataclasses.replace(last, instructions=(*last.instructions, (instruction.upper(), arguments.strip())))
    return stages


def image_environment() -> dict[str, str]:
    """The ENV lines of the image's (the last) stage."""
    found: dict[str, str] = {}
    for line in dockerfile_stages()[-1].arguments("ENV"):
        found.update(pair.split("=", 1) for pair in shlex.split(line))
    return found
