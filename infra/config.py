"""The one module that reads the environment; every setting has a local default."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

SERVICES = {"applications": 8001, "funding": 8002, "volunteers": 8003, "reporting": 8004}
LOCAL_JWT_SECRET = "ochotnicy-local-development-secret-not-for-production"
LOCAL_SECRET_KEY = "ochotnicy-local-pages-secret-not-for-production"
LOCAL_BROKER = "127.0.0.1:9092"
TOKEN_ISSUER = "ochotnicy"
"""The `iss` of the tokens signed with the shared secret (`ochotnicy token`, service accounts), unless configured."""


class ConfigError(RuntimeError):
    """A setting that production needs is missing or wrong."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything a service process needs to know about where it runs."""

    service: str
    env: str
    data_dir: Path
    database_url: str
    http_host: str
    http_port: int
    kafka_bootstrap: str
    topic_partitions: int
    topic_replication_factor: int
    """How many brokers keep each topic the services create: 1 for a single broker, 3 for a cluster."""
    jwt_secret: str | None
    jwt_issuer: str
    """The `iss` every token must name: the OIDC provider's (with jwks_url), else that of the shared-secret tokens."""
    jwks_url: str | None
    jwt_audience: str | None
    token_max_hours: float
    """The longest a token may be valid (its exp − iat): a longer one is refused, whoever signed it."""
    secret_key: str | None
    """Signs the pages' session (CSRF tokens); the same in every service, as one sign-in serves them all."""
    oidc_issuer: str | None
    """The city's OpenID Connect provider, where staff sign in outside local mode."""
    oidc_client_id: str | None
    oidc_client_secret: str | None
    oidc_group_roles: Mapping[str, tuple[str, ...]]
    trusted_proxies: int
    """How many reverse proxies stand in front (their X-Forwarded-* are believed): behind TLS the cookie is Secure."""
    """The provider's groups → Ochotnicy roles (OCHOTNICY_OIDC_GROUP_ROLES="group=role,role;group=role")."""
    log_level: str
    consumer_session_timeout_ms: int
    consumer_heartbeat_ms: int
    relay_interval_s: float
    batch_linger_s: float
    offset_commit_s: float
    service_urls: Mapping[str, str]
    metrics_dir: str | None
    web_workers: int
    web_threads: int
    worker_port: int
    """Where the worker process serves /healthz and /metrics; 0: nowhere (locally its web process shows its metrics)."""
    outbox_max_age_s: float
    """An event still unpublished after this long makes /healthz degraded: the relay is stuck or the broker gone."""
    migrate_at_start: bool
    """Web and worker bring their schema up to date themselves; production runs `ochotnicy migrate` once instead."""
    http_header_timeout_s: float
    """A request's line and headers must arrive within this, or it is answered 408 (no thread waits for them)."""
    http_body_timeout_s: float
    """Then its body; a thread also waits this long at most for a client to read its answer."""
    trace_exporter: str
    """Where finished spans go: "none" (trace ids still reach the logs and messages), "otlp" or "console"."""
    otlp_endpoint: str
    """The OTLP/HTTP collector's traces URL, with trace_exporter "otlp"."""
    retention_years: int
    """A volunteer whose last membership ended longer ago than this is erased by `ochotnicy volunteers retention`."""
    erasure_ledger: Path
    """The append-only file of erased volunteers' ids, kept apart from the database and its backups, so that an
    erasure undone by a restore is done again (`ochotnicy volunteers reapply-erasures`)."""
    token: str | None
    """The command line's token, for a command run for a person (`ochotnicy audit history --personal`)."""

    @property
    def local(self) -> bool:
        return self.env == "local"

    def check(self) -> Settings:
        """Refuses to run outside local mode with the development secret or no issuer."""
        if self.local:
            return self
        if not self.jwks_url and not self.jwt_secret:
            raise ConfigError(
                "OCHOTNICY_JWT_SECRET or OCHOTNICY_JWT_ISSUER with OCHOTNICY_JWKS_URL "
                f"must be set when OCHOTNICY_ENV={self.env}"
            )
        if self.jwks_url and self.jwt_issuer == TOKEN_ISSUER:
            raise ConfigError("OCHOTNICY_JWKS_URL needs OCHOTNICY_JWT_ISSUER: the provider whose tokens its keys sign")
        if self.jwt_secret == LOCAL_JWT_SECRET:
            raise ConfigError("the local development JWT secret cannot be used outside local mode")
        if not self.secret_key or self.secret_key == LOCAL_SECRET_KEY:
            raise ConfigError(f"OCHOTNICY_SECRET_KEY must be set (the same in every service) when OCHOTNICY_ENV={self.env}")
        return self.check_database()

    def check_database(self) -> Settings:
        """Refuses SQLite outside local mode: production's databases are PostgreSQL."""
        if not self.local and self.database_url.startswith("sqlite"):
            raise ConfigError(f"OCHOTNICY_{self.service.upper()}_DATABASE_URL must name PostgreSQL")
        return self


