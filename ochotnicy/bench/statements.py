"""SQL statements a web process sends, counted in PostgreSQL's own log.

The measured process connects with `log_statement = all` (libpq's PGOPTIONS, so no code of ours changes and
no other connection is logged). Every statement the server runs is one line: a simple query's
`statement: BEGIN`, or an extended query's `execute <unnamed>: …` / `execute _pg3_0: …` (psycopg's prepared
statements). The lines of one database between two offsets of the log are the statements of that interval.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import psycopg

ENVIRONMENT = {"PGOPTIONS": "-c log_statement=all"}
_STATEMENT = re.compile(r" LOG:  (?:statement|execute [^:]*): ")


def count(lines: Iterable[str], database: str) -> int:
    """Statements of `database` in these lines of the server's log (its prefix holds %d, the database)."""
    named = re.compile(rf"(?<![\w$-]){re.escape(database)}(?![\w$-])")
    total = 0
    for line in lines:
        match = _STATEMENT.search(line)
        if match is not None and named.search(line, 0, match.start()):
            total += 1
    return total


class ServerLog:
    """The PostgreSQL server's log file, read from an offset."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def locate(cls, admin_url: str) -> tuple[ServerLog | None, str]:
        """The server's log if this machine can read it and its lines name their database; else None and why."""
        with psycopg.connect(admin_url, autocommit=True) as connection:
            def setting(name: str) -> str:
                return str(connection.execute(f"SHOW {name}").fetchone()[0])

            prefix = setting("log_line_prefix")
            if setting("logging_collector") == "on":
                current = connection.execute("SELECT pg_current_logfile('stderr')").fetchone()[0]
                path = Path(setting("data_directory"), current) if current else None
            else:  # Debian's pg_ctlcluster sends the server's stderr to one file per cluster
                path = Path("/var/log/postgresql") / f"postgresql-{setting('cluster_name').replace('/', '-')}.log"
        if "%d" not in prefix:
            return None, f"log_line_prefix ({prefix!r}) does not name the database (%d)"
        if path is None or not path.is_file():
            return None, f"no server log found (looked for {path})"
        try:
            path.open("rb").close()
        except OSError as exc:
            return None, f"cannot read {path}: {exc}"
        return cls(path), str(path)

    def mark(self) -> int:
        return self.path.stat().st_size

    def count_since(self, offset: int, database: str) -> int:
        with self.path.open("rb") as log:
            log.seek(offset)
            return count(log.read().decode(errors="replace").splitlines(), database)
