"""The benchmark's replay rows: the bulk rebuild judged against the raw read, the live consumers' catch-up beside it."""

from __future__ import annotations

from ochotnicy.bench import report, runner
from tests.unit.test_bench import _results


def test_the_bulk_rebuild_is_judged_and_the_live_catch_up_kept_beside_it():
    results = _results(70.0, 100.0) | {"bulk_rebuild": {"events": 1000, "workers": 2, "per_second": 1200.0}}
    rows = {row.measure.split(" (")[0]: row for row in report.rows(results)}
    bulk = rows["Bulk rebuild of 1,000 events into a new reporting read model"]
    assert (round(bulk.ratio, 2), bulk.met, bulk.goal) == (0.6, True, "≥ 0.5")
    live = rows["Live consumers catching up on 1,000 events into a new reporting read model"]
    assert (round(live.ratio, 2), live.met) == (0.25, None)
    assert "| 0.25 | — (beside the bulk rebuild) | — |" in report.markdown(results)
    slow = results | {"bulk_rebuild": {"events": 1000, "workers": 2, "per_second": 900.0}}
    assert [row.met for row in report.rows(slow) if row.measure.startswith("Bulk")] == [False]


def test_results_from_before_the_bulk_rebuild_keep_their_one_replay_row():
    measures = [row.measure for row in report.rows(_results(70.0, 100.0))]
    assert "Replay of 1,000 events into a new reporting read model (2 workers)" in measures
    assert not any(m.startswith(("Bulk", "Live")) for m in measures)


def test_of_several_bulk_rebuilds_the_row_is_the_run_of_the_median_ratio_and_names_every_ratio():
    runs = [({"per_second": raw}, {"per_second": bulk, "events": 1000, "workers": 4})
            for raw, bulk in [(2000.0, 900.0), (2500.0, 1000.0), (1800.0, 1080.0)]]  # 0.45, 0.40, 0.60
    raw, bulk = runner.median_run(runs)
    assert (raw["per_second"], bulk["per_second"]) == (2000.0, 900.0)
    assert runner.median_run(runs[:2]) == runs[1]  # of two, the lower
    results = _results(70.0, 100.0) | {"raw_consume": raw, "bulk_rebuild": bulk, "bulk_runs": [
        {"ratio": b["per_second"] / r["per_second"]} for r, b in runs]}
    row = report.rows(results)[2]
    assert row.measure.startswith("Bulk rebuild of 1,000 events") and "the median of 3 runs" in row.measure
    assert "(ratios 0.45 / 0.40 / 0.60)" in row.measure
    assert (round(row.ratio, 2), row.met) == (0.45, False)
