"""`make bench-cost`'s own logic: reading callgrind's dumps and PostgreSQL's log, and its table (no I/O)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ochotnicy.bench import callgrind, cost_report, statements

DUMP = """# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 9229
cmd:  python -m ochotnicy.cli web applications
part: 1

desc: Trigger: dump

positions: line
events: Ir
summary: 367531477


fn=(414) 0x0000000004936720
0 81445

totals: 367531538
"""


def test_a_dumps_instructions_are_its_summary():
    assert callgrind.summary(DUMP) == 367531477


def test_a_dump_without_summary_gives_its_totals():
    assert callgrind.summary("events: Ir\nfn=(1) main\n0 5\ntotals: 1234\n") == 1234


def test_a_file_that_is_no_dump_is_refused():
    with pytest.raises(ValueError):
        callgrind.summary("events: Ir\n")


def test_dumps_are_ordered_by_their_sequence_number():
    names = ["bare-web.41.2", "bare-web.41.10", "bare-web.41.1", "bare-web.41"]
    assert max(names, key=lambda name: callgrind.dump_number(Path(name))) == "bare-web.41.10"
    assert callgrind.dump_number(Path("bare-web.41")) == 0


def test_the_measured_process_runs_under_callgrind_writing_its_dumps_by_pid(tmp_path):
    prefix = callgrind.Callgrind(tmp_path).prefix("funding-web")
    assert prefix[0] == "valgrind" and "--tool=callgrind" in prefix
    assert "--trace-children=yes" in prefix and "--instr-atstart=no" in prefix
    assert prefix[-1] == f"--callgrind-out-file={tmp_path}/funding-web.%p"


LOG = """\
2026-12-06 13:14:55.391 UTC [10477] postgres@och_bench_funding_1a2b LOG:  statement: ;
2026-12-06 13:14:55.392 UTC [10477] postgres@och_bench_funding_1a2b LOG:  statement: BEGIN
2026-12-06 13:14:55.392 UTC [10477] postgres@och_bench_funding_1a2b LOG:  execute _pg3_0: INSERT INTO bare_rows (body)
\tVALUES (CAST($1 AS jsonb)) RETURNING id
2026-12-06 13:14:55.392 UTC [10477] postgres@och_bench_funding_1a2b DETAIL:  parameters: $1 = '{"n": 1}'
2026-12-06 13:14:55.392 UTC [10478] postgres@och_bench_funding_1a2b_old LOG:  statement: BEGIN
2026-12-06 13:14:55.392 UTC [10479] postgres@och_bench_bare_9f8e LOG:  execute <unnamed>: SELECT 1
2026-12-06 13:14:55.393 UTC [10477] postgres@och_bench_funding_1a2b LOG:  execute <unnamed>: SELECT 'LOG:  statement: '
2026-12-06 13:14:55.393 UTC [10477] postgres@och_bench_funding_1a2b LOG:  statement: COMMIT
2026-12-06 13:14:56.001 UTC [2288] LOG:  checkpoint starting: time
"""


def test_statements_are_the_log_lines_of_one_database_that_ran_one():
    lines = LOG.splitlines()
    assert statements.count(lines, "och_bench_funding_1a2b") == 5
    assert statements.count(lines, "och_bench_bare_9f8e") == 1
    assert statements.count(lines, "och_bench_volunteers_0000") == 0


def test_the_server_log_is_read_from_a_mark(tmp_path):
    path = tmp_path / "postgresql.log"
    path.write_text(LOG)
    log = statements.ServerLog(path)
    mark = log.mark()
    with path.open("a") as more:
        more.write("2026-12-06 13:15:00.000 UTC [1] postgres@och_bench_bare_9f8e LOG:  statement: BEGIN\n")
    assert log.count_since(mark, "och_bench_bare_9f8e") == 1
    assert log.count_since(0, "och_bench_bare_9f8e") == 2


def _row(key: str, instructions: float, statements_: float | None) -> dict:
    return {"key": key, "request": f"`POST /{key}`", "process": key, "status": 201, "requests": 300,
            "instructions_per_request": instructions, "statements_per_request": statements_}


RESULTS = {
    "started_at": "2026-12-06 13:40 UTC", "machine": {"summary": "2 cores"}, "requests": 300, "warm_up": 50,
    "statements_source": "PostgreSQL's log",
    "rows": [_row("partnerships", 6.6e6, 10.0), _row("refused", 2.1e6, 0.0), _row("bare", 1.65e6, 4.0)],
}


def test_each_rows_ratio_is_to_the_bare_endpoints_instructions():
    ratios = {row["key"]: row["ratio"] for row in cost_report.with_ratios(RESULTS["rows"])}
    assert ratios == pytest.approx({"partnerships": 4.0, "refused": 2.1 / 1.65, "bare": 1.0})


def test_the_table_shows_instructions_in_millions_the_ratio_and_the_statements():
    text = cost_report.markdown(RESULTS)
    assert "| `POST /partnerships` → 201 | partnerships | 6.60 M | 4.00 | 10.0 |" in text
    assert "| `POST /bare` → 201 | bare | 1.65 M | 1.00 | 4.0 |" in text
    assert "300 requests from one client, after 50 not counted" in text


def test_statements_not_counted_are_a_dash():
    results = {**RESULTS, "rows": [_row("bare", 1.65e6, None)]}
    assert "| 1.65 M | 1.00 | – |" in cost_report.markdown(results)


def test_the_command_line_runs_it_as_ochotnicy_bench_cost():
    from ochotnicy import cli

    assert cli.parser().parse_args(["bench-cost"]).run is cli.local._bench_cost
