"""docker-compose.yml cannot run here (no Docker engine), so it is checked against the code instead."""

from __future__ import annotations

import re

import pytest

from infra import config
from tests.support.compose import COMPOSE, ROOT, environment, interpolate


class Recording(dict):
    """An environment that remembers every variable the code asked for."""

    def __init__(self, values):
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


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
    assert not settings.migrate_at_start, "the migrate step has run; web and worker only check the schema"
    assert environment.asked - set(environment) == set(), "the code reads variables compose does not set"
    assert set(environment) - environment.asked == set(), "compose sets variables the code never reads"


@pytest.mark.parametrize("service, port", list(config.SERVICES.items()))
def test_each_web_process_publishes_its_port_and_checks_its_health_there(service, port):
    spec = COMPOSE["services"][f"{service}-web"]
    assert spec["ports"] == [f"{port}:{port}"]
    assert f"127.0.0.1:{port}/healthz" in " ".join(spec["healthcheck"]["test"])


@pytest.mark.parametrize("service", list(config.SERVICES))
def test_each_worker_serves_health_and_metrics_on_its_own_port_and_checks_its_health_there(service):
    spec = COMPOSE["services"][f"{service}-worker"]
    port = config.load(service, environment(f"{service}-worker")).worker_port
    assert port and spec["expose"] == [str(port)]
    assert f"127.0.0.1:{port}/healthz" in " ".join(spec["healthcheck"]["test"])


def test_the_one_off_steps_run_before_every_web_and_worker_and_only_once():
    services = COMPOSE["services"]
    assert services["migrate"]["command"] == ["ochotnicy", "migrate"]
    assert services["topics"]["command"] == ["ochotnicy", "topics"]
    for step in ("migrate", "topics"):
        assert services[step]["restart"] == "no" and services[step]["build"] == "."
    for service in config.SERVICES:  # the migrate step reaches every database
        settings = config.load(service, environment("migrate")).check_database()
        assert settings.database_url == f"postgresql://ochotnicy:s3cret@postgres:5432/{service}"
    for name in (f"{s}-{r}" for s in config.SERVICES for r in ("web", "worker")):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == depends["topics"] == {"condition": "service_completed_successfully"}, name


def test_topics_are_made_by_the_topics_step_with_a_configurable_replication_factor_as_kafka_makes_none():
    assert COMPOSE["services"]["kafka"]["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "${OCHOTNICY_TOPIC_REPLICATION_FACTOR:-1}" == COMPOSE["x-environment"]["OCHOTNICY_TOPIC_REPLICATION_FACTOR"]
    settings = config.load("cli", environment("topics") | {"OCHOTNICY_TOPIC_REPLICATION_FACTOR": "3"})
    assert settings.topic_replication_factor == 3 and settings.topic_partitions == 6


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
    # The provider's keys without its name: every token's issuer would go unchecked, or be compared with ours.
    keys_alone = {k: v for k, v in issuer.items() if k != "OCHOTNICY_JWT_ISSUER"} | {"OCHOTNICY_SECRET_KEY": "k"}
    with pytest.raises(config.ConfigError, match="OCHOTNICY_JWKS_URL needs OCHOTNICY_JWT_ISSUER"):
        config.load("funding", keys_alone | {"OCHOTNICY_JWT_SECRET": "a-service-accounts-secret"}).check()


LEDGER_WRITERS = ("volunteers-web", "volunteers-worker", "migrate")
"""Where volunteers are erased: the API, the worker's handlers, and the operator's commands (retention, recover)."""


def _mounts(container: str) -> dict[str, str]:
    """The container's mounts: its path → the named volume (or host path) mounted there."""
    entries = (entry.split(":") for entry in COMPOSE["services"][container].get("volumes", []))
    return {target: source for source, target, *_mode in entries}


@pytest.mark.parametrize("container", LEDGER_WRITERS)
def test_the_erasure_ledger_is_on_a_named_volume_of_its_own_wherever_volunteers_are_erased(container):
    folder = str(config.load("volunteers", environment(container)).erasure_ledger.parent)
    mounted = _mounts(container)
    assert folder in mounted, f"{container}: nothing is mounted at {folder}, the ledger would go with the container"
    assert mounted[folder] in COMPOSE["volumes"], "a named volume, declared (and so kept across `up`s)"
    assert mounted[folder] not in {"postgres-data", "kafka-data"}, "kept apart from the database and its backups"
    assert {_mounts(other).get(folder) for other in LEDGER_WRITERS} == {mounted[folder]}, "one ledger, shared"
