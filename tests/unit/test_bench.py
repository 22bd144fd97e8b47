"""The benchmark's own arithmetic and its synthetic log (no I/O)."""

from __future__ import annotations

import itertools

from contracts import envelope
from contracts.registry import PUBLIC
from ochotnicy.bench import load, log, report


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 99) == 99
    assert load.percentile(values, 100) == 100
    assert load.percentile([7.0], 99) == 7.0


def test_the_synthetic_log_is_valid_events_with_each_aggregates_versions_in_order():
    versions: dict[tuple[str, str], list[int]] = {}
    types = set()
    for topic, key, raw in log.messages(2500):
        event = envelope.read(raw, PUBLIC)  # raises if the document or its data are not valid
        assert event.subject == key
        assert PUBLIC.spec(event.type).topic == topic
        versions.setdefault((topic, key), []).append(event.sequence)
        types.add(event.type)
    assert all(seq == list(range(1, len(seq) + 1)) for seq in versions.values())
    assert {"EditionOpened", "InstitutionRegistered", "PartnershipProposed", "MALVerified", "FundingGranted",
            "FundingRejected", "VolunteerJoined", "VolunteerLeft"} <= types


def test_the_synthetic_log_is_the_same_every_time():
    first = [raw for *_, raw in itertools.islice(log.messages(50), 50)]
    assert first == [raw for *_, raw in log.messages(50)]


def _results(per_second: float, p99: float) -> dict:
    return {
        "mode": "quick", "started_at": "2026-11-21 10:00 UTC", "machine": {"summary": "2 cores"},
        "throughput": {"per_second": per_second}, "bare": {"per_second": 100.0},
        "latency": {"rate": 10.0, "p50_ms": 50.0, "p95_ms": 90.0, "p99_ms": p99},
        "reads": {"clients": 4, "per_second": 300.0, "p50_ms": 3.0, "p99_ms": 19.0},
        "replay": {"events": 1000, "workers": 2, "per_second": 500.0}, "raw_consume": {"per_second": 2000.0},
        "memory": {"applications-web": 200 * report.MB},
    }


def test_each_figure_is_judged_against_its_limit_and_goal():
    met = {row.measure.split(" (")[0].split(" at ")[0]: (round(row.ratio, 2), row.met) for row in report.rows(_results(70.0, 249.0))}
    assert met["Command throughput"] == (0.7, True)
    assert met["End-to-end latency"] == (1.0, True)
    assert met["Replay of 1,000 events into a new reporting read model"] == (0.25, False)
    assert met["Summary reads, 4 clients"] == (0.95, True)
    missed = [row for row in report.rows(_results(69.0, 251.0)) if not row.met]
    assert [row.measure.split(" ")[0] for row in missed] == ["Command", "End-to-end", "Replay"]


def test_the_markdown_table_lists_every_measure_and_process():
    text = report.markdown(_results(70.0, 100.0))
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith(("| measure", "| process"))]
    assert [row.split(" | ")[0] for row in rows] == [
        "| Command throughput (HTTP → store → outbox → Kafka → reporting)", "| End-to-end latency at 10 cmd/s (2xx → summary)",
        "| Replay of 1,000 events into a new reporting read model (2 workers)", "| Summary reads, 4 clients (300 req/s)",
        "| applications-web",
    ]
    assert "| applications-web | 200 MB |" in text


def test_the_programme_summary_reads_stand_beside_the_edition_summarys():
    results = _results(70.0, 100.0) | {"programme_reads": {"clients": 4, "per_second": 250.0, "p50_ms": 4.0, "p99_ms": 21.0}}
    row = report.rows(results)[-1]
    assert row.measure == "Programme summary reads over all editions, 4 clients (250 req/s)"
    assert (row.figure, row.limit) == ("p50 4.0 / p99 21.0 ms", "edition summary: p99 19.0 ms")
    assert (round(row.ratio, 2), row.met) == (1.05, False)
    assert "| Programme summary reads over all editions" in report.markdown(results)
