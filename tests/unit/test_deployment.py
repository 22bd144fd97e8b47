"""docker-compose.yml cannot run here (no Docker engine), so it is checked against the code instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from infra import config

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SECRETS = {"POSTGRES_PASSWORD": "s3cret", "OCHOTNICY_JWT_SECRET": "a-production-secret",
           "OCHOTNICY_SECRET_KEY": "a-production-pages-key"}


class Recording(dict):
    """An environment that remembers every variable the code asked for."""

    def __init__(self, values):
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


def interpolate(value) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, with the operator's secrets set."""

    def one(match):
        name, _, default = match.group(1).partition(":")
        return SECRETS.get(name, default[1:] if default.startswith("-") else "")

    return re.sub(r"\$\{([^}]+)\}", one, str(value))


@pytest.mark.parametrize("service", list(config.SERVICES))
@pytest.mark.parametrize("role", ["web", "worker"])
def test_every_service_runs_a_web_and_a_worker_with_everything_the_code_reads(service, role):
    spec = COMPOSE["services"][f"{service}-{role}"]
    assert spec["command"] == ["ochotnicy", role, service]
    assert spec["build"] == "."
    environment = Recording({k: interpolate(v) for k, v in spec["environment"].items()})
    settings = config.load(service, environment).check()  # production refuses weak settings
    assert settings.env == "production"
    assert settings.database_url == f"postgresql://ochotnicy:s3cret@postgres:5432/{service}"
    assert settings.kafka_bootstrap == "kafka:19092"
    assert settings.http_port == config.SERVICES[service]
    assert environment.asked - set(environment) == set(), "the code reads variables compose does not set"
    assert set(environment) - environment.asked == set(), "compose sets variables the code never reads"


@pytest.mark.parametrize("service, port", list(config.SERVICES.items()))
def test_each_web_process_publishes_its_port_and_checks_its_health_there(service, port):
    spec = COMPOSE["services"][f"{service}-web"]
    assert spec["ports"] == [f"{port}:{port}"]
    assert f"127.0.0.1:{port}/healthz" in " ".join(spec["healthcheck"]["test"])


def test_kafka_runs_in_kraft_mode_and_keeps_the_log_forever():
    kafka = COMPOSE["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert "controller" in env["KAFKA_PROCESS_ROLES"] and "broker" in env["KAFKA_PROCESS_ROLES"]
    assert str(env["KAFKA_LOG_RETENTION_MS"]) == "-1"


def test_kafka_serves_the_services_inside_and_subscribers_outside_on_the_contracts_port():
    kafka = COMPOSE["services"]["kafka"]
    env = kafka["environment"]
    listeners = dict(entry.split("://") for entry in env["KAFKA_LISTENERS"].split(","))
    advertised = dict(entry.split("://") for entry in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    inside = COMPOSE["x-environment"]["OCHOTNICY_KAFKA_BOOTSTRAP"]
    assert advertised["INTERNAL"] == inside and listeners["INTERNAL"] == ":" + inside.split(":")[1]
    assert listeners["EXTERNAL"] == ":9092" and advertised["EXTERNAL"].endswith(":9092")
    assert kafka["ports"] == ["9092:9092"]
    assert set(env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].replace(":", ",").split(",")) >= {"INTERNAL", "EXTERNAL"}
    assert inside.split(":")[1] in " ".join(kafka["healthcheck"]["test"])


def test_postgres_gets_one_database_per_service():
    mounted = " ".join(COMPOSE["services"]["postgres"]["volumes"])
    script = ROOT / "deploy" / "postgres-init.sql"
    assert str(script.relative_to(ROOT)) in mounted
    created = set(re.findall(r"CREATE DATABASE (\w+);", script.read_text()))
    assert created == set(config.SERVICES)


def test_outside_local_mode_a_service_refuses_to_start_without_a_secret_or_issuer():
    with pytest.raises(config.ConfigError, match="OCHOTNICY_JWT_SECRET"):
        config.load("funding", {"OCHOTNICY_ENV": "production"}).check()
    with pytest.raises(config.ConfigError, match="development JWT secret"):
        config.load("funding", {"OCHOTNICY_ENV": "production", "OCHOTNICY_JWT_SECRET": config.LOCAL_JWT_SECRET}).check()
    issuer = {"OCHOTNICY_ENV": "production", "OCHOTNICY_JWT_ISSUER": "https://login.um.warszawa.pl",
              "OCHOTNICY_JWKS_URL": "https://login.um.warszawa.pl/jwks", "OCHOTNICY_FUNDING_DATABASE_URL": "postgresql://x/y"}
    with pytest.raises(config.ConfigError, match="OCHOTNICY_SECRET_KEY"):
        config.load("funding", issuer).check()
    assert config.load("funding", issuer | {"OCHOTNICY_SECRET_KEY": "k"}).check().jwt_secret is None
