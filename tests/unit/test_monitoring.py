"""The monitoring profile scrapes every web and worker compose runs, and its alerts name metrics the code exports."""

from __future__ import annotations

import re

import yaml
from prometheus_client.metrics import MetricWrapperBase

from infra import config, metrics
from tests.support.compose import COMPOSE, ROOT, environment

PROMETHEUS = ROOT / "deploy" / "prometheus"
SCRAPES = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
RULES = [rule for group in yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"] for rule in group["rules"]]
SAMPLE_SUFFIXES = {"counter": ("_total",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count"), "summary": ("_sum", "_count")}
PROMETHEUS_OWN = {"up"}


def exported() -> set[str]:
    """Every sample name the services' /metrics can show."""
    names = set()
    for metric in vars(metrics).values():
        if isinstance(metric, MetricWrapperBase):
            for family in metric.describe():
                names |= {family.name + suffix for suffix in SAMPLE_SUFFIXES[family.type]}
    return names


def targets() -> dict[str, int]:
    """compose service → the port Prometheus scrapes it on."""
    found = {}
    for job in SCRAPES["scrape_configs"]:
        for sd in job.get("dns_sd_configs", []):
            for name in sd["names"]:
                found[name] = sd["port"]
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                host, port = target.split(":")
                found[host] = int(port)
    return found


def test_every_web_and_worker_is_scraped_on_the_port_its_environment_gives_it():
    expected = {}
    for service in config.SERVICES:
        expected[f"{service}-web"] = config.load(service, environment(f"{service}-web")).http_port
        expected[f"{service}-worker"] = config.load(service, environment(f"{service}-worker")).worker_port
    assert targets() == expected
    assert set(targets()) <= set(COMPOSE["services"])


def test_prometheus_runs_only_in_the_monitoring_profile_with_these_files_and_rules():
    prometheus = COMPOSE["services"]["prometheus"]
    assert prometheus["profiles"] == ["monitoring"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in prometheus["volumes"]
    assert SCRAPES["rule_files"] == ["/etc/prometheus/alerts.yml"]


def test_every_alert_names_only_metrics_the_code_exports():
    known = exported() | PROMETHEUS_OWN
    for rule in RULES:
        named = set(re.findall(r"\b(ochotnicy_[a-z_]+|up)\b(?=\s*[{\[)>=<!]|\s*$)", rule["expr"]))
        assert named, rule["alert"]
        assert named <= known, (rule["alert"], named - known)


def test_there_are_alerts_on_outbox_age_consumer_lag_and_parked_messages():
    watched = " ".join(rule["expr"] for rule in RULES)
    for metric in ("ochotnicy_outbox_oldest_age_seconds", "ochotnicy_consumer_lag", "ochotnicy_events_dead_lettered_total"):
        assert metric in watched
    assert all(rule["annotations"]["summary"] and rule["annotations"]["description"] for rule in RULES)
