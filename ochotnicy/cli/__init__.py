"""`ochotnicy …`: the command line of the project, one module per audience."""

from __future__ import annotations

import argparse
import os
import sys

from ochotnicy import argparse_pl
from ochotnicy.cli import auditing, deadletters, local, operators, rebuild


def parser() -> argparse.ArgumentParser:
    argparse_pl.install()
    root = argparse.ArgumentParser(prog="ochotnicy", description="Ochotnicy warszawscy – narzędzia")
    commands = root.add_subparsers(dest="command", required=True, metavar="POLECENIE")
    local.register_services(commands)
    operators.register(commands)
    deadletters.register(commands)
    auditing.register(commands)
    rebuild.register(commands)
    local.register_tools(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader went away (`… | head`): what it wanted it has; the rest goes nowhere, not into a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
