"""The table of `make bench-cost`: what one request costs each web process, beside the bare endpoint's."""

from __future__ import annotations

BARE = "bare"


def with_ratios(rows: list[dict]) -> list[dict]:
    """The rows, each with `ratio`: its instructions per request over the bare endpoint's."""
    bare = next(row for row in rows if row["key"] == BARE)["instructions_per_request"]
    return [{**row, "ratio": row["instructions_per_request"] / bare} for row in rows]


def statements(row: dict) -> str:
    per_request = row.get("statements_per_request")
    return "–" if per_request is None else f"{per_request:.1f}"


def markdown(results: dict) -> str:
    lines = [
        f"`make bench-cost` on {results['started_at']}, {results['machine']['summary']}",
        "",
        "| request | web process | instructions / request | × bare endpoint | SQL statements / request |",
        "|---|---|---:|---:|---:|",
    ]
    for row in with_ratios(results["rows"]):
        lines.append(f"| {row['request']} → {row['status']} | {row['process']} | {row['instructions_per_request'] / 1e6:.2f} M "
                     f"| {row['ratio']:.2f} | {statements(row)} |")
    lines += [
        "",
        f"Each row: {results['requests']} requests from one client, after {results['warm_up']} not counted, to a web process "
        "under the services' gunicorn settings with one worker. Instructions: valgrind's callgrind on that worker "
        "(all its threads, the request's whole path through gunicorn, Flask and the driver). Statements: "
        f"{results['statements_source']}.",
    ]
    return "\n".join(lines) + "\n"
