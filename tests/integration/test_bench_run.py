"""`make bench` end to end at a tiny size: the whole stack starts, every phase measures, the files are written."""

from __future__ import annotations

import json

import pytest

from ochotnicy.bench import runner
from ochotnicy.bench.processes import postgres_available

pytestmark = pytest.mark.skipif(not postgres_available(), reason="the benchmark runs on PostgreSQL")

TINY = runner.Sizes(commands=40, clients=4, latency_seconds=2, reads_seconds=1, readers=2, replay_events=3000, replay_runs=2)


def test_a_tiny_benchmark_measures_every_phase_and_writes_its_table(tmp_path):
    runner.run(TINY, "tiny", out=tmp_path)

    results = json.loads((tmp_path / "tiny.json").read_text())
    assert results["throughput"]["ok"] == 40 and results["throughput"]["per_second"] > 0
    assert results["bare"]["ok"] == 40 and results["bare"]["per_second"] > 0
    assert results["latency"]["ok"] == results["latency"]["commands"] > 0
    assert results["reads"]["ok"] == results["reads"]["requests"] > 0
    assert results["programme_reads"]["ok"] == results["programme_reads"]["requests"] > 0
    assert results["replay"]["events"] == 3000 and results["raw_consume"]["events"] >= 3000
    assert results["replay"]["workers"] == 2
    assert results["bulk_rebuild"]["events"] == results["bulk_rebuild"]["read"] == 3000
    assert len(results["bulk_runs"]) == 2 and results["bulk_rebuild"]["per_second"] in {r["per_second"] for r in results["bulk_runs"]}
    services = {"applications", "funding", "volunteers", "reporting"}
    assert set(results["memory"]) == {f"{s}-{r}" for s in services for r in ("web", "worker")} | {
        "bare-web", "reporting-replay-worker", "reporting-bulk-rebuild"}
    assert all(size > 20 * 1024 * 1024 for size in results["memory"].values())
    table = (tmp_path / "tiny.md").read_text()
    assert "| Programme summary reads over all editions" in table
    assert "| Command throughput" in table and "| Bulk rebuild of 3,000 events into a new reporting read model" in table
    assert "| Live consumers catching up on 3,000 events into a new reporting read model (2 workers)" in table