def load(service: str, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings of `service` from the environment (or `environ`), local defaults filled in."""
    env = os.environ if environ is None else environ
    if service not in SERVICES and service != "cli":
        raise ConfigError(f"unknown service {service!r}")
    mode = env.get("OCHOTNICY_ENV", "local")
    local = mode == "local"
    data_dir = Path(env.get("OCHOTNICY_DATA_DIR", "data")).resolve()
    prefix = f"OCHOTNICY_{service.upper()}_"
    return Settings(
        service=service,
        env=mode,
        data_dir=data_dir,
        database_url=env.get(prefix + "DATABASE_URL", f"sqlite:///{data_dir / service}.sqlite3"),
        http_host=env.get("OCHOTNICY_HTTP_HOST", "127.0.0.1" if local else "0.0.0.0"),
        http_port=int(env.get(prefix + "PORT", SERVICES.get(service, 0))),
        kafka_bootstrap=env.get("OCHOTNICY_KAFKA_BOOTSTRAP", LOCAL_BROKER),
        topic_partitions=int(env.get("OCHOTNICY_TOPIC_PARTITIONS", "4")),
        topic_replication_factor=int(env.get("OCHOTNICY_TOPIC_REPLICATION_FACTOR", "1")),
        jwt_secret=env.get("OCHOTNICY_JWT_SECRET") or (LOCAL_JWT_SECRET if local else None),
        jwt_issuer=env.get("OCHOTNICY_JWT_ISSUER") or TOKEN_ISSUER,
        jwks_url=env.get("OCHOTNICY_JWKS_URL") or None,
        jwt_audience=env.get("OCHOTNICY_JWT_AUDIENCE") or None,
        token_max_hours=float(env.get("OCHOTNICY_TOKEN_MAX_HOURS", "12")),
        secret_key=env.get("OCHOTNICY_SECRET_KEY") or (LOCAL_SECRET_KEY if local else None),
        oidc_issuer=env.get("OCHOTNICY_OIDC_ISSUER") or None,
        oidc_client_id=env.get("OCHOTNICY_OIDC_CLIENT_ID") or None,
        oidc_client_secret=env.get("OCHOTNICY_OIDC_CLIENT_SECRET") or None,
        oidc_group_roles=group_roles(env.get("OCHOTNICY_OIDC_GROUP_ROLES", "")),
        trusted_proxies=int(env.get("OCHOTNICY_TRUSTED_PROXIES", "0")),
        log_level=env.get("OCHOTNICY_LOG_LEVEL", "INFO"),
        # Tansu rejoins consumer groups slowly with Kafka's defaults; short timeouts locally.
        consumer_session_timeout_ms=int(
            env.get("OCHOTNICY_CONSUMER_SESSION_TIMEOUT_MS", "6000" if local else "45000")
        ),
        consumer_heartbeat_ms=int(
            env.get("OCHOTNICY_CONSUMER_HEARTBEAT_MS", "500" if local else "3000")
        ),
        relay_interval_s=float(env.get("OCHOTNICY_RELAY_INTERVAL_S", "0.05")),
        # Under load, waiting this long after a small batch lets the next one carry more events: fewer
        # transactions and round trips per event, for at most this much more latency.
        batch_linger_s=float(env.get("OCHOTNICY_BATCH_LINGER_S", "0.02")),
        # Consumers commit their offsets at most this often: each commit is a request the broker answers, and
        # one lost or late only means events read again, which the processed record drops.
        offset_commit_s=float(env.get("OCHOTNICY_OFFSET_COMMIT_S", "1.0")),
        service_urls={
            name: env.get(f"OCHOTNICY_{name.upper()}_URL", f"http://127.0.0.1:{port}")
            for name, port in SERVICES.items()
        },
        # prometheus_client reads this variable itself; we read it to know the mode.
        metrics_dir=env.get("PROMETHEUS_MULTIPROC_DIR") or None,
        web_workers=int(env.get("OCHOTNICY_WEB_WORKERS", "2")),
        web_threads=int(env.get("OCHOTNICY_WEB_THREADS", "4")),
        worker_port=int(env.get(prefix + "WORKER_PORT", "0")),
        outbox_max_age_s=float(env.get("OCHOTNICY_OUTBOX_MAX_AGE_S", "60")),
        migrate_at_start=flag(env.get("OCHOTNICY_MIGRATE_AT_START", "true")),
        http_header_timeout_s=float(env.get("OCHOTNICY_HTTP_HEADER_TIMEOUT_S", "10")),
        http_body_timeout_s=float(env.get("OCHOTNICY_HTTP_BODY_TIMEOUT_S", "30")),
        trace_exporter=trace_exporter(env.get("OCHOTNICY_TRACE_EXPORTER", "none")),
        otlp_endpoint=env.get("OCHOTNICY_OTLP_ENDPOINT") or "http://127.0.0.1:4318/v1/traces",
        retention_years=int(env.get("OCHOTNICY_RETENTION_YEARS", "5")),
        erasure_ledger=Path(env.get("OCHOTNICY_ERASURE_LEDGER") or data_dir / "erasure-ledger.jsonl").resolve(),
        token=env.get("OCHOTNICY_TOKEN") or None,
    )


TRACE_EXPORTERS = ("none", "otlp", "console")


def trace_exporter(text: str) -> str:
    """One of TRACE_EXPORTERS; a misspelt one fails at start rather than silently exporting nothing."""
    chosen = text.strip().lower() or "none"
    if chosen not in TRACE_EXPORTERS:
        raise ConfigError(f"OCHOTNICY_TRACE_EXPORTER must be one of {', '.join(TRACE_EXPORTERS)}, not {text!r}")
    return chosen


def flag(text: str) -> bool:
    """A yes/no setting: "false", "no", "0" and "off" say no."""
    return text.strip().lower() not in ("false", "no", "0", "off", "")


def group_roles(text: str) -> dict[str, tuple[str, ...]]:
    """"referenci=applications:write,funding:write;analitycy=reporting:read" → {group: roles}."""
    found = {}
    for entry in filter(None, (e.strip() for e in text.split(";"))):
        group, sep, roles = entry.partition("=")
        if not sep or not group.strip():
            raise ConfigError(f"OCHOTNICY_OIDC_GROUP_ROLES: {entry!r} is not group=role,role")
        found[group.strip()] = tuple(r.strip() for r in roles.split(",") if r.strip())
    return found


def postgres_admin_url(environ: Mapping[str, str] | None = None) -> str:
    """A PostgreSQL server's maintenance database, where the benchmark creates and drops its own databases."""
    env = os.environ if environ is None else environ
    return env.get("OCHOTNICY_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
