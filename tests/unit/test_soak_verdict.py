"""The soak's bounds (scripts/soak_verdict.py): growth after the warm-up, latency, and lag or outbox age that stays high."""

from __future__ import annotations

import dataclasses

from scripts.soak_verdict import Bounds, Sample, cpu_table, growth_table, judge, latencies, load_table, process_table

BOUNDS = Bounds(warmup=2)


def steady(minutes: int = 6, **changes) -> list[Sample]:
    """A soak where nothing grows; `changes` maps a minute to the fields it has instead."""
    found = []
    for minute in range(1, minutes + 1):
        sample = Sample(minute, 600, 40.0, 200.0, 0.5, 10, {"funding-web": 100.0, "funding-worker": 80.0},
                        {"funding-web": 30, "funding-worker": 20})
        found.append(dataclasses.replace(sample, **changes.get(f"m{minute}", {})))
    return found


def test_a_steady_soak_passes_and_warm_up_growth_is_not_judged():
    warm = {"m1": {"rss_mb": {"funding-web": 50.0, "funding-worker": 40.0}, "fds": {"funding-web": 5, "funding-worker": 5}}}
    assert judge(steady(**warm), BOUNDS) == []


def test_memory_growing_more_than_a_tenth_after_the_warm_up_fails_naming_the_process():
    grown = {"rss_mb": {"funding-web": 100.0, "funding-worker": 89.0}}
    [problem] = judge(steady(m6=grown), BOUNDS)
    assert problem.startswith("funding-worker: memory grew from 80 MB to 89 MB")
    assert judge(steady(m6={"rss_mb": {"funding-web": 109.0, "funding-worker": 80.0}}), BOUNDS) == []


def test_open_descriptors_growing_beyond_ten_fail():
    [problem] = judge(steady(m5={"fds": {"funding-web": 41, "funding-worker": 20}}), BOUNDS)
    assert problem == "funding-web: open descriptors grew from 30 to 41"
    assert judge(steady(m5={"fds": {"funding-web": 40, "funding-worker": 20}}), BOUNDS) == []


def test_p99_beyond_one_and_a_half_times_the_first_judged_minutes_fails():
    assert judge(steady(m4={"p99_ms": 300.0}), BOUNDS) == []
    [problem] = judge(steady(m4={"p99_ms": 301.0}), BOUNDS)
    assert problem.startswith("minute 4: p99 301 ms")


def test_lag_or_outbox_age_fails_only_when_it_stays_high_three_minutes():
    high = {"lag": 5000}
    assert judge(steady(m2=high, m3=high, m5=high), BOUNDS) == []
    [problem] = judge(steady(m3=high, m4=high, m5=high), BOUNDS)
    assert problem == "consumer lag above 1000 for 3 minutes in a row, until minute 5"
    stale = {"outbox_age_s": 31.0}
    [problem] = judge(steady(m1=stale, m2=stale, m3=stale), BOUNDS)
    assert problem.startswith("outbox age above 30")


def test_a_soak_too_short_to_judge_fails():
    assert judge(steady(minutes=3), BOUNDS) == ["too short to judge: 3 minutes, 2 of them warm-up"]


def test_latencies_and_tables():
    assert latencies([]) == (0.0, 0.0)
    assert latencies([i / 1000 for i in range(1, 101)]) == (50.5, 99.0)
    assert load_table(steady(2)).splitlines()[-1] == "| 2 | 10.0 | 40 | 200 | 0.5 | 10 |"
    grown = steady(m6={"rss_mb": {"funding-web": 110.0, "funding-worker": 80.0}})
    assert "| funding-web | 100 | 100 | 110 | +10.0% | 30 | 30 |" in process_table(grown, BOUNDS)


def test_the_growth_table_names_the_commands_that_slowed_down_first():
    answered = [("grant", 0.0, 0.03), ("grant", 1.0, 1.05), ("join", 2.0, 2.02),
                ("grant", 600.0, 600.12), ("join", 601.0, 601.02), ("join", 602.0, 602.02), ("erase", 603.0, 603.01)]
    samples = steady(m3={"started": 0.0}, m6={"started": 590.0})  # the first judged minute (BOUNDS: 2 of warm-up), the last
    lines = growth_table(answered, samples, BOUNDS).splitlines()
    assert lines[2] == "| grant | 2 / 1 | 40 | 120 | 50 | 120 | 3.00× |"
    assert lines[3] == "| join | 1 / 2 | 20 | 20 | 20 | 20 | 1.00× |" and len(lines) == 4  # erase: only in the last minute


def test_the_first_judged_minute_follows_the_warm_up_or_is_the_last_of_a_shorter_soak():
    assert BOUNDS.first_judged(steady(6)) == BOUNDS.warmup and Bounds(warmup=5).first_judged(steady(3)) == 2
    assert Bounds(warmup=5).first_judged([]) == 0


def test_the_cpu_table_gives_each_process_its_seconds_in_the_first_judged_minute_and_the_last():
    used = {2: 10.0, 3: 16.0, 4: 22.0, 5: 28.0, 6: 40.0}  # the worker's CPU so far at the end of each minute
    samples = steady(m1={"cpu_s": {"funding-worker": 4.0}},
                     **{f"m{m}": {"cpu_s": {"funding-worker": total}} for m, total in used.items()})
    lines = cpu_table(samples, BOUNDS).splitlines()
    assert lines[0] == "| process | CPU s in min 3 | in min 6 | growth |"
    assert lines[2] == "| funding-worker | 6.0 | 12.0 | 2.00× |"
    assert cpu_table(steady(1), BOUNDS).startswith("CPU: too few minutes")
