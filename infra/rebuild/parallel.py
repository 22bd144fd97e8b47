"""A fold split by partitions over several processes, for projectors whose facts merge (Projector.merges).

Each process reads its share of the partitions, in order, and folds it into a scratch of its own with the same
projector; the scratches are then merged into the first, row by row by key, a row's non-null values replacing the
stored ones: what the projector's own writes do with the same rows arriving in another order. Parsing the events,
most of a rebuild's work, then runs on every core.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kafka import TopicPartition
from sqlalchemy import Engine, Table

from infra.config import Settings
from infra.eventstore.tables import processed_events
from infra.rebuild import fold, sources
from infra.rebuild.load import driver, quoted

if TYPE_CHECKING:
    from infra.audit.replay import Consumed
    from infra.spec import ServiceSpec

Progress = Callable[[int], None]


def shares(sizes: Mapping[TopicPartition, int], workers: int) -> list[list[TopicPartition]]:
    """The partitions dealt out so that each worker gets about as many messages (largest first, to the lightest)."""
    dealt: list[list[TopicPartition]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for tp in sorted(sizes, key=lambda tp: (-sizes[tp], tp)):
        lightest = loads.index(min(loads))
        dealt[lightest].append(tp)
        loads[lightest] += sizes[tp]
    return [share for share in dealt if share]


def _work(spec: ServiceSpec, consumer: Consumed, settings: Settings, share: list[TopicPartition], directory: Path,
          wanted: Collection[str] | None, n: int, done, results) -> None:
    """One process's part: its partitions folded into scratch `n`; sends back (n, ends, applied, duplicates, parked)."""
    try:
        scratch = fold.scratch(directory, spec.migrations, f"{spec.name}-{n}")
        folding = fold.Fold(scratch)

        def counted(k: int) -> None:
            with done.get_lock():
                done.value += k

        with fold.uncollected(), sources.TopicReader(settings, consumer.topics, spec.registry, f"rebuild-{spec.name}-{n}",
                                                     only=share) as reader:
            folding.consumed(consumer, reader, counted, wanted)
            ends = dict(reader.ends)
        scratch.dispose()
        results.put((n, ends, folding.folded.applied, folding.folded.duplicates, folding.folded.parked, None))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        results.put((n, {}, 0, 0, 0, traceback.format_exc()))


def dealt(spec: ServiceSpec, consumer: Consumed, settings: Settings, workers: int) -> list[list[TopicPartition]]:
    """The consumer's partitions dealt out to `workers` processes by the messages each holds now."""
    with sources.TopicReader(settings, consumer.topics, spec.registry, f"rebuild-{spec.name}-plan") as planning:
        return shares({tp: planning.ends[tp] - planning.starts[tp] for tp in planning.partitions}, max(1, workers))


def in_processes(work: Callable, arguments: Sequence[tuple], progress: Progress) -> list[tuple]:
    """`work(*args, n, done, results)` in a forked process for each args; returns their answers in order.

    Each process adds what it read to `done` (reported to `progress`) and puts one tuple on `results`: its `n` first,
    the traceback of what went wrong (or None) last.
    """
    context = multiprocessing.get_context("fork")  # a process starts at once, with the spec already imported
    done, results = context.Value("q", 0), context.Queue()
    processes = [context.Process(target=work, args=(*args, n, done, results), daemon=True) for n, args in enumerate(arguments)]
    for process in processes:
        process.start()
    answers: dict[int, tuple] = {}
    seen = 0
    try:
        while len(answers) < len(processes):
            try:
                answer = results.get(timeout=0.1)  # the last answer taken as it comes, not up to 0.1 s later
                answers[answer[0]] = answer
            except queue.Empty:
                if results.empty() and any(p.exitcode not in (None, 0) for p in processes):
                    raise RuntimeError("a rebuilding process died without an answer") from None
            now = done.value
            progress(now - seen)
            seen = now
        progress(done.value - seen)
    finally:
        for process in processes:
            process.join(5)
            if process.is_alive():
                process.kill()
    if failed := [a[-1] for a in answers.values() if a[-1]]:
        raise RuntimeError("a rebuilding process failed:\n" + failed[0])
    return [answers[n] for n in range(len(processes))]


def fold_consumer(spec: ServiceSpec, consumer: Consumed, settings: Settings, directory: Path, workers: int,
                  progress: Progress, wanted: Collection[str] | None = None) -> tuple[Engine, dict, tuple[int, int, int]]:
    """Folds `consumer`'s topics in `workers` processes and merges them; returns the scratch, the ends, the counts."""
    answers = in_processes(_work, [(spec, consumer, settings, share, directory, wanted)
                                   for share in dealt(spec, consumer, settings, workers)], progress)
    ends = {tp: end for a in answers for tp, end in a[1].items()}
    counts = (sum(a[2] for a in answers), sum(a[3] for a in answers), sum(a[4] for a in answers))
    first = fold.scratch(directory, spec.migrations, f"{spec.name}-0")
    for n in range(1, len(answers)):
        merge_scratch(first, directory / f"{spec.name}-{n}.sqlite3", list(spec.tables.sorted_tables), consumer.projector.earliest)
    return first, ends, counts


def merge_scratch(into: Engine, other: Path, tables: Sequence[Table], earliest: Mapping[str, str]) -> None:
    """Merges another scratch's rows into `into` as the projector merges its facts (Projector.merges): by key, a row's
    non-null values replacing the stored ones, or, in the tables of `earliest`, that column keeping the earlier time."""
    with into.connect() as connection:
        raw = driver(connection)
        raw.execute(f"ATTACH DATABASE '{other}' AS other")
        try:
            with connection.begin():
                for table in tables:
                    connection.exec_driver_sql(_merge_sql(table, earliest.get(table.name)))
                columns = ", ".join(quoted(c.name) for c in processed_events.columns)
                connection.exec_driver_sql(f"INSERT OR IGNORE INTO processed_events ({columns}) "
                                           f"SELECT {columns} FROM other.processed_events")
        finally:
            raw.execute("DETACH DATABASE other")


def _merge_sql(table: Table, earliest: str | None) -> str:
    keys = [c.name for c in table.primary_key.columns]
    columns = [c.name for c in table.columns]
    names = ", ".join(quoted(c) for c in columns)
    stored = quoted(table.name)
    if earliest is not None:
        column = quoted(earliest)
        action = f"DO UPDATE SET {column} = excluded.{column} WHERE excluded.{column} < {stored}.{column}"
    elif rest := [c for c in columns if c not in keys]:
        action = "DO UPDATE SET " + ", ".join(f"{quoted(c)} = coalesce(excluded.{quoted(c)}, {stored}.{quoted(c)})" for c in rest)
    else:
        action = "DO NOTHING"
    # WHERE true: SQLite's parser takes an ON CONFLICT after a bare SELECT … FROM for a join's ON.
    return (f"INSERT INTO main.{quoted(table.name)} ({names}) SELECT {names} FROM other.{quoted(table.name)} WHERE true "
            f"ON CONFLICT ({', '.join(quoted(k) for k in keys)}) {action}")
