"""`ochotnicy …`: the command line of the project."""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from infra import config
from infra.web.auth import ROLES, issue


def _token(args: argparse.Namespace) -> int:
    settings = config.load("cli")
    roles = args.role or []
    print(issue(settings, args.subject, roles, datetime.timedelta(hours=args.hours)))
    return 0


def _broker(args: argparse.Namespace) -> int:
    from infra.broker import Tansu

    broker = Tansu(port=args.port)
    os.execv(broker.command()[0], broker.command())  # the Procfile runner supervises the broker itself
    return 0


def _web(args: argparse.Namespace) -> int:
    from ochotnicy import serve

    serve.web(args.service)
    return 0


def _worker(args: argparse.Namespace) -> int:
    from ochotnicy import serve

    serve.worker(args.service)
    return 0


def _run(args: argparse.Namespace) -> int:
    from ochotnicy import stack

    return stack.run(demo=not args.no_demo)


def _demo(args: argparse.Namespace) -> int:
    from ochotnicy import demo

    try:
        demo.load(config.load("cli"), force=args.force)
    except demo.DemoFailed as exc:
        print(f"Nie udało się wczytać danych demonstracyjnych: {exc}", file=sys.stderr)
        return 1
    return 0


def _docs(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ochotnicy import docs

    for path in docs.write(Path(args.out)):
        print(path)
    return 0


def _audit_replay(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    services = args.service or audit.available(audit.ALL)
    outcomes = audit.replay_services(services, args.scratch)
    return 0 if all(o.ok for o in outcomes) else 1


def _audit_verify(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    return 0 if audit.verify_services(args.service or audit.available(audit.OWNERS)) else 1


def _audit_history(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    entries = audit.history(args.aggregate_id)
    audit.print_history(entries, args.json)
    return 0 if entries else 1


def _bench(args: argparse.Namespace) -> int:
    from ochotnicy.bench import runner

    return runner.main(quick=args.quick)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="ochotnicy", description="Ochotnicy warszawscy – narzędzia")
    commands = root.add_subparsers(dest="command", required=True)

    token = commands.add_parser("token", help="prints a token valid for the local stack")
    token.add_argument("--role", action="append", choices=ROLES, help="a role the token carries (repeatable)")
    token.add_argument("--subject", default="pracownik", help="who the token speaks for")
    token.add_argument("--hours", type=float, default=12.0, help="how long it stays valid")
    token.set_defaults(run=_token)

    broker = commands.add_parser("broker", help="runs the local Tansu broker (memory only)")
    broker.add_argument("--port", type=int, default=9092)
    broker.set_defaults(run=_broker)

    for name, runner, text in (("web", _web, "a service's HTTP API (gunicorn)"), ("worker", _worker, "a service's relay and consumers")):
        sub = commands.add_parser(name, help=f"runs {text}")
        sub.add_argument("service", choices=list(config.SERVICES))
        sub.set_defaults(run=runner)

    docs = commands.add_parser("docs", help="writes the event catalogue (AsyncAPI 3, JSON Schemas)")
    docs.add_argument("--out", default="docs/events")
    docs.set_defaults(run=_docs)

    audit = commands.add_parser("audit", help="for auditors: replay, verify, history").add_subparsers(
        dest="audit", required=True
    )
    replay = audit.add_parser("replay", help="rebuilds every read model from the log and compares it with the live one")
    replay.add_argument("--service", action="append", choices=list(config.SERVICES))
    replay.add_argument("--scratch", help="scratch database URL template with {service} (default: SQLite files in a temp dir)")
    replay.set_defaults(run=_audit_replay)
    verify = audit.add_parser("verify", help="checks each service's hash chain and names the first broken link")
    verify.add_argument("--service", action="append", choices=["applications", "funding", "volunteers"])
    verify.set_defaults(run=_audit_verify)
    story = audit.add_parser("history", help="the full story of a partnership, funding case or volunteer")
    story.add_argument("aggregate_id")
    story.add_argument("--json", action="store_true", help="JSON instead of a table")
    story.set_defaults(run=_audit_history)

    bench = commands.add_parser("bench", help="measures throughput, latency, replay, reads and memory (needs PostgreSQL)")
    bench.add_argument("--quick", action="store_true", help="small sizes, under 2 minutes")
    bench.set_defaults(run=_bench)

    run = commands.add_parser("run", help="runs the whole local stack: broker, four services, demonstration data")
    run.add_argument("--no-demo", action="store_true", help="do not load the demonstration data")
    run.set_defaults(run=_run)

    demo = commands.add_parser(
        "demo", help="loads the demonstration data (2017–2021 editions) into the running stack, through its APIs"
    )
    demo.add_argument("--force", action="store_true", help="go through every step even if the demo looks complete "
                      "(adds nothing that is already there)")
    demo.set_defaults(run=_demo)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
