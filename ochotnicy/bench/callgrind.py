"""Instructions a gunicorn worker executes between two moments, counted by valgrind's callgrind.

The web process runs under callgrind with instrumentation off, so starting it costs a few times its native
time instead of some sixty. Around a measurement, `callgrind_control` (through valgrind's gdbserver) turns it
on, zeroes the counters, and at the end dumps them and turns it off again. Callgrind counts the instructions
of the program, not of valgrind, so the count repeats from run to run on a busy or an idle machine.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import psutil

COMMAND = (
    "valgrind", "-q", "--tool=callgrind",
    "--trace-children=yes",  # without it a forked gunicorn worker does not answer callgrind_control
    "--instr-atstart=no",
    "--dump-line=no",
)
_SUMMARY = re.compile(r"^(?:summary|totals):\s*(\d+)", re.MULTILINE)


def summary(dump: str) -> int:
    """The instructions (Ir) a callgrind dump counts in all: its `summary:` line, else its `totals:`."""
    match = _SUMMARY.search(dump)
    if match is None:
        raise ValueError("not a callgrind dump: it has no summary: or totals: line")
    return int(match.group(1))


def dump_number(path: Path) -> int:
    """The sequence number callgrind gives a dump (`name.pid.3` → 3; the file written at exit, `name.pid`, → 0)."""
    suffix = path.name.rsplit(".", 1)[-1]
    return int(suffix) if path.name.count(".") >= 2 and suffix.isdigit() else 0


class Callgrind:
    """Web processes started under callgrind, their dumps in `out`."""

    def __init__(self, out: Path) -> None:
        self._out = out

    def prefix(self, name: str) -> list[str]:
        return [*COMMAND, f"--callgrind-out-file={self._out / name}.%p"]

    @staticmethod
    def worker(master: int) -> int:
        """The one gunicorn worker of the master `master`."""
        children = psutil.Process(master).children()
        if len(children) != 1:
            raise RuntimeError(f"gunicorn {master} has {len(children)} workers; the count wants one")
        return children[0].pid

    def start(self, pid: int) -> None:
        _control("--instr=on", pid)
        _control("--zero", pid)

    def stop(self, name: str, pid: int) -> int:
        """Instructions since `start`; instrumentation off again."""
        before = self._last_dump(name, pid)
        _control("--dump", pid)
        deadline = time.monotonic() + 30
        while (dump := self._last_dump(name, pid)) == before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"callgrind wrote no dump for {name} ({pid})")
            time.sleep(0.1)
        _control("--instr=off", pid)
        return summary(dump.read_text(errors="replace"))

    def _last_dump(self, name: str, pid: int) -> Path | None:
        return max(self._out.glob(f"{name}.{pid}.*"), key=dump_number, default=None)


def _control(option: str, pid: int) -> None:
    done = subprocess.run(["callgrind_control", option, str(pid)], capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "OK" not in done.stdout:
        raise RuntimeError(f"callgrind_control {option} {pid}: {done.stdout}{done.stderr}")
