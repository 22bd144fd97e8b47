"""The README's "Try a command" walk-through runs as written against the real stack, and answers as it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def try_a_command() -> str:
    """The shell block that follows "Try a command" in the README."""
    text = README.read_text(encoding="utf-8")
    return re.search(r"Try a command:.*?```sh\n(.*?)```", text, re.S).group(1)


def test_the_readmes_try_a_command_block_answers_what_the_readme_says_twice_in_a_row(live):
    block = try_a_command()
    field_error = re.search(r"`(api /institutions '\{\"name\": \" \".*?)` answers", README.read_text(encoding="utf-8"))
    with live("applications") as stack:
        here = {"http://127.0.0.1:8001": stack.url("applications"), ".venv/bin/ochotnicy": f"{sys.executable} -m ochotnicy.cli",
                ".venv/bin/python": sys.executable}
        script = re.sub("|".join(map(re.escape, here)), lambda m: here[m.group(0)], block + field_error.group(1) + "\n")
        for _ in range(2):  # a newcomer runs it again: the institutions' names must not collide
            done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], env=stack.environment(),
                                  capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stdout + done.stderr
            over_cap, bad_fields = [line for line in done.stdout.splitlines() if line][-2:]
            assert '"rule":"grant_cap"' in over_cap and "7 000,00 zł przekracza limit 6 000,00 zł" in over_cap
            assert "Popraw pola: kind, name." in bad_fields
